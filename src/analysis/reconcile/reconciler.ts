import type { AnalysisRun, AnalysisRunStatus } from '../../api/index.js';
import { AnalysisRunSchema } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { EventRecorder } from '../../kube/events.js';
import { mergePatch } from '../../kube/merge-patch.js';
import type { ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import { objectKey, splitKey } from '../../kube/types.js';
import type { ReconcileResult } from '../../kube/work-queue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import {
  assessRun,
  INSECURE_METRIC_REASON,
  insecureMetricMessage,
  insecureMetrics,
  isCompletedPhase,
  resolveArgs,
  toTimestamp,
} from '../core/index.js';
import { ttlExpiry } from '../core/retention.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { deleteAnalysisRun } from '../runs/create-run.js';
import { takeDueMeasurements } from './measure.js';
import { secretArgValues } from './secret-args.js';

/** Everything one AnalysisRun reconcile needs; no module state. */
export interface AnalysisReconcilerDeps {
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  registry: ProviderRegistry;
  runs: ObjectCache<KubeObject>;
  /** Aborted on shutdown; passed to providers. */
  signal: AbortSignal;
  /** Events on AnalysisRuns (the insecure-metric Warning); none when absent. */
  events?: EventRecorder;
}

/** One Warning per metric with `insecure: true`, on the pass that starts the run. */
function warnInsecure(deps: AnalysisReconcilerDeps, raw: KubeObject, run: AnalysisRun): void {
  for (const { name, provider } of insecureMetrics(run.spec)) {
    deps.events?.event(raw, 'Warning', INSECURE_METRIC_REASON, insecureMetricMessage(name, provider));
  }
}

function errorStatus(run: AnalysisRun | undefined, message: string, now: Date): AnalysisRunStatus {
  return { ...run?.status, phase: 'Error', message, completedAt: toTimestamp(now) };
}

async function nextStatus(
  deps: AnalysisReconcilerDeps,
  run: AnalysisRun,
  now: Date,
): Promise<AnalysisRunStatus> {
  const started: AnalysisRun = {
    ...run,
    status: {
      ...run.status,
      phase: run.status?.phase || 'Running',
      startedAt: run.status?.startedAt ?? toTimestamp(now),
    },
  };
  const fromSecrets = await secretArgValues(deps.client, run.metadata.namespace, run.spec.args);
  const args = resolveArgs(run.spec.args, fromSecrets);
  if (!args.ok) return errorStatus(run, args.error, now);
  const onCollectError = (metric: string, err: unknown) =>
    deps.logger.warn({ analysisRun: objectKey(run), metric, err: (err as Error).message }, 'cleanup failed');
  const measured = await takeDueMeasurements({ ...deps, onCollectError }, started, args.value, now);
  const verdict = assessRun(measured, now);
  const completed = isCompletedPhase(verdict.phase);
  return {
    ...measured.status,
    phase: verdict.phase,
    message: verdict.message || undefined,
    metricResults: verdict.metricResults,
    runSummary: verdict.runSummary,
    dryRunSummary: verdict.dryRunSummary,
    ...(completed ? { completedAt: measured.status?.completedAt ?? toTimestamp(now) } : {}),
  };
}

function requeueFor(run: AnalysisRun, status: AnalysisRunStatus, now: Date): ReconcileResult {
  if (isCompletedPhase(status.phase)) return untilExpiry(run, status, now);
  const next = assessRun({ ...run, status }, now).nextReconcileAt;
  return next === undefined ? {} : { requeueAfterMs: Math.max(0, next.getTime() - now.getTime()) };
}

function untilExpiry(run: Pick<AnalysisRun, 'spec'>, status: AnalysisRunStatus, now: Date): ReconcileResult {
  const expiry = ttlExpiry({ spec: run.spec, status });
  return expiry === undefined ? {} : { requeueAfterMs: Math.max(0, expiry.getTime() - now.getTime()) };
}

/** A completed run is only garbage-collected: deleted once its `ttlStrategy` expires, else requeued for then. */
async function collectCompleted(
  deps: AnalysisReconcilerDeps,
  raw: KubeObject,
  now: Date,
): Promise<ReconcileResult> {
  const parsed = AnalysisRunSchema.safeParse(raw);
  if (!parsed.success) return {};
  const wait = untilExpiry(parsed.data, parsed.data.status ?? {}, now);
  if (wait.requeueAfterMs === undefined || wait.requeueAfterMs > 0) return wait;
  await deleteAnalysisRun(deps.client, parsed.data.metadata.namespace ?? '', parsed.data.metadata.name ?? '');
  deps.logger.info({ analysisRun: objectKey(raw) }, 'deleted after its ttlStrategy expired');
  return {};
}

async function statusOrError(
  deps: AnalysisReconcilerDeps,
  parsed: ReturnType<typeof AnalysisRunSchema.safeParse>,
  now: Date,
): Promise<AnalysisRunStatus> {
  if (!parsed.success) {
    return errorStatus(
      undefined,
      `invalid AnalysisRun: ${parsed.error.issues[0]?.message ?? 'unknown'}`,
      now,
    );
  }
  try {
    return await nextStatus(deps, parsed.data, now);
  } catch (err) {
    if (isApiError(err)) throw err;
    return errorStatus(parsed.data, (err as Error).message, now);
  }
}

/**
 * One reconcile of the AnalysisRun `key`: takes the measurements due now, assesses the run with Argo's
 * rules and writes `status` with one merge patch (none when unchanged). A run that does not parse, or
 * whose arguments cannot be resolved, ends in phase Error with the reason. A completed run is only deleted
 * here once its `ttlStrategy` expires (the Rollout reconciler applies the run history limits).
 */
export async function reconcileAnalysisRun(
  deps: AnalysisReconcilerDeps,
  key: string,
): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const raw = deps.runs.get(namespace, name);
  if (!raw || raw.metadata?.deletionTimestamp) return {};
  const before = (raw as { status?: AnalysisRunStatus }).status ?? {};
  const now = deps.clock.now();
  if (isCompletedPhase(before.phase)) return collectCompleted(deps, raw, now);
  const parsed = AnalysisRunSchema.safeParse(raw);
  const status = await statusOrError(deps, parsed, now);
  const diff = mergePatch(before, status);
  if (diff !== undefined) {
    await deps.client.patchStatus(
      Resources.analysisRuns,
      { namespace, name },
      { type: 'merge', body: { status: diff } },
    );
    deps.logger.debug({ analysisRun: key, phase: status.phase }, 'status updated');
    if (parsed.success && before.startedAt === undefined && status.startedAt !== undefined) {
      warnInsecure(deps, raw, parsed.data);
    }
  }
  return parsed.success ? requeueFor(parsed.data, status, now) : {};
}
