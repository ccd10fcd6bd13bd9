import type { Rollout } from '../../api/index.js';
import { MANAGED_BY_ANNOTATION, POD_TEMPLATE_HASH_LABEL, strategyServiceNames } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import { type CacheSet, cachedReadClient, type ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import type { RouterFactory } from '../../traffic/router-set.js';
import type { Clock } from '../../util/clock.js';
import type {
  AnalysisRunView,
  ExperimentView,
  PodView,
  ReplicaSetLike,
  RolloutSnapshot,
  ServiceView,
} from '../core/snapshot.js';
import { replicaSetView } from '../core/snapshot.js';
import { needsPods } from '../plan/pod-restart.js';
import type { TemplateKind } from './analysis-template-watch.js';
import { observeAnalysisTemplates } from './observe-analysis.js';
import { observeTraffic } from './observe-traffic.js';
import { observeWorkloadRef, type WorkloadCaches } from './observe-workload.js';

/** What observing a Rollout reads through: the API (writes never), the caches, the router factory, the clock. */
export interface ObserveDeps {
  client: KubeClient;
  clock: Clock;
  replicaSets: ObjectCache<KubeObject>;
  analysisRuns?: ObjectCache<KubeObject>;
  /** The Experiment cache (the Experiments `experiment` steps create); absent → none are seen. */
  experiments?: ObjectCache<KubeObject>;
  /** Caches of Services and routed objects, by resource plural; absent → they are read from the API. */
  routeCaches?: CacheSet<string>;
  /** Builds the traffic routers of a Rollout (injected: the reconciler imports no concrete router). */
  routers?: RouterFactory;
  /** Caches of the workloads `spec.workloadRef` names; absent (or a kind not watched) → read from the API. */
  workloadCaches?: WorkloadCaches;
  /** Caches of AnalysisTemplates and ClusterAnalysisTemplates; absent → analysis references are not checked. */
  analysisTemplates?: CacheSet<TemplateKind>;
}

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

type ExperimentLike = KubeObject & {
  spec?: { terminate?: boolean };
  status?: {
    phase?: string;
    message?: string;
    templateStatuses?: { name: string; serviceName?: string; podTemplateHash?: string }[];
  };
};

function experimentView(obj: KubeObject): ExperimentView {
  const e = obj as ExperimentLike;
  const created = timestampText(e.metadata?.creationTimestamp);
  return {
    name: e.metadata?.name ?? '',
    labels: e.metadata?.labels ?? {},
    ...(e.status?.phase ? { phase: e.status.phase } : {}),
    ...(e.status?.message ? { message: e.status.message } : {}),
    ...(e.spec?.terminate ? { terminate: true } : {}),
    ...(created === undefined ? {} : { createdAt: created }),
    templateStatuses: (e.status?.templateStatuses ?? []).map((t) => ({
      name: t.name,
      ...(t.serviceName ? { serviceName: t.serviceName } : {}),
      ...(t.podTemplateHash ? { podTemplateHash: t.podTemplateHash } : {}),
    })),
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
 * Gathers the snapshot of one parsed Rollout from the caches: its ReplicaSets, AnalysisRuns and Experiments
 * (those being deleted left out), its
 * Services and (with traffic routing) what its routers show, from the route caches when given (else the
 * API), the analysis templates it reaches (caches), and while a restart is pending the pods of its
 * ReplicaSets, from the API. With `spec.workloadRef`
 * the snapshot holds the effective Rollout (template from the referenced workload) and the observation.
 */
export async function observeRollout(deps: ObserveDeps, parsed: Rollout): Promise<RolloutSnapshot> {
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
  const experiments = (deps.experiments?.list(ns) ?? [])
    .filter((e) => ownedBy(e, uid) && !e.metadata?.deletionTimestamp)
    .map(experimentView);
  const reader = deps.routeCaches ? cachedReadClient(deps.client, deps.routeCaches) : deps.client;
  const services = await serviceViews(reader, rollout);
  const traffic = await observeTraffic(reader, rollout, deps.routers);
  const owners = new Set(replicaSets.map((rs) => rs.name));
  const pods = needsPods(rollout) ? { pods: await podViews(deps.client, ns, owners) } : {};
  const analysisTemplates = observeAnalysisTemplates(deps.analysisTemplates, rollout);
  const observed = {
    rollout,
    replicaSets,
    analysisRuns,
    experiments,
    services,
    ...pods,
    ...(workload === undefined ? {} : { workload }),
    ...(analysisTemplates === undefined ? {} : { analysisTemplates }),
    now: deps.clock.now(),
  };
  return traffic === undefined ? observed : { ...observed, traffic };
}
