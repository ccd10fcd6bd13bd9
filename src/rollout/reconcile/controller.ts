import type { KubeConfig } from '@kubernetes/client-node';
import { POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import type { KubeClient, ResourceType } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import type { EventRecorder } from '../../kube/events.js';
import type { ResilientInformer } from '../../kube/informer.js';
import { createInformer } from '../../kube/informers.js';
import { instanceSelector } from '../../kube/label-selector.js';
import type { KubeObject } from '../../kube/types.js';
import { objectKey } from '../../kube/types.js';
import { WorkQueue, type WorkQueueHooks } from '../../kube/work-queue.js';
import { WriteExpectations } from '../../kube/write-expectations.js';
import type { RouterFactory } from '../../traffic/router-set.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { AnalysisTemplateWatch } from './analysis-template-watch.js';
import { reconcileRollout } from './reconciler.js';
import { RolloutReferences } from './reference-index.js';
import { TrafficWatch, type TrafficWatchOptions } from './traffic-watch.js';
import { WorkloadWatch } from './workload-watch.js';

/** How the Rollout controller is wired. */
export interface RolloutControllerOptions {
  kc: KubeConfig;
  client: KubeClient;
  events: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** Watch one namespace only; default all. */
  namespace?: string;
  /** Concurrent reconciles over distinct Rollouts (default 4). */
  workers?: number;
  /** Observers of the work queue (metrics); default none. */
  queueHooks?: WorkQueueHooks;
  /** Builds the traffic routers of a Rollout (`createTrafficRouters`, composed in `main.ts`). */
  routers: RouterFactory;
  /** Argo's `--instance-id`: Rollouts and AnalysisRuns are watched through `instanceSelector`. */
  instanceId?: string;
  /** Traffic collections read from another API version or group than the default (router flags). */
  trafficResources?: TrafficWatchOptions['resources'];
}

function ownerRolloutKey(obj: KubeObject): string | undefined {
  const owner = obj.metadata?.ownerReferences?.find((ref) => ref.kind === 'Rollout' && ref.controller);
  if (!owner) return undefined;
  return obj.metadata?.namespace ? `${obj.metadata.namespace}/${owner.name}` : owner.name;
}

/**
 * Watches Rollouts and what they own (ReplicaSets carrying the pod-template-hash label, AnalysisRuns,
 * Experiments)
 * and what they route through (Services, Ingresses, VirtualServices, DestinationRules, HTTPRoutes:
 * `TrafficWatch`), take their pod template from (Deployments, PodTemplates: `WorkloadWatch`) and analyse
 * with (AnalysisTemplates, ClusterAnalysisTemplates: `AnalysisTemplateWatch`), and reconciles each Rollout
 * key through one de-duplicating work queue. Owned objects map to their owner's key, referenced objects
 * to the keys of the Rollouts naming them (one index: `RolloutReferences`), so every change of the world
 * — a referenced object appearing after its Rollout included — leads to a level-based reconcile. One expectations store is shared by the workers,
 * so no pass plans from caches that have not yet shown the writes (ReplicaSets, status) of the previous
 * pass of the same Rollout.
 */
export class RolloutController {
  readonly queue: WorkQueue;
  private readonly informers: ResilientInformer<KubeObject>[];
  private readonly rollouts: ResilientInformer<KubeObject>;
  private readonly replicaSets: ResilientInformer<KubeObject>;
  private readonly analysisRuns: ResilientInformer<KubeObject>;
  private readonly experiments: ResilientInformer<KubeObject>;
  private readonly traffic: TrafficWatch;
  private readonly workloads: WorkloadWatch;
  private readonly templates: AnalysisTemplateWatch;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: RolloutControllerOptions) {
    this.queue = new WorkQueue({ clock: opts.clock, logger: opts.logger, hooks: opts.queueHooks });
    const enqueueSelf = (obj: KubeObject) => this.queue.add(objectKey(obj));
    const enqueueOwner = (obj: KubeObject) => {
      const key = ownerRolloutKey(obj);
      if (key) this.queue.add(key);
    };
    const instance = instanceSelector(opts.instanceId);
    this.rollouts = this.informer(Resources.rollouts, enqueueSelf, instance);
    this.replicaSets = this.informer(Resources.replicaSets, enqueueOwner, POD_TEMPLATE_HASH_LABEL);
    this.analysisRuns = this.informer(Resources.analysisRuns, enqueueOwner, instance);
    this.experiments = this.informer(Resources.experiments, enqueueOwner, instance);
    this.informers = [this.rollouts, this.replicaSets, this.analysisRuns, this.experiments];
    const { kc, client, clock, logger, namespace, routers } = opts;
    const references = new RolloutReferences(this.rollouts, (key) => this.queue.add(key));
    const watchOptions = {
      kc,
      client,
      clock,
      logger,
      namespace,
      rollouts: this.rollouts,
      references,
      routers,
    };
    this.traffic = new TrafficWatch({ ...watchOptions, resources: opts.trafficResources });
    this.workloads = new WorkloadWatch(watchOptions);
    this.templates = new AnalysisTemplateWatch(watchOptions);
  }

  private informer(
    res: ResourceType,
    enqueue: (obj: KubeObject) => void,
    labelSelector?: string,
  ): ResilientInformer<KubeObject> {
    const { kc, client, clock, logger, namespace } = this.opts;
    return createInformer<KubeObject>(kc, client, res, {
      namespace,
      labelSelector,
      clock,
      logger,
      handlers: { onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue, onResync: enqueue },
    });
  }

  /** The Rollout cache this controller starts and stops; other controllers may subscribe to it (`addHandlers`). */
  get rolloutInformer(): ResilientInformer<KubeObject> {
    return this.rollouts;
  }

  /** The ReplicaSet cache (pod-template-hash labelled) this controller starts and stops; others may subscribe. */
  get replicaSetInformer(): ResilientInformer<KubeObject> {
    return this.replicaSets;
  }

  /** The AnalysisRun cache this controller starts and stops; other controllers may subscribe to it. */
  get analysisRunInformer(): ResilientInformer<KubeObject> {
    return this.analysisRuns;
  }

  /** The Experiment cache this controller starts and stops; the Experiment controller subscribes to it. */
  get experimentInformer(): ResilientInformer<KubeObject> {
    return this.experiments;
  }

  /** Starts the informers, waits until they have synced, then starts the workers. */
  async start(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.start()));
    const watches = [this.traffic.start(), this.workloads.start(), this.templates.start()];
    await Promise.all([...this.informers.map((i) => i.waitForSync()), ...watches]);
    const deps = {
      client: this.opts.client,
      events: this.opts.events,
      clock: this.opts.clock,
      logger: this.opts.logger,
      rollouts: this.rollouts,
      replicaSets: this.replicaSets,
      analysisRuns: this.analysisRuns,
      experiments: this.experiments,
      expectations: new WriteExpectations({ clock: this.opts.clock }),
      routeCaches: this.traffic,
      routers: this.opts.routers,
      workloadCaches: this.workloads,
      analysisTemplates: this.templates,
    };
    this.running = this.queue.run((key) => reconcileRollout(deps, key), this.opts.workers ?? 4);
  }

  /** True once every informer has listed its collection. */
  hasSynced(): boolean {
    const watches = this.traffic.hasSynced() && this.workloads.hasSynced() && this.templates.hasSynced();
    return this.informers.every((i) => i.hasSynced()) && watches;
  }

  /** Stops accepting work, drains the queue, stops the informers and flushes pending events. */
  async stop(): Promise<void> {
    await this.queue.shutdown();
    await this.running;
    const watches = [this.traffic.stop(), this.workloads.stop(), this.templates.stop()];
    await Promise.all([...this.informers.map((i) => i.stop()), ...watches]);
    await this.opts.events.flush();
  }
}
