import type { KubeClient } from '../../kube/client.js';
import type { EventRecorder } from '../../kube/events.js';
import type { ResilientInformer } from '../../kube/informer.js';
import type { KubeObject } from '../../kube/types.js';
import { objectKey } from '../../kube/types.js';
import { WorkQueue, type WorkQueueHooks } from '../../kube/work-queue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { JOB_ANNOTATIONS } from '../providers/job-object.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { reconcileAnalysisRun } from './reconciler.js';

/** How the AnalysisRun controller is wired. */
export interface AnalysisRunControllerOptions {
  client: KubeClient;
  /** The AnalysisRun cache, shared with (and started and stopped by) the Rollout controller. */
  runs: ResilientInformer<KubeObject>;
  clock: Clock;
  logger: Logger;
  registry: ProviderRegistry;
  /** Where Warnings about runs go (a metric with `insecure: true`); none when absent. */
  events?: EventRecorder;
  /**
   * The cache of metric Jobs (labelled `analysisrun.argoproj.io/uid`) the `job` provider reads; this
   * controller starts and stops it, and a changed Job enqueues the run named in its annotations.
   */
  jobs?: ResilientInformer<KubeObject>;
  workers?: number;
  /** Observers of the work queue (metrics); default none. */
  queueHooks?: WorkQueueHooks;
}

/** The `namespace/name` of the AnalysisRun a metric Job measures for (from Argo's Job annotations). */
function jobRunKey(job: KubeObject): string | undefined {
  const annotations = job.metadata?.annotations ?? {};
  const name = annotations[JOB_ANNOTATIONS.runName];
  const namespace = annotations[JOB_ANNOTATIONS.runNamespace] ?? job.metadata?.namespace;
  return name ? `${namespace}/${name}` : undefined;
}

/**
 * Reconciles each AnalysisRun through a de-duplicating work queue: measurements are taken when due (the
 * queue's `requeueAfterMs` schedules the next one), verdicts written to status. It subscribes to the
 * shared AnalysisRun informer rather than watching the collection a second time.
 */
export class AnalysisRunController {
  readonly queue: WorkQueue;
  private readonly runs: ResilientInformer<KubeObject>;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly opts: AnalysisRunControllerOptions) {
    this.queue = new WorkQueue({ clock: opts.clock, logger: opts.logger, hooks: opts.queueHooks });
    const enqueue = (obj: KubeObject) => this.queue.add(objectKey(obj));
    this.runs = opts.runs;
    this.runs.addHandlers({ onAdd: enqueue, onUpdate: enqueue, onResync: enqueue });
    const enqueueRun = (job: KubeObject) => {
      const key = jobRunKey(job);
      if (key) this.queue.add(key);
    };
    opts.jobs?.addHandlers({ onAdd: enqueueRun, onUpdate: enqueueRun, onDelete: enqueueRun });
  }

  /** Waits until the shared informer (started by its owner) has listed, then starts the workers. */
  async start(): Promise<void> {
    await this.opts.jobs?.start();
    await Promise.all([this.runs.waitForSync(), this.opts.jobs?.waitForSync()]);
    const { client, clock, logger, registry, events } = this.opts;
    const deps = { client, clock, logger, registry, events, runs: this.runs, signal: this.abort.signal };
    this.running = this.queue.run((key) => reconcileAnalysisRun(deps, key), this.opts.workers ?? 4);
  }

  /** True once the informer has listed AnalysisRuns. */
  hasSynced(): boolean {
    return this.runs.hasSynced() && (this.opts.jobs?.hasSynced() ?? true);
  }

  /** Cancels in-flight measurements and drains the queue (the informer's owner stops it). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.queue.shutdown();
    await this.running;
    await this.opts.jobs?.stop();
  }
}
