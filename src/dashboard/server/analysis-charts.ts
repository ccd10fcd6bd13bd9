import type { Node } from '../../analysis/condition/ast.js';
import { parse } from '../../analysis/condition/parser.js';
import { tokenize } from '../../analysis/condition/tokenizer.js';
import { metricSettings } from '../../api/defaults.js';
import type { AnalysisRun, Measurement, Metric, MetricResult } from '../../api/index.js';
import { age } from '../../cli/view/snapshot.js';
import type { AnalysisRunView, MetricChartView, PointView, ThresholdView } from '../model.js';

type Op = ThresholdView['op'];
const COMPARISONS: readonly Op[] = ['<', '<=', '>', '>=', '==', '!='];
const MIRRORED: Record<Op, Op> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

/** `result`, `result[0]` or `result.x`: the measured value side of a comparison. */
function isResult(node: Node): boolean {
  if (node.type === 'result') return true;
  if (node.type === 'index' || node.type === 'member') return isResult(node.object);
  if (node.type === 'call' && (node.name === 'asFloat' || node.name === 'asInt')) {
    return node.args.length === 1 && node.args[0] !== undefined && isResult(node.args[0]);
  }
  return false;
}

function numberOf(node: Node): number | undefined {
  if (node.type === 'literal' && typeof node.value === 'number') return node.value;
  if (node.type === 'unary' && node.op === '-') {
    const inner = numberOf(node.operand);
    return inner === undefined ? undefined : -inner;
  }
  return undefined;
}

function collect(node: Node, of: ThresholdView['of'], out: ThresholdView[]): void {
  if (node.type !== 'binary') return;
  if (node.op === '&&' || node.op === '||') {
    collect(node.left, of, out);
    collect(node.right, of, out);
    return;
  }
  const op = COMPARISONS.find((c) => c === node.op);
  if (op === undefined) return;
  const right = numberOf(node.right);
  const left = numberOf(node.left);
  if (isResult(node.left) && right !== undefined) out.push({ value: right, op, of });
  else if (isResult(node.right) && left !== undefined) out.push({ value: left, op: MIRRORED[op], of });
}

/**
 * The threshold lines of a condition: every `result OP number` (or `number OP result`, mirrored) joined by
 * `&&`/`||`, with `result[i]`, `result.x` and `asFloat(result)` counting as the result. Anything else (or a
 * condition that does not parse) gives no line; the chart then shows the condition as text only.
 * Example: `result[0] >= 0.95 && result[0] < 2` → [{0.95, >=}, {2, <}].
 */
export function thresholdsOf(condition: string | undefined, of: ThresholdView['of']): ThresholdView[] {
  if (condition === undefined || condition.trim() === '') return [];
  const out: ThresholdView[] = [];
  try {
    collect(parse(tokenize(condition)), of, out);
  } catch {
    return [];
  }
  return out;
}

/**
 * The number a measurement's text value plots as: a plain number, or the single number of a one-element
 * list (`[0.93]`, what Prometheus vectors look like). Anything else has no point height.
 */
export function numericValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const inner = /^\[\s*([^,\]]+?)\s*\]$/.exec(trimmed)?.[1] ?? trimmed;
  if (inner === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(inner)) return undefined;
  return Number(inner);
}

function pointOf(m: Measurement): PointView {
  const value = numericValue(m.value);
  return {
    at: m.finishedAt ?? m.startedAt ?? '',
    ...(value === undefined ? {} : { value }),
    text: m.value ?? '',
    phase: m.phase,
    ...(m.message ? { message: m.message } : {}),
  };
}

function metricChart(metric: Metric | undefined, result: MetricResult): MetricChartView {
  const settings = metric === undefined ? undefined : metricSettings(metric);
  return {
    name: result.name,
    phase: result.phase,
    ...(result.message ? { message: result.message } : {}),
    ...(metric?.successCondition ? { successCondition: metric.successCondition } : {}),
    ...(metric?.failureCondition ? { failureCondition: metric.failureCondition } : {}),
    thresholds: [
      ...thresholdsOf(metric?.successCondition, 'success'),
      ...thresholdsOf(metric?.failureCondition, 'failure'),
    ],
    failureLimit: settings?.failureLimit ?? 0,
    inconclusiveLimit: settings?.inconclusiveLimit ?? 0,
    consecutiveErrorLimit: settings?.consecutiveErrorLimit ?? 4,
    failed: result.failed ?? 0,
    inconclusive: result.inconclusive ?? 0,
    errors: result.error ?? 0,
    successful: result.successful ?? 0,
    points: (result.measurements ?? []).filter((m) => m.phase !== 'Running').map(pointOf),
  };
}

/**
 * An AnalysisRun of `revision` with one chart per metric result (metrics not measured yet have none). Measurements in
 * flight are left out; limits are the metric's effective settings (`failureLimit` 0 when unset, as Argo).
 */
export function analysisRunView(run: AnalysisRun, revision: number, now: Date): AnalysisRunView {
  const specs = new Map((run.spec.metrics ?? []).map((m) => [m.name, m]));
  const type = run.metadata.labels?.['rollout-type'];
  return {
    name: run.metadata.name ?? '',
    ...(type === undefined ? {} : { type }),
    phase: run.status?.phase ?? 'Pending',
    ...(run.status?.message ? { message: run.status.message } : {}),
    revision,
    age: age(run.metadata.creationTimestamp, now),
    metrics: (run.status?.metricResults ?? []).map((r) => metricChart(specs.get(r.name), r)),
  };
}
