import type { KubeConfig } from '@kubernetes/client-node';
import { checkRollout } from '../../api/index.js';
import { type KubeClient, qualifiedResource, Resources, type ResourceType } from '../../kube/client.js';
import type { ResilientInformer } from '../../kube/informer.js';
import { createInformer } from '../../kube/informers.js';
import type { CacheSet, ObjectCache } from '../../kube/object-cache.js';
import { probeCollection } from '../../kube/probe.js';
import type { KubeObject } from '../../kube/types.js';
import type { RouterFactory } from '../../traffic/router-set.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { RolloutReferences } from './reference-index.js';
import { cleanUpRouting, releaseServices, routingToCleanUp } from './traffic-cleanup.js';
import { type TrafficKind, type TrafficRef, virtualRouterTargets } from './traffic-ref-index.js';

/** How the traffic watch is wired; `namespace` scopes every informer as the Rollout informer is. */
export interface TrafficWatchOptions {
  kc: KubeConfig;
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  namespace?: string;
  /** The Rollout informer (subscribed before it starts: a removed routing or a deleted Rollout is cleaned up). */
  rollouts: ResilientInformer<KubeObject>;
  /** What Rollouts refer to; a change of a watched object enqueues the Rollouts naming it. */
  references: RolloutReferences;
  /** Builds the routers whose routing a removed or deleted Rollout leaves behind (clean-up). */
  routers?: RouterFactory;
  /**
   * The collection a kind is read from when a flag chose another API version or group than the default
   * (e.g. `--traffic-split-api-version`); the informer of that kind watches it instead.
   */
  resources?: Partial<Record<TrafficKind, ResourceType>>;
}

const WATCHED: readonly [TrafficKind, ResourceType][] = [
  ['services', Resources.services],
  ['ingresses', Resources.ingresses],
  ['virtualservices', Resources.virtualServices],
  ['destinationrules', Resources.destinationRules],
  ['trafficsplits', Resources.trafficSplits],
  ['traefikservices', Resources.traefikServices],
  ['httproutes', Resources.httpRoutes],
  ['mappings', Resources.ambassadorMappings],
  ['virtualservices.appmesh.k8s.aws', Resources.appMeshVirtualServices],
  ['virtualrouters', Resources.appMeshVirtualRouters],
  ['virtualnodes', Resources.appMeshVirtualNodes],
  ['apisixroutes', Resources.apisixRoutes],
];

/** Each watched collection's kind by its qualified resource name (the key `cachedReadClient` asks for). */
const KIND_BY_RESOURCE = new Map(WATCHED.map(([kind, res]) => [qualifiedResource(res), kind]));

/**
 * Kinds no Rollout names directly, with the objects through which a change reaches the Rollouts: an App Mesh
 * VirtualRouter through the VirtualNodes of its weighted targets.
 */
const REACHED_THROUGH: Partial<Record<TrafficKind, (obj: KubeObject) => TrafficRef[]>> = {
  virtualrouters: virtualRouterTargets,
};

/**
 * Watches the objects Rollouts route traffic through (Services, Ingresses, Istio VirtualServices and
 * DestinationRules, SMI TrafficSplits, TraefikServices, Gateway API HTTPRoutes, Ambassador Mappings, App Mesh
 * VirtualServices, VirtualRouters and VirtualNodes, ApisixRoutes) and maps every change to the Rollouts that
 * refer to it, so a
 * hand edit of a weight or selector is healed by a reconcile within moments, and Services and routes are
 * read from caches instead of the API. Invariants: a collection whose API is not served (CRD not
 * installed: 404) or not readable (403) is skipped at start with a log line, never blocking sync or
 * crashing; `cache(kind)` is defined only for collections whose informer has synced. A Rollout whose
 * traffic routing is removed, or which is deleted, gets a best-effort clean-up (`cleanUpRouting`).
 */
export class TrafficWatch implements CacheSet<string> {
  private readonly informers = new Map<TrafficKind, ResilientInformer<KubeObject>>();
  private readonly cleanups = new Set<Promise<void>>();

  constructor(private readonly opts: TrafficWatchOptions) {
    opts.rollouts.addHandlers({
      onUpdate: (obj, old) => this.cleanUpAfter(old, obj),
      onDelete: (obj) => this.cleanUpAfter(obj, undefined),
    });
  }

  /**
   * Starts the clean-up of a Rollout whose routing was removed or which was deleted (best effort, async):
   * routing first (all traffic to stable), then, for a deleted one of any strategy, its Services given back.
   */
  private cleanUpAfter(old: KubeObject | undefined, current: KubeObject | undefined): void {
    const { client, logger } = this.opts;
    const routed = routingToCleanUp(old, current);
    const deleted =
      current === undefined && old !== undefined ? (routed ?? checkRollout(old).rollout) : undefined;
    if (routed === undefined && deleted === undefined) return;
    const work = async () => {
      if (routed !== undefined) await cleanUpRouting(client, logger, routed, this.opts.routers);
      if (deleted !== undefined) await releaseServices(client, logger, deleted);
    };
    const done: Promise<void> = work().finally(() => this.cleanups.delete(done));
    this.cleanups.add(done);
  }

  /** Probes each collection, starts the informers of those served and waits until they have synced. */
  async start(): Promise<void> {
    const watched = WATCHED.map(([kind, res]): [TrafficKind, ResourceType] => [
      kind,
      this.opts.resources?.[kind] ?? res,
    ]);
    const served = await Promise.all(watched.map(([kind, res]) => this.probe(kind, res)));
    const started = watched
      .filter((_, i) => served[i])
      .map(([kind, res]) => {
        const informer = this.informer(kind, res);
        this.informers.set(kind, informer);
        return informer;
      });
    await Promise.all(started.map((i) => i.start()));
    await Promise.all(started.map((i) => i.waitForSync()));
  }

  /** Stops every informer started and waits for clean-ups under way. */
  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    await Promise.all(this.cleanups);
  }

  /** True once every started informer has listed its collection. */
  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /**
   * The synced cache of `key` (a `TrafficKind` or a qualified resource name such as
   * `virtualservices.networking.istio.io`), or undefined when that collection is not watched.
   */
  cache(key: string): ObjectCache | undefined {
    const informer = this.informers.get(KIND_BY_RESOURCE.get(key) ?? (key as TrafficKind));
    return informer?.hasSynced() ? informer : undefined;
  }

  private async probe(kind: TrafficKind, res: ResourceType): Promise<boolean> {
    const outcome = await probeCollection(this.opts.client, res, this.opts.namespace);
    if (outcome === 'readable') return true;
    this.opts.logger.info(
      { collection: kind, reason: outcome },
      'not watching this collection; its objects are read from the API when needed',
    );
    return false;
  }

  private informer(kind: TrafficKind, res: ResourceType): ResilientInformer<KubeObject> {
    const { kc, client, clock, logger, namespace } = this.opts;
    const changed = (obj: KubeObject) => this.enqueueReferring(kind, obj);
    return createInformer<KubeObject>(kc, client, res, {
      namespace,
      clock,
      logger,
      handlers: {
        onAdd: changed,
        onUpdate: (obj, old) => {
          changed(obj);
          if (old !== undefined && REACHED_THROUGH[kind] !== undefined) changed(old);
        },
        onDelete: changed,
      },
    });
  }

  /** Enqueues the Rollouts naming `obj`, or, for a kind reached through other objects, naming those. */
  private enqueueReferring(kind: TrafficKind, obj: KubeObject): void {
    const namespace = obj.metadata?.namespace ?? '';
    const through = REACHED_THROUGH[kind];
    const refs = through ? through(obj) : [{ kind, namespace, name: obj.metadata?.name ?? '' }];
    for (const ref of refs) this.opts.references.enqueueReferring(ref.kind, ref.namespace, ref.name);
  }
}
