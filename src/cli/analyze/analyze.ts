import { parseAllDocuments } from 'yaml';
import {
  mergeArgs,
  REDACTED,
  type ResolvedArgs,
  resolveArgs,
  resolveMetric,
} from '../../analysis/core/index.js';
import { carriedRunAnnotations } from '../../analysis/core/run-builder.js';
import {
  type AnalysisRunSpec,
  type AnyAnalysisTemplate,
  type Argument,
  checkAnalysisTemplate,
  type Metric,
  metricNameMatches,
  parseGoDuration,
} from '../../api/index.js';
import { CliError } from '../errors.js';
import { measurementTimes, type ReplaySample, replayRun } from './replay-run.js';
import type { MetricReport, ReplayReport } from './report.js';
import { sampleMetric } from './sample.js';

/** What `analyze` was asked. */
export interface AnalyzeRequest {
  readonly file: string;
  readonly text: string;
  /** `--from`: how far back the window starts (Go duration). */
  readonly from: string;
  /** `--args name=value`, each as given. */
  readonly args: readonly string[];
  /** `--prometheus`: replaces every metric's address. */
  readonly prometheus?: string;
  /** `--interval`: spacing for metrics without one. */
  readonly interval: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
  readonly signal: AbortSignal;
}

/** The first AnalysisTemplate or ClusterAnalysisTemplate of a YAML text, validated as the controller would. */
export function loadTemplate(file: string, text: string): AnyAnalysisTemplate {
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new CliError(`${file}: ${doc.errors[0]?.message.split('\n')[0]}`);
    const obj: unknown = doc.toJS();
    const kind = (obj as { kind?: unknown } | null)?.kind;
    if (kind !== 'AnalysisTemplate' && kind !== 'ClusterAnalysisTemplate') continue;
    const { template, issues } = checkAnalysisTemplate(obj);
    if (template === undefined || issues.length > 0) {
      throw new CliError(`${file}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    }
    if ((template.spec.templates ?? []).length > 0) {
      throw new CliError(`${file}: spec.templates composes other templates; replay one with its own metrics`);
    }
    return template;
  }
  throw new CliError(`${file}: no AnalysisTemplate or ClusterAnalysisTemplate found`);
}

/**
 * The template's arguments with `--args name=value` applied: an undeclared name, an argument left
 * without a value, or one that comes from a Secret or field and was not given is a CliError saying which
 * `--args` to pass. Values given for Secret-backed arguments stay secret (shown as `*****`).
 */
export function replayArgs(declared: readonly Argument[], given: readonly string[]): ResolvedArgs {
  const overrides: Record<string, string> = {};
  for (const pair of given) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(`--args expects name=value, got "${pair}"`);
    overrides[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const names = declared.map((a) => a.name);
  const unknown = Object.keys(overrides).find((name) => !names.includes(name));
  if (unknown !== undefined) {
    throw new CliError(
      `argument "${unknown}" is not declared by the template (declared: ${names.join(', ') || 'none'})`,
    );
  }
  const incoming = Object.entries(overrides).map(([name, value]) => ({ name, value }));
  const merged = mergeArgs(incoming, declared);
  const missing = merged.ok ? undefined : merged.error.replace(/^args\.(.*) was not resolved$/, '$1');
  if (!merged.ok) throw new CliError(`argument "${missing}" has no value: pass --args ${missing}=VALUE`);
  const resolved = resolveArgs(merged.value, overrides);
  if (!resolved.ok) throw new CliError(resolved.error);
  const unresolved = resolved.value.find((a) => a.value === REDACTED && !Object.hasOwn(overrides, a.name));
  if (unresolved !== undefined) {
    throw new CliError(
      `argument "${unresolved.name}" comes from a Secret or a field: pass --args ${unresolved.name}=VALUE`,
    );
  }
  return resolved.value;
}

function durationMs(flag: string, text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0)
    throw new CliError(`${flag} must be a positive duration such as "2h" or "30m", got "${text}"`);
  return ms;
}

function runSpec(template: AnyAnalysisTemplate, metrics: readonly Metric[]): AnalysisRunSpec {
  const names = metrics.map((m) => m.name);
  const matching = <T extends { metricName: string }>(rules: readonly T[] | undefined) =>
    (rules ?? []).filter((r) => names.some((n) => metricNameMatches(r.metricName, n)));
  return {
    metrics: [...metrics],
    dryRun: matching(template.spec.dryRun),
    measurementRetention: matching(template.spec.measurementRetention),
  };
}

/** The annotations a run made from `template` carries (its `vireo.dev/consecutive-failure-limit` rule). */
function runAnnotations(template: AnyAnalysisTemplate): Record<string, string> {
  const annotations = template.metadata.annotations;
  const carried = carriedRunAnnotations([{ spec: template.spec, ...(annotations ? { annotations } : {}) }]);
  return carried.ok ? carried.value : {};
}

/**
 * Replays the template of `request.text` over `[now − from, now]`: each metric sampled at its measurement
 * times (`sampleMetric`), judged, and fed to one run started at the window's start (`replayRun`); metrics
 * that cannot be replayed are reported as skipped and left out of the run.
 */
export async function analyze(request: AnalyzeRequest): Promise<{ report: ReplayReport; metrics: Metric[] }> {
  const template = loadTemplate(request.file, request.text);
  const args = replayArgs(template.spec.args ?? [], request.args);
  const end = request.now;
  const start = new Date(end.getTime() - durationMs('--from', request.from));
  const fallback = durationMs('--interval', request.interval);
  const defaultAddress = request.env.ARGO_ROLLOUTS_PROMETHEUS_ADDRESS || undefined;
  const resolved: Metric[] = [];
  const reports: MetricReport[] = [];
  const samples = new Map<string, ReplaySample[]>();
  for (const metric of template.spec.metrics ?? []) {
    const r = resolveMetric(metric, args);
    if (!r.ok) throw new CliError(`metric "${metric.name}": ${r.error}`);
    resolved.push(r.value);
    const times = measurementTimes(r.value, start, end, fallback);
    const options = { times, args, signal: request.signal, ...(defaultAddress ? { defaultAddress } : {}) };
    const sampling = await sampleMetric(
      metric,
      request.prometheus ? { ...options, addressOverride: request.prometheus } : options,
    );
    if (sampling.how === 'skipped') {
      reports.push({ name: metric.name, how: sampling.how, skipped: sampling.reason, measurements: [] });
    } else {
      samples.set(metric.name, sampling.samples);
      reports.push({ name: metric.name, how: sampling.how, measurements: [] });
    }
  }
  const replayed = replayRun(
    runSpec(
      template,
      resolved.filter((m) => samples.has(m.name)),
    ),
    samples,
    start,
    runAnnotations(template),
  );
  const metrics = reports.map((m) => ({ ...m, measurements: replayed.measurements.get(m.name) ?? [] }));
  const shownArgs = Object.fromEntries(args.map((a) => [a.name, a.secret ? REDACTED : a.value]));
  const name = template.metadata.name ?? request.file;
  return {
    report: { template: name, start, end, args: shownArgs, metrics, verdict: replayed.verdict },
    metrics: resolved,
  };
}
