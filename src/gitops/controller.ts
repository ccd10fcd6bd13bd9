import { type KubeClient, Resources } from '../kube/client.js';
import { isApiError } from '../kube/errors.js';
import type { EventRecorder } from '../kube/events.js';
import type { ResilientInformer } from '../kube/informer.js';
import { type KubeObject, objectKey, splitKey } from '../kube/types.js';
import { type ReconcileResult, WorkQueue } from '../kube/work-queue.js';
import { replicaSetName } from '../rollout/core/replicasets.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { decodeSecretData, type GitAuth, gitAuthFor, redact } from './credentials.js';
import { GitSession } from './git-session.js';
import {
  abortIdentity,
  abortRecorded,
  type ContainerImage,
  type ObservedRollout,
  type ObservedRun,
  pauseNotice,
  planWriteBack,
  type WriteBackRequest,
  writeBackDue,
} from './plan.js';
import { type GitRecord, outcomeRecord, RollbackRecorder } from './record.js';
import { writeBackRollback } from './write-back.js';

/** How the write-back controller is wired; the informers belong to the Rollout controller. */
export interface GitWriteBackOptions {
  client: KubeClient;
  events: EventRecorder;
  clock: Clock;
  logger: Logger;
  rollouts: ResilientInformer<KubeObject>;
  analysisRuns: ResilientInformer<KubeObject>;
  /** Accept `file://` remotes (tests, demo); default false. */
  allowFileRemotes?: boolean;
  /** Concurrent write-backs over distinct Rollouts (default 2). */
  workers?: number;
  /** Test seam: called right after a rollback commit was pushed, before it is recorded. */
  afterPush?: () => void;
}

function ownerKey(obj: KubeObject): string | undefined {
  const owner = obj.metadata?.ownerReferences?.find((ref) => ref.kind === 'Rollout' && ref.controller);
  return owner && obj.metadata?.namespace ? `${obj.metadata.namespace}/${owner.name}` : undefined;
}

/**
 * Writes automatic rollbacks back to Git, level-based: every change of an opted-in Rollout or its
 * AnalysisRuns queues the Rollout; a Rollout paused on a failed analysis instead of aborted gets a
 * `GitRollbackPaused` Event and no commit (`pauseNotice`); a pass decides from the cached Rollout (see `planWriteBack`) and, when due,
 * clones, commits and pushes in a temp dir and records the outcome on the Rollout (annotations + Event).
 * It has its own queue and workers, so a slow or failing remote never delays a Rollout reconcile; failures
 * retry with backoff from 2 s up to 5 min.
 */
export class GitWriteBackController {
  readonly queue: WorkQueue;
  private readonly recorder: RollbackRecorder;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: GitWriteBackOptions) {
    this.queue = new WorkQueue({
      clock: opts.clock,
      logger: opts.logger,
      baseDelayMs: 2000,
      maxDelayMs: 300_000,
    });
    this.recorder = new RollbackRecorder(opts.client, opts.events, opts.logger);
    const enqueue = (obj: KubeObject) => {
      const rollout = obj as unknown as ObservedRollout;
      if (writeBackDue(rollout) || pauseNotice(rollout)) this.queue.add(objectKey(obj));
    };
    const enqueueOwner = (obj: KubeObject) => {
      const key = ownerKey(obj);
      if (key) this.queue.add(key);
    };
    opts.rollouts.addHandlers({ onAdd: enqueue, onUpdate: enqueue, onResync: enqueue });
    opts.analysisRuns.addHandlers({ onUpdate: enqueueOwner });
  }

  /** Waits for the shared caches (started by the Rollout controller), then runs the workers. */
  async start(): Promise<void> {
    await Promise.all([this.opts.rollouts.waitForSync(), this.opts.analysisRuns.waitForSync()]);
    this.running = this.queue.run((key) => this.reconcile(key), this.opts.workers ?? 2);
  }

  /** True once the shared Rollout and AnalysisRun caches have synced. */
  hasSynced(): boolean {
    return this.opts.rollouts.hasSynced() && this.opts.analysisRuns.hasSynced();
  }

  /** Stops taking keys and waits for write-backs in flight. */
  async stop(): Promise<void> {
    await this.queue.shutdown();
    await this.running;
  }

  private async stableContainers(rollout: ObservedRollout): Promise<ContainerImage[] | undefined> {
    const hash = rollout.status?.stableRS;
    if (!hash) return undefined;
    const name = replicaSetName(rollout.metadata.name, hash);
    try {
      const rs = await this.opts.client.get<
        KubeObject & { spec?: { template?: { spec?: { containers?: ContainerImage[] } } } }
      >(Resources.replicaSets, rollout.metadata.namespace, name);
      return rs.spec?.template?.spec?.containers ?? [];
    } catch (err) {
      if (isApiError(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  private async auth(rollout: ObservedRollout, request: WriteBackRequest): Promise<GitAuth> {
    const name = request.target.secretName;
    if (!name) return { kind: 'none' };
    const secret = await this.opts.client
      .get<KubeObject & { data?: Record<string, string> }>(
        Resources.secrets,
        rollout.metadata.namespace,
        name,
      )
      .catch((err: unknown) => {
        if (isApiError(err, 'NotFound')) throw new Error(`Secret ${name} not found`);
        throw err;
      });
    const auth = gitAuthFor(request.target.repoUrl, name, decodeSecretData(secret.data));
    if (typeof auth === 'string') throw new Error(auth);
    return auth;
  }

  private async push(rollout: ObservedRollout, request: WriteBackRequest): Promise<GitRecord> {
    const auth = await this.auth(rollout, request);
    const session = await GitSession.open({ url: request.target.repoUrl, auth });
    try {
      const outcome = await writeBackRollback(session, request, this.opts.clock.now().toISOString());
      if (outcome.kind === 'committed') this.opts.afterPush?.();
      return outcomeRecord(request, outcome);
    } catch (err) {
      const secrets = auth.kind === 'none' ? [] : auth.secrets;
      throw new Error(redact(err instanceof Error ? err.message : String(err), secrets));
    } finally {
      await session.close();
    }
  }

  private async reconcile(key: string): Promise<ReconcileResult | undefined> {
    const { namespace = '', name } = splitKey(key);
    const rollout = this.opts.rollouts.get(namespace, name) as unknown as ObservedRollout | undefined;
    const notice = rollout && pauseNotice(rollout);
    if (rollout && notice) this.recorder.paused(rollout, notice);
    if (!rollout || !writeBackDue(rollout)) return undefined;
    const runs = this.opts.analysisRuns.list(namespace) as unknown as ObservedRun[];
    const abortId = abortIdentity(rollout, runs);
    if (!abortId || abortRecorded(rollout, abortId) || this.recorder.recorded(rollout, abortId))
      return undefined;
    const decision = planWriteBack({
      rollout,
      runs,
      stableContainers: await this.stableContainers(rollout),
      allowFileRemotes: this.opts.allowFileRemotes ?? false,
    });
    if (decision.kind === 'none') return undefined;
    if (decision.kind === 'refuse') {
      await this.recorder.failed(rollout, decision.message);
      return undefined;
    }
    try {
      await this.recorder.record(rollout, await this.push(rollout, decision.request));
      return undefined;
    } catch (err) {
      await this.recorder.failed(rollout, err instanceof Error ? err.message : String(err));
      return { requeue: true };
    }
  }
}
