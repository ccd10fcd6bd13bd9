import { type KubeClient, Resources } from '../kube/client.js';
import type { EventRecorder, EventType } from '../kube/events.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../util/logger.js';
import { GIT_RECORD } from './annotations.js';
import type { ObservedRollout, PauseNotice, WriteBackRequest } from './plan.js';
import type { WriteBackOutcome } from './write-back.js';

/** Event reasons of the write-back (the Rollout's Events). */
export const GIT_EVENT = {
  committed: 'GitRollbackCommitted',
  unchanged: 'GitRollbackUnchanged',
  failed: 'GitRollbackFailed',
  /** The Rollout paused on a failed analysis instead of aborting: nothing is committed. */
  paused: 'GitRollbackPaused',
} as const;

/** What is written on the Rollout once an abort has been handled. */
export interface GitRecord {
  abortedAt: string;
  /** The abort's identity (`abortIdentity`). */
  abortId: string;
  /** The commit SHA; undefined when no commit was needed or the file could not be edited. */
  commit?: string;
  branch?: string;
  /** Set when the abort is settled without a commit because a person must look (kept on the Rollout). */
  error?: string;
  event: { type: EventType; reason: string; message: string };
}

const MAX_MESSAGE = 1000;

function rolloutObject(rollout: ObservedRollout): KubeObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: rollout.metadata };
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** Maps a write-back outcome to the annotations and the Event that record it. */
export function outcomeRecord(request: WriteBackRequest, outcome: WriteBackOutcome): GitRecord {
  const { facts, target } = request;
  const where = `${target.repoUrl} ${request.pushBranch}`;
  const change = `${target.path}: ${facts.fromImage} -> ${facts.toImage}`;
  const base = { abortedAt: facts.abortedAt, abortId: facts.abortId };
  const normal = (reason: string, message: string) => ({ type: 'Normal' as const, reason, message });
  switch (outcome.kind) {
    case 'committed':
    case 'found': {
      const verb =
        outcome.kind === 'committed' ? `Committed ${outcome.sha} to` : `Found ${outcome.sha} already on`;
      const event = normal(GIT_EVENT.committed, `${verb} ${where} (${change})`);
      return { ...base, commit: outcome.sha, branch: outcome.branch, event };
    }
    case 'unchanged': {
      const event = normal(GIT_EVENT.unchanged, `${target.path} on ${where} already names ${facts.toImage}`);
      return { ...base, branch: outcome.branch, event };
    }
    case 'refused': {
      const event = { type: 'Warning' as const, reason: GIT_EVENT.failed, message: outcome.message };
      return { ...base, error: outcome.message, event };
    }
  }
}

/**
 * Records write-back outcomes on the Rollout: one merge patch of Vireo's own `vireo.dev/git-rollback-*`
 * annotations (metadata only, so the Rollout reconciler's single status patch per pass is untouched and
 * nothing races on `status`) and one Event. Remembers, per Rollout, the abort it last recorded, so a pass
 * from a cache that has not yet seen the patch does not record (or clone) again; losing this memory on a
 * restart costs one clone that finds the commit by its trailer, never a second commit.
 */
export class RollbackRecorder {
  private readonly done = new Map<string, string>();
  private readonly lastError = new Map<string, string>();

  constructor(
    private readonly client: KubeClient,
    private readonly events: EventRecorder,
    private readonly logger: Logger,
  ) {}

  private key(rollout: ObservedRollout): string {
    return `${rollout.metadata.namespace}/${rollout.metadata.name}/${rollout.metadata.uid}`;
  }

  /** True when this process already recorded the abort `abortId` of the Rollout. */
  recorded(rollout: ObservedRollout, abortId: string): boolean {
    return this.done.get(this.key(rollout)) === abortId;
  }

  private async patch(rollout: ObservedRollout, annotations: Record<string, string | null>): Promise<void> {
    const ref = { namespace: rollout.metadata.namespace, name: rollout.metadata.name };
    await this.client.patch(Resources.rollouts, ref, { type: 'merge', body: { metadata: { annotations } } });
  }

  /** Writes the outcome of the current abort (commit, branch, error) and its Event. */
  async record(rollout: ObservedRollout, record: GitRecord): Promise<void> {
    await this.patch(rollout, {
      [GIT_RECORD.abortedAt]: record.abortedAt,
      [GIT_RECORD.id]: record.abortId,
      [GIT_RECORD.commit]: record.commit ?? null,
      [GIT_RECORD.branch]: record.branch ?? null,
      [GIT_RECORD.error]: record.error ? clip(record.error) : null,
    });
    this.done.set(this.key(rollout), record.abortId);
    this.lastError.delete(this.key(rollout));
    this.events.event(rolloutObject(rollout), record.event.type, record.event.reason, record.event.message);
    this.logger.info(
      { rollout: this.key(rollout), commit: record.commit, reason: record.event.reason },
      'git write-back recorded',
    );
  }

  /** Records the `GitRollbackPaused` Event of `notice` once per pause (per process; a restart may repeat it). */
  paused(rollout: ObservedRollout, notice: PauseNotice): void {
    const key = `paused/${this.key(rollout)}`;
    if (this.done.get(key) === notice.id) return;
    this.done.set(key, notice.id);
    this.events.event(rolloutObject(rollout), 'Normal', GIT_EVENT.paused, notice.message);
  }

  /**
   * Reports a failure that may heal (remote down, bad credentials, bad annotations): a Warning Event, and the
   * message in `vireo.dev/git-rollback-error` when it differs from the last one (no patch per retry).
   */
  async failed(rollout: ObservedRollout, message: string): Promise<void> {
    const text = clip(`Git write-back of the rollback failed: ${message}`);
    this.events.event(rolloutObject(rollout), 'Warning', GIT_EVENT.failed, text);
    this.logger.warn({ rollout: this.key(rollout), message: text }, 'git write-back failed');
    if (
      rollout.metadata.annotations?.[GIT_RECORD.error] === text ||
      this.lastError.get(this.key(rollout)) === text
    )
      return;
    await this.patch(rollout, { [GIT_RECORD.error]: text }).catch((err: unknown) =>
      this.logger.warn({ rollout: this.key(rollout), err }, 'could not record the write-back error'),
    );
    this.lastError.set(this.key(rollout), text);
  }
}
