import type { Issue, Rollout } from '../../api/index.js';
import {
  checkRollout,
  MANAGED_BY_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  strategyServiceNames,
} from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { EventRecorder } from '../../kube/events.js';
import { mergePatch } from '../../kube/merge-patch.js';
import { type CacheSet, cachedReadClient, type ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import { splitKey } from '../../kube/types.js';
import type { ReconcileResult } from '../../kube/work-queue.js';
import type { RouterFactory } from '../../traffic/router-set.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { RolloutPlan } from '../core/actions.js';
import type {
  AnalysisRunView,
  PodView,
  ReplicaSetLike,
  RolloutSnapshot,
  ServiceView,
} from '../core/snapshot.js';
import { replicaSetView } from '../core/snapshot.js';
import { planInvalidSpec } from '../plan/plan-rollout.js';
import { needsPods } from '../plan/pod-restart.js';
import { planWithWorkloadRef } from '../plan/workload-ref-plan.js';
import { executeActions } from './executor.js';
import { observeTraffic } from './observe-traffic.js';
import { observeWorkloadRef, type WorkloadCaches } from './observe-workload.js';
import type { ObjectWrite, WriteExpectations } from './write-expectations.js';

/** Everything one Rollout reconcile needs; no module state. */
export interface RolloutReconcilerDeps {
  client: KubeClient;
  events: EventRecorder;
  clock: Clock;
  logger: Logger;
  rollouts: ObjectCache<KubeObject>;
  replicaSets: ObjectCache<KubeObject>;
  analysisRuns?: ObjectCache<KubeObject>;
  /** The writes of earlier passes (ReplicaSets, Rollout status) the caches have not shown yet, per key. */
  expectations: WriteExpectations;
  /** Caches of Services and routed objects, by resource plural; absent → they are read from the API. */
  routeCaches?: CacheSet<string>;
  /** Builds the traffic routers of a Rollout (injected: the reconciler imports no concrete router). */
  routers?: RouterFactory;
  /** Caches of the workloads `spec.workloadRef` names; absent (or a kind not watched) → read from the API. */
  workloadCaches?: WorkloadCaches;
}

/**
 * How soon a Rollout held back by unmet expectations is looked at again. A backstop only: the watch event
 * that brings the cache up to date enqueues the key at once.
 */
export const EXPECTATIONS_REQUEUE_MS = 75;

function ownedBy(obj: KubeObject, uid: string | undefined): boolean {
  return (
    Boolean(uid) && (obj.metadata?.ownerReferences ?? []).some((ref) => ref.uid === uid && ref.controller)
  );
}

/** A metadata timestamp as RFC 3339 text (client-node may hand back a Date). */
function timestampText(at: string | Date | undefined): string | undefined {
  return at instanceof Date ? at.toISOString() : at;
}

function analysisRunView(run: KubeObject): AnalysisRunView {
  const r = run as KubeObject & {
    status?: { phase?: string; message?: string };
    spec?: { terminate?: boolean };
  };
  const created = timestampText(r.metadata?.creationTimestamp);
  return {
    name: r.metadata?.name ?? '',
    labels: r.metadata?.labels ?? {},
    ...(r.status?.phase ? { phase: r.status.phase } : {}),
    ...(r.status?.message ? { message: r.status.message } : {}),
    ...(r.spec?.terminate ? { terminate: true } : {}),
    ...(created === undefined ? {} : { createdAt: created }),
  };
}

async function serviceViews(client: KubeClient, rollout: Rollout): Promise<ServiceView[]> {
  const views: ServiceView[] = [];
  for (const name of strategyServiceNames(rollout.spec.strategy ?? {})) {
    try {
      const svc = await client.get<KubeObject & { spec?: { selector?: Record<string, string> } }>(
        Resources.services,
        rollout.metadata.namespace,
        name,
      );
      const managedBy = svc.metadata?.annotations?.[MANAGED_BY_ANNOTATION];
      const podTemplateHash = svc.spec?.selector?.[POD_TEMPLATE_HASH_LABEL];
      views.push({ name, podTemplateHash, ...(managedBy === undefined ? {} : { managedBy }) });
    } catch (err) {
      if (!isApiError(err, 'NotFound')) throw err;
    }
  }
  return views;
}

interface PodLike extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

function podView(pod: PodLike, replicaSet: string): PodView {
  const meta = pod.metadata ?? {};
  return {
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    replicaSet,
    creationTimestamp: timestampText(meta.creationTimestamp) ?? '',
    ready: (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: Boolean(meta.deletionTimestamp),
  };
}

/** The pods of the named ReplicaSets (by controller owner reference), listed from the API. */
async function podViews(client: KubeClient, namespace: string | undefined, owners: Set<string>) {
  const list = await client.list<PodLike>(Resources.pods, namespace, {
    labelSelector: POD_TEMPLATE_HASH_LABEL,
  });
  return list.items.flatMap((pod) => {
    const owner = pod.metadata?.ownerReferences?.find((ref) => ref.kind === 'ReplicaSet' && ref.controller);
    return owner && owners.has(owner.name) ? [podView(pod, owner.name)] : [];
  });
}

/**
 * Gathers the snapshot of one parsed Rollout from the caches: its ReplicaSets and AnalysisRuns, its
 * Services and (with traffic routing) what its routers show, from the route caches when given (else the
 * API), and while a restart is pending the pods of its ReplicaSets, from the API. With `spec.workloadRef`
 * the snapshot holds the effective Rollout (template from the referenced workload) and the observation.
 */
export async function observeRollout(deps: RolloutReconcilerDeps, parsed: Rollout): Promise<RolloutSnapshot> {
  const { rollout, workload } = await observeWorkloadRef(deps.client, deps.workloadCaches, parsed);
  const ns = rollout.metadata.namespace;
  const uid = rollout.metadata.uid;
  const replicaSets = deps.replicaSets
    .list(ns)
    .filter((rs) => ownedBy(rs, uid))
    .map((rs) => replicaSetView(rs as ReplicaSetLike));
  const analysisRuns = (deps.analysisRuns?.list(ns) ?? [])
    .filter((r) => ownedBy(r, uid))
    .map(analysisRunView);
  const reader = deps.routeCaches ? cachedReadClient(deps.client, deps.routeCaches) : deps.client;
  const services = await serviceViews(reader, rollout);
  const traffic = await observeTraffic(reader, rollout, deps.routers);
  const owners = new Set(replicaSets.map((rs) => rs.name));
  const pods = needsPods(rollout) ? { pods: await podViews(deps.client, ns, owners) } : {};
  const observed = {
    rollout,
    replicaSets,
    analysisRuns,
    services,
    ...pods,
    ...(workload === undefined ? {} : { workload }),
    now: deps.clock.now(),
  };
  return traffic === undefined ? observed : { ...observed, traffic };
}

/** The status merge patch for a plan, or undefined when the status is unchanged (no write). */
export function statusPatchFor(observed: KubeObject, plan: RolloutPlan): object | undefined {
  const before = (observed as { status?: unknown }).status ?? {};
  const diff = mergePatch(before, plan.status);
  return diff === undefined ? undefined : { status: diff };
}

/**
 * The plan of a Rollout that does not parse or validate: only its `InvalidSpec` condition, made without
 * observing anything (observing reads the objects and routers the spec names, which it cannot be trusted to).
 */
function invalidSpecPlan(
  deps: RolloutReconcilerDeps,
  raw: KubeObject,
  checked: { rollout: Rollout | undefined; issues: Issue[] },
): RolloutPlan {
  const rollout = checked.rollout ?? (raw as unknown as Rollout);
  const unobserved: RolloutSnapshot = { rollout, replicaSets: [], analysisRuns: [], now: deps.clock.now() };
  return planInvalidSpec(unobserved, checked.issues);
}

/**
 * False (after logging) while the caches still lack a write of an earlier pass of `key` (a ReplicaSet, or
 * the Rollout's status): a plan made from them would repeat that pass's decisions. Expired expectations
 * no longer hold the key back.
 */
function cacheCaughtUp(deps: RolloutReconcilerDeps, key: string, namespace: string | undefined): boolean {
  const check = deps.expectations.check(key, (kind, name) =>
    (kind === 'Rollout' ? deps.rollouts : deps.replicaSets).get(namespace, name),
  );
  if (check.state === 'satisfied') return true;
  const detail = { rollout: key, objects: check.waitingFor };
  if (check.state === 'expired') {
    deps.logger.info(detail, 'the cache never showed these writes; planning anyway');
    return true;
  }
  deps.logger.debug(detail, 'waiting for the cache to show our own writes');
  return false;
}

/** Plans from the snapshot and acts; the ReplicaSet writes made (even before a failure) become expectations. */
async function planAndAct(deps: RolloutReconcilerDeps, key: string, rollout: Rollout): Promise<RolloutPlan> {
  const plan = planWithWorkloadRef(await observeRollout(deps, rollout));
  const written: ObjectWrite[] = [];
  try {
    await executeActions(deps, rollout, plan.actions, written);
  } finally {
    deps.expectations.expect(key, written);
  }
  return plan;
}

/** Patches the Rollout's status; the response's resourceVersion is what the Rollout cache must reach. */
async function patchStatus(deps: RolloutReconcilerDeps, key: string, patch: object): Promise<void> {
  const { namespace, name } = splitKey(key);
  const body = { type: 'merge' as const, body: patch };
  const res = await deps.client.patchStatus(Resources.rollouts, { namespace, name }, body);
  const resourceVersion = res?.metadata?.resourceVersion;
  if (resourceVersion)
    deps.expectations.expect(key, [{ kind: 'Rollout', verb: 'patch', name, resourceVersion }]);
}

/**
 * One reconcile of the Rollout `key`: observe → plan → act → record. No plan is made while the caches have
 * not yet shown this Rollout's own earlier writes (a short requeue instead, bounded by the expectations'
 * TTL). The spec is validated before anything is observed; an invalid one only gets its `InvalidSpec`
 * condition (no actions, no requeue); the planner validates the observed Rollout once (with `workloadRef`
 * its template comes from the workload). Actions run in order and stop at the first failure (the work queue
 * retries with backoff); the status is patched once, and only when it changed.
 */
export async function reconcileRollout(deps: RolloutReconcilerDeps, key: string): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const raw = deps.rollouts.get(namespace, name);
  if (!raw || raw.metadata?.deletionTimestamp) {
    deps.expectations.forget(key);
    return {};
  }
  if (!cacheCaughtUp(deps, key, namespace)) return { requeueAfterMs: EXPECTATIONS_REQUEUE_MS };
  const checked = checkRollout(raw);
  const plan =
    checked.rollout !== undefined && checked.issues.length === 0
      ? await planAndAct(deps, key, checked.rollout)
      : invalidSpecPlan(deps, raw, checked);
  const patch = statusPatchFor(raw, plan);
  if (patch) {
    await patchStatus(deps, key, patch);
    deps.logger.debug({ rollout: key, phase: plan.status.phase }, 'status updated');
  }
  return plan.requeueAfterMs === undefined ? {} : { requeueAfterMs: plan.requeueAfterMs };
}
