import type { KubeObject } from '../kube/types.js';

/** One sample of a gauge: its label values and value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of every per-object gauge, keyed by metric name. */
export type SeriesByMetric = Record<string, Sample[]>;

/** The Rollout phases `rollout_phase` reports one series each for (1 for the current phase, else 0). */
export const ROLLOUT_PHASES = ['Healthy', 'Progressing', 'Paused', 'Degraded'] as const;
/** The AnalysisRun (and metric) phases reported the same way. */
export const RUN_PHASES = ['Pending', 'Running', 'Successful', 'Failed', 'Error', 'Inconclusive'] as const;

interface RolloutView extends KubeObject {
  spec?: {
    replicas?: number;
    strategy?: { canary?: { trafficRouting?: Record<string, unknown> }; blueGreen?: unknown };
  };
  status?: { phase?: string; replicas?: number; availableReplicas?: number; updatedReplicas?: number };
}

interface RunView extends KubeObject {
  spec?: {
    metrics?: { name: string; provider?: Record<string, unknown> }[];
    dryRun?: { metricName: string }[];
  };
  status?: { phase?: string; metricResults?: { name: string; phase?: string; dryRun?: boolean }[] };
}

const NOT_ROUTERS = new Set(['managedRoutes', 'maxTrafficWeight']);
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function objectLabels(o: KubeObject): { namespace: string; name: string } {
  return { namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' };
}

function strategyOf(r: RolloutView): string {
  if (r.spec?.strategy?.blueGreen !== undefined) return 'blueGreen';
  return r.spec?.strategy?.canary !== undefined ? 'canary' : 'none';
}

function trafficRouterOf(r: RolloutView): string {
  const routing = r.spec?.strategy?.canary?.trafficRouting ?? {};
  return Object.keys(routing)
    .filter((k) => !NOT_ROUTERS.has(k))
    .map(capitalize)
    .sort()
    .join(',');
}

function oneHot(base: Record<string, string>, phase: string, phases: readonly string[]): Sample[] {
  return phases.map((p) => ({ labels: { ...base, phase: p }, value: p === phase ? 1 : 0 }));
}

/**
 * Argo Rollouts' per-Rollout gauges (reference 7.1) computed from cached Rollouts: `rollout_info` (1, with
 * strategy, traffic_router and phase), the four `rollout_info_replicas_*` gauges and the deprecated
 * `rollout_phase` (one series per phase). Labels are only names, namespace and enumerations: never spec values.
 */
export function rolloutSeries(rollouts: readonly KubeObject[]): SeriesByMetric {
  const out: SeriesByMetric = {
    rollout_info: [],
    rollout_info_replicas_available: [],
    rollout_info_replicas_unavailable: [],
    rollout_info_replicas_desired: [],
    rollout_info_replicas_updated: [],
    rollout_phase: [],
  };
  for (const obj of rollouts) {
    const r = obj as RolloutView;
    const base = objectLabels(r);
    const strategy = strategyOf(r);
    const phase = r.status?.phase ?? 'Progressing';
    const available = r.status?.availableReplicas ?? 0;
    out.rollout_info?.push({
      labels: { ...base, strategy, traffic_router: trafficRouterOf(r), phase },
      value: 1,
    });
    out.rollout_info_replicas_available?.push({ labels: base, value: available });
    out.rollout_info_replicas_unavailable?.push({
      labels: base,
      value: Math.max(0, (r.status?.replicas ?? 0) - available),
    });
    out.rollout_info_replicas_desired?.push({ labels: base, value: r.spec?.replicas ?? 1 });
    out.rollout_info_replicas_updated?.push({ labels: base, value: r.status?.updatedReplicas ?? 0 });
    out.rollout_phase?.push(...oneHot({ ...base, strategy }, phase, ROLLOUT_PHASES));
  }
  return out;
}

function providerType(provider: Record<string, unknown> | undefined): string {
  const key = Object.keys(provider ?? {})[0];
  return key === undefined ? 'Unknown' : capitalize(key);
}

function metricSamples(run: RunView, out: SeriesByMetric): void {
  const base = objectLabels(run);
  const dryRunNames = new Set((run.spec?.dryRun ?? []).map((d) => d.metricName));
  for (const metric of run.spec?.metrics ?? []) {
    const type = providerType(metric.provider);
    const result = run.status?.metricResults?.find((m) => m.name === metric.name);
    const dryRun = result?.dryRun ?? (dryRunNames.has(metric.name) || dryRunNames.has('*'));
    out.analysis_run_metric_type?.push({ labels: { ...base, metric: metric.name, type }, value: 1 });
    const labels = { ...base, metric: metric.name, type, dry_run: String(dryRun) };
    out.analysis_run_metric_phase?.push(...oneHot(labels, result?.phase ?? 'Pending', RUN_PHASES));
  }
}

/**
 * Argo Rollouts' per-AnalysisRun gauges computed from cached runs: `analysis_run_info` (1, with phase),
 * `analysis_run_phase` (one series per phase), `analysis_run_metric_type` (1 per metric, with the provider
 * type) and `analysis_run_metric_phase` (one series per phase per metric, with dry_run).
 */
export function analysisRunSeries(runs: readonly KubeObject[]): SeriesByMetric {
  const out: SeriesByMetric = {
    analysis_run_info: [],
    analysis_run_phase: [],
    analysis_run_metric_type: [],
    analysis_run_metric_phase: [],
  };
  for (const obj of runs) {
    const run = obj as RunView;
    const base = objectLabels(run);
    const phase = run.status?.phase ?? 'Pending';
    out.analysis_run_info?.push({ labels: { ...base, phase }, value: 1 });
    out.analysis_run_phase?.push(...oneHot(base, phase, RUN_PHASES));
    metricSamples(run, out);
  }
  return out;
}
