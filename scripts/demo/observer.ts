import { measurementLine, stepLabel, type Timeline, weightsLabel } from './timeline.js';
import type { AnalysisRunObject, DemoWorld } from './world.js';

/** The moments the demo reports on: when analysis crossed `failureLimit`, when stable traffic was back. */
export interface Milestones {
  crossedAt?: number;
  crossedRun?: string;
  stableBackAt?: number;
}

/**
 * Turns watch events into timeline lines, once each: Rollout phase/step changes, weight changes, every new
 * measurement; and records the milestones of the incident (`failureLimit` crossed → stable weight 100).
 */
export class DemoObserver {
  readonly milestones: Milestones = {};
  private lastRollout = '';
  private lastWeights = '';
  private readonly printed = new Map<string, number>();

  constructor(
    private readonly world: DemoWorld,
    private readonly timeline: Timeline,
  ) {}

  /** Looks at the world after a change and prints what is new. */
  observe(): void {
    this.observeRollout();
    for (const run of this.world.runs()) this.observeRun(run);
    this.observeWeights();
  }

  private observeRollout(): void {
    const rollout = this.world.rollout();
    if (!rollout?.status) return;
    const { phase = '-', abort } = rollout.status;
    const line = `Rollout ${phase}${abort ? ' (aborted)' : ''} · ${stepLabel(rollout)}`;
    if (line === this.lastRollout) return;
    this.lastRollout = line;
    const message = rollout.status.message ? ` · ${rollout.status.message}` : '';
    this.timeline.note(`${line}${message}`);
  }

  private observeRun(run: AnalysisRunObject): void {
    const name = run.metadata?.name ?? '';
    for (const metric of run.status?.metricResults ?? []) {
      const key = `${name}/${metric.name}`;
      const done = (metric.measurements ?? []).filter((m) => m.finishedAt).length;
      const limit = run.spec?.metrics?.find((m) => m.name === metric.name)?.failureLimit ?? 0;
      for (let i = this.printed.get(key) ?? 0; i < done; i++) {
        this.timeline.note(`analysis ${name}: ${measurementLine(metric, i, limit)}`);
      }
      this.printed.set(key, done);
      const failed = (metric.measurements ?? []).filter((m) => m.phase === 'Failed').length;
      if (failed > limit && this.milestones.crossedAt === undefined) {
        this.milestones.crossedAt = Date.now();
        this.milestones.crossedRun = name;
        this.timeline.note(`failureLimit crossed: ${failed} failed measurements > ${limit} allowed`);
      }
    }
  }

  private observeWeights(): void {
    const weights = this.world.weights();
    const label = weightsLabel(weights);
    if (label === this.lastWeights) return;
    this.lastWeights = label;
    this.timeline.note(`traffic ${label} (VirtualService ${this.world.names.virtualService})`);
    const [stable, canary] = weights;
    const { crossedAt } = this.milestones;
    if (
      crossedAt !== undefined &&
      this.milestones.stableBackAt === undefined &&
      stable?.weight === 100 &&
      !canary?.weight
    ) {
      this.milestones.stableBackAt = Date.now();
      this.timeline.note(
        `stable traffic back to 100%, ${this.milestones.stableBackAt - crossedAt} ms after failureLimit was crossed`,
      );
    }
  }
}
