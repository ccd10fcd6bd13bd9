import { writeFileSync } from 'node:fs';
import {
  type KubeConfig,
  type V1ManagedFieldsEntry,
  type V1Pod,
  type V1ReplicaSet,
  Watch,
} from '@kubernetes/client-node';
import { kubeRequest } from '../../../harness/kube-http.js';

/** One observed state of a pod: readiness, and who wrote the pod last (managedFields). */
export interface PodState {
  /** Wall-clock ms when the watch delivered it. */
  at: number;
  event: string;
  name: string;
  replicaSet: string;
  resourceVersion: string;
  phase: string;
  ready: boolean;
  /** `lastTransitionTime` of the Ready condition. */
  readySince?: string;
  deleting: boolean;
  node?: string;
  /** `manager/operation[/subresource]@time`, newest first. */
  writers: string[];
}

/** One observed Node Ready condition (the node lifecycle controller marks pods NotReady when it is not True). */
export interface NodeState {
  at: number;
  name: string;
  resourceVersion: string;
  ready: string;
  reason?: string;
  writers: string[];
}

/** One observed state of a ReplicaSet: its size, what the ReplicaSet controller reported, and who wrote it. */
export interface SetState {
  at: number;
  name: string;
  resourceVersion: string;
  spec: number;
  available: number;
  writers: string[];
}

/**
 * A watch-based timeline of the ReplicaSets and pods of one namespace and of every Node, kept across
 * dropped watches (re-list and re-watch). Invariant: every ReplicaSet and pod state and every Node Ready
 * change the API server delivered while it ran is recorded in arrival order, with its resourceVersion and
 * the writers from its managedFields.
 */
export interface AvailabilityRecorder {
  pods(): PodState[];
  nodes(): NodeState[];
  sets(): SetState[];
  /**
   * Pods of the ReplicaSets `owners` that the node lifecycle controller had marked NotReady (after they had
   * been Ready) and that were not Ready again nor deleted, as of resourceVersion `asOf`.
   */
  markedNotReady(owners: ReadonlySet<string>, asOf: bigint): PodState[];
  /** Writes the timeline as JSON (for a failing test's evidence). */
  dump(path: string): void;
  stop(): void;
}

function writersOf(fields: V1ManagedFieldsEntry[] | undefined): string[] {
  return [...(fields ?? [])]
    .sort((a, b) => String(b.time ?? '').localeCompare(String(a.time ?? '')))
    .map((f) => {
      const time = f.time instanceof Date ? f.time.toISOString() : String(f.time ?? '');
      return `${f.manager}/${f.operation}${f.subresource ? `/${f.subresource}` : ''}@${time}`;
    });
}

function podState(event: string, pod: V1Pod): PodState {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const since = ready?.lastTransitionTime;
  return {
    at: Date.now(),
    event,
    name: pod.metadata?.name ?? '',
    replicaSet: pod.metadata?.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name ?? '',
    resourceVersion: pod.metadata?.resourceVersion ?? '',
    phase: pod.status?.phase ?? '',
    ready: ready?.status === 'True',
    ...(since ? { readySince: since instanceof Date ? since.toISOString() : String(since) } : {}),
    deleting: Boolean(pod.metadata?.deletionTimestamp),
    ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    writers: writersOf(pod.metadata?.managedFields),
  };
}

interface NodeLike {
  metadata?: V1Pod['metadata'];
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
}

function nodeState(node: NodeLike): NodeState {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    at: Date.now(),
    name: node.metadata?.name ?? '',
    resourceVersion: node.metadata?.resourceVersion ?? '',
    ready: ready?.status ?? '',
    ...(ready?.reason ? { reason: ready.reason } : {}),
    writers: writersOf(node.metadata?.managedFields),
  };
}

/** Lists then watches `path` until stopped, calling `onObject` for every listed and watched object. */
function follow(kc: KubeConfig, path: string, onObject: (event: string, obj: unknown) => void) {
  const watch = new Watch(kc);
  let stopped = false;
  let current: AbortController | undefined;
  const cycle = async (): Promise<void> => {
    if (stopped) return;
    try {
      const list = await kubeRequest<{ metadata: { resourceVersion: string }; items: unknown[] }>(
        kc,
        'GET',
        path,
      );
      for (const item of list.items) onObject('LIST', item);
      current = await watch.watch(
        path,
        { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: false },
        (phase, obj) => onObject(phase, obj),
        () => setImmediate(() => void cycle()),
      );
    } catch {
      setTimeout(() => void cycle(), 250);
    }
  };
  void cycle();
  return () => {
    stopped = true;
    current?.abort();
  };
}

/** Starts recording the ReplicaSets and pods of `namespace` and all Nodes through `kc` (admin). */
export function recordAvailability(kc: KubeConfig, namespace: string): AvailabilityRecorder {
  const pods: PodState[] = [];
  const nodes: NodeState[] = [];
  const sets: SetState[] = [];
  const stops = [
    follow(kc, `/apis/apps/v1/namespaces/${namespace}/replicasets`, (event, obj) => {
      if (event !== 'ERROR' && event !== 'BOOKMARK') sets.push(setState(obj as V1ReplicaSet));
    }),
    follow(kc, `/api/v1/namespaces/${namespace}/pods`, (event, obj) => {
      if (event !== 'ERROR' && event !== 'BOOKMARK') pods.push(podState(event, obj as V1Pod));
    }),
    follow(kc, '/api/v1/nodes', (event, obj) => {
      if (event === 'ERROR' || event === 'BOOKMARK') return;
      const state = nodeState(obj as NodeLike);
      const last = nodes.findLast((n) => n.name === state.name);
      if (!last || last.ready !== state.ready) nodes.push(state);
    }),
  ];
  return {
    pods: () => [...pods],
    nodes: () => [...nodes],
    sets: () => [...sets],
    markedNotReady: (owners, asOf) => markedNotReady(pods, owners, asOf),
    dump: (path) => writeFileSync(path, JSON.stringify({ pods, nodes, sets }, null, 1)),
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}

function setState(rs: V1ReplicaSet): SetState {
  return {
    at: Date.now(),
    name: rs.metadata?.name ?? '',
    resourceVersion: rs.metadata?.resourceVersion ?? '',
    spec: rs.spec?.replicas ?? 0,
    available: rs.status?.availableReplicas ?? 0,
    writers: writersOf(rs.metadata?.managedFields).slice(0, 2),
  };
}

export const rv = (text: string | undefined): bigint => (text && /^\d+$/.test(text) ? BigInt(text) : 0n);
export const newest = (rvs: readonly bigint[]): bigint =>
  [...rvs].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))[0] ?? 0n;

/**
 * Whether kube-controller-manager ever wrote the pod's status: in this harness only the node lifecycle
 * controller does (`Ready=False` on the pods of a Node it sets Unknown); kwok is the pods' kubelet.
 */
const byNodeLifecycle = (p: PodState) =>
  p.writers.some((w) => w.startsWith('kube-controller-manager/Update/status@'));

/**
 * Pods of `owners` that, as of resourceVersion `asOf`, were Ready once and then had Ready=False written by
 * kube-controller-manager (the node lifecycle controller's NodeNotReady), and were neither Ready again nor
 * deleted since.
 */
function markedNotReady(pods: readonly PodState[], owners: ReadonlySet<string>, asOf: bigint): PodState[] {
  const wasReady = new Set<string>();
  const marked = new Map<string, PodState>();
  for (const p of pods) {
    if (rv(p.resourceVersion) > asOf) continue;
    if (p.event === 'DELETED' || p.deleting || p.ready) marked.delete(p.name);
    if (p.ready) wasReady.add(p.name);
    else if (wasReady.has(p.name) && !p.deleting && p.event !== 'DELETED' && byNodeLifecycle(p)) {
      marked.set(p.name, p);
    }
  }
  return [...marked.values()].filter((p) => owners.has(p.replicaSet));
}
