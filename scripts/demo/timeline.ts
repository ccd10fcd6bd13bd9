import type { WeightedHost } from './mesh.js';

interface Step {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: unknown;
}

/** The fields of a Rollout the timeline reads. */
export interface RolloutView {
  spec?: { strategy?: { canary?: { steps?: Step[] } } };
  status?: { phase?: string; currentStepIndex?: number; abort?: boolean; message?: string };
}

/** The fields of an AnalysisRun metric result the timeline reads. */
export interface MetricView {
  name: string;
  phase: string;
  failed?: number;
  measurements?: { phase: string; value?: string; finishedAt?: string; message?: string }[];
}

function describeStep(step: Step | undefined): string {
  if (!step) return '';
  if (step.setWeight !== undefined) return `setWeight ${step.setWeight}`;
  if (step.pause) return step.pause.duration === undefined ? 'pause' : `pause ${step.pause.duration}`;
  if (step.analysis) return 'analysis';
  return Object.keys(step)[0] ?? '';
}

/** "step 2/6 analysis" (1-based), "steps done" at the end, or the phase for a Rollout without steps. */
export function stepLabel(rollout: RolloutView): string {
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  const index = rollout.status?.currentStepIndex;
  if (steps.length === 0 || index === undefined) return '-';
  if (index >= steps.length) return `steps done (${steps.length}/${steps.length})`;
  return `step ${index + 1}/${steps.length} ${describeStep(steps[index])}`;
}

/** "stable 80 / canary 20" from the managed route's destinations (first = stable, second = canary). */
export function weightsLabel(weights: readonly WeightedHost[]): string {
  const [stable, canary] = weights;
  return `stable ${stable?.weight ?? '?'} / canary ${canary?.weight ?? '?'}`;
}

/** A measured ratio as a percentage with one decimal ("8.0%"), or the raw text when it is not a number. */
export function percent(value: string | undefined): string {
  const match = /-?[\d.]+(e-?\d+)?/i.exec(value ?? '');
  const number = match ? Number(match[0]) : Number.NaN;
  return Number.isFinite(number) ? `${(number * 100).toFixed(1)}%` : (value ?? 'no value');
}

/**
 * One line per measurement: "error-rate #3: 8.0% → Failed (3 failed, failureLimit 2)"; `limit` is the
 * metric's failureLimit.
 */
export function measurementLine(metric: MetricView, index: number, limit: number): string {
  const m = metric.measurements?.[index];
  if (!m) return '';
  const failed = (metric.measurements ?? []).slice(0, index + 1).filter((x) => x.phase === 'Failed').length;
  const detail =
    m.phase === 'Error' ? ` (${m.message ?? 'error'})` : ` (${failed} failed, failureLimit ${limit})`;
  return `${metric.name} #${index + 1}: ${percent(m.value)} → ${m.phase}${detail}`;
}

/** Prints "[  +12.3s] text" lines, time measured from `start`. */
export class Timeline {
  constructor(
    private readonly out: (line: string) => void,
    private readonly start = Date.now(),
  ) {}

  /** Seconds since the start. */
  elapsed(at = Date.now()): number {
    return (at - this.start) / 1000;
  }

  /** Prints one timeline line. */
  note(text: string, at = Date.now()): void {
    this.out(`[${`+${this.elapsed(at).toFixed(1)}s`.padStart(8)}] ${text}`);
  }
}
