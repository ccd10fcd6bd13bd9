import type { KubeClient } from '../../kube/client.js';
import type { EventRecorder } from '../../kube/events.js';
import type { ResilientInformer } from '../../kube/informer.js';
import type { KubeObject } from '../../kube/types.js';
import { objectKey } from '../../kube/types.js';
import { WorkQueue, type WorkQueueHooks } from '../../kube/work-queue.js';
import { WriteExpectations } from '../../kube/write-expectations.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { reconcileExperiment } from './reconciler.js';

/** How the Experiment controller is wired. */
export interface ExperimentControllerOptions {
  client: KubeClient;
  events: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** The ReplicaSet cache (pod-template-hash labelled), shared with and started by the Rollout controller. */
  replicaSets: ResilientInformer<KubeObject>;
  /** The AnalysisRun cache, shared with and started by the Rollout controller. */
  analysisRuns: ResilientInformer<KubeObject>;
  /**
   * The Experiment cache (instance-id selected, namespace-scoped as the controller), shared with and started
   * by the Rollout controller, which also reads it for `experiment` steps.
   */
  experiments: ResilientInformer<KubeObject>;
  workers?: number;
  queueHooks?: WorkQueueHooks;
}

function ownerExperimentKey(obj: KubeObject): string | undefined {
  const owner = obj.metadata?.ownerReferences?.find((ref) => ref.kind === 'Experiment' && ref.controller);
  if (!owner) return undefined;
  return obj.metadata?.namespace ? `${obj.metadata.namespace}/${owner.name}` : owner.name;
}

/**
 * Reconciles Experiments through a de-duplicating work queue. It subscribes to the shared Experiment,
 * ReplicaSet and AnalysisRun caches (started by the Rollout controller), so a change of an Experiment, of a
 * template's pods or of an analysis enqueues the Experiment concerned.
 */
export class ExperimentController {
  readonly queue: WorkQueue;
  private readonly experiments: ResilientInformer<KubeObject>;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: ExperimentControllerOptions) {
    this.queue = new WorkQueue({ clock: opts.clock, logger: opts.logger, hooks: opts.queueHooks });
    const enqueueSelf = (obj: KubeObject) => this.queue.add(objectKey(obj));
    const enqueueOwner = (obj: KubeObject) => {
      const key = ownerExperimentKey(obj);
      if (key) this.queue.add(key);
    };
    this.experiments = opts.experiments;
    this.experiments.addHandlers({
      onAdd: enqueueSelf,
      onUpdate: enqueueSelf,
      onDelete: enqueueSelf,
      onResync: enqueueSelf,
    });
    const owned = { onAdd: enqueueOwner, onUpdate: enqueueOwner, onDelete: enqueueOwner };
    opts.replicaSets.addHandlers(owned);
    opts.analysisRuns.addHandlers(owned);
  }

  /** Waits for the shared caches, then starts the workers. */
  async start(): Promise<void> {
    const { replicaSets, analysisRuns } = this.opts;
    await Promise.all([
      this.experiments.waitForSync(),
      replicaSets.waitForSync(),
      analysisRuns.waitForSync(),
    ]);
    const deps = {
      client: this.opts.client,
      events: this.opts.events,
      clock: this.opts.clock,
      logger: this.opts.logger,
      experiments: this.experiments,
      replicaSets,
      analysisRuns,
      expectations: new WriteExpectations({ clock: this.opts.clock }),
    };
    this.running = this.queue.run((key) => reconcileExperiment(deps, key), this.opts.workers ?? 4);
  }

  /** True once the Experiment cache has listed. */
  hasSynced(): boolean {
    return this.experiments.hasSynced();
  }

  /** Drains the queue (the shared caches are stopped by their owner). */
  async stop(): Promise<void> {
    await this.queue.shutdown();
    await this.running;
  }
}
