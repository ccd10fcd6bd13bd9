import type { WorkloadKind } from '../../api/index.js';
import { WORKLOAD_RESOURCES } from '../../kube/client.js';
import type { ResilientInformer } from '../../kube/informer.js';
import { createInformer } from '../../kube/informers.js';
import type { ObjectCache } from '../../kube/object-cache.js';
import { probeCollection } from '../../kube/probe.js';
import type { KubeObject } from '../../kube/types.js';
import type { WorkloadCaches } from './observe-workload.js';
import type { TrafficWatchOptions } from './traffic-watch.js';

/** How the workload watch is wired: as the traffic watch (`references` enqueues each Rollout naming a changed workload). */
export type WorkloadWatchOptions = TrafficWatchOptions;

/**
 * The kinds watched. A referenced ReplicaSet is read from the API on each pass instead: watching every
 * ReplicaSet of the cluster (not only those Rollouts own) would double the controller's largest cache.
 */
const WATCHED: readonly WorkloadKind[] = ['Deployment', 'PodTemplate'];

/**
 * True when an event may change what a Rollout takes from the object: an add or delete, a Deployment
 * with a new generation or identity (its status updates are ignored), any update of a PodTemplate (it has
 * no status, and no generation to compare).
 */
function specChanged(kind: WorkloadKind, obj: KubeObject, old: KubeObject | undefined): boolean {
  if (old === undefined || kind === 'PodTemplate') return true;
  return old.metadata?.generation !== obj.metadata?.generation || old.metadata?.uid !== obj.metadata?.uid;
}

/** The watched kind a Rollout object's `spec.workloadRef` names, if any. */
function watchedKindOf(rollout: KubeObject): WorkloadKind | undefined {
  const kind = (rollout as { spec?: { workloadRef?: { kind?: unknown } } }).spec?.workloadRef?.kind;
  return WATCHED.find((k) => k === kind);
}

/**
 * Watches the Deployments and PodTemplates Rollouts take their pod template from (`spec.workloadRef`) and
 * enqueues every Rollout referencing an object that was created, deleted or changed (`specChanged`). As
 * Argo's resolver, a kind is watched only once some Rollout references it, so a cluster without
 * `workloadRef` caches no Deployment. Invariants: a collection
 * that cannot be listed (403/404) is not watched (logged once) and is read from the API when needed;
 * `cache(kind)` is defined only for synced informers; nothing starts after `stop`.
 */
export class WorkloadWatch implements WorkloadCaches {
  private readonly informers = new Map<WorkloadKind, ResilientInformer<KubeObject>>();
  private readonly watching = new Map<WorkloadKind, Promise<void>>();
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(private readonly opts: WorkloadWatchOptions) {
    const seen = (obj: KubeObject) => {
      const kind = watchedKindOf(obj);
      if (kind !== undefined && this.state === 'running') void this.watch(kind);
    };
    opts.rollouts.addHandlers({ onAdd: seen, onUpdate: seen });
  }

  /** Starts watching the kinds referenced so far (waiting until they have synced); later ones start on demand. */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'running';
    const kinds = WATCHED.filter((kind) => this.opts.references.refersTo(WORKLOAD_RESOURCES[kind].plural));
    await Promise.all(kinds.map((kind) => this.watch(kind)));
  }

  /** Stops every informer started; none starts afterwards. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  /** True once every started informer has listed its collection. */
  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** The synced cache of `kind`, or undefined when that kind is not (yet) watched. */
  cache(kind: WorkloadKind): ObjectCache | undefined {
    const informer = this.informers.get(kind);
    return informer?.hasSynced() ? informer : undefined;
  }

  /** Starts the informer of `kind` once (probing first); resolves when it has synced or was skipped. */
  private watch(kind: WorkloadKind): Promise<void> {
    const existing = this.watching.get(kind);
    if (existing) return existing;
    const started = this.startInformer(kind).catch((err: unknown) => {
      this.opts.logger.warn({ kind, err }, 'could not start watching this workload kind');
    });
    this.watching.set(kind, started);
    return started;
  }

  private async startInformer(kind: WorkloadKind): Promise<void> {
    if (!(await this.probe(kind)) || this.state !== 'running') return;
    const informer = this.informer(kind);
    this.informers.set(kind, informer);
    await informer.start();
    await informer.waitForSync();
  }

  private async probe(kind: WorkloadKind): Promise<boolean> {
    const outcome = await probeCollection(this.opts.client, WORKLOAD_RESOURCES[kind], this.opts.namespace);
    if (outcome === 'readable') return true;
    this.opts.logger.info(
      { kind, reason: outcome },
      'not watching this workload kind; referenced objects are read from the API',
    );
    return false;
  }

  private informer(kind: WorkloadKind): ResilientInformer<KubeObject> {
    const { kc, client, clock, logger, namespace } = this.opts;
    const changed = (obj: KubeObject, old?: KubeObject) => {
      if (!specChanged(kind, obj, old)) return;
      const { namespace = '', name = '' } = obj.metadata ?? {};
      this.opts.references.enqueueReferring(WORKLOAD_RESOURCES[kind].plural, namespace, name);
    };
    return createInformer<KubeObject>(kc, client, WORKLOAD_RESOURCES[kind], {
      namespace,
      clock,
      logger,
      name: `workload-${WORKLOAD_RESOURCES[kind].plural}`,
      handlers: { onAdd: (obj) => changed(obj), onUpdate: changed, onDelete: (obj) => changed(obj) },
    });
  }
}
