import type { AnalysisRunStatus } from '../api/index.js';
import { ROLLOUT_DEFAULTS } from '../api/index.js';
import type { KubeClient } from '../kube/client.js';
import { Resources } from '../kube/client.js';
import { isApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import type { ObjectCache } from '../rollout/reconciler.js';
import type { Logger } from '../util/logger.js';
import { runsBeyondHistory } from './core/retention.js';

/** What pruning needs: the API, the AnalysisRun cache and a logger. */
export interface RetentionDeps {
  client: KubeClient;
  runs: ObjectCache<KubeObject>;
  logger: Logger;
}

interface RolloutLike extends KubeObject {
  spec?: { analysis?: { successfulRunHistoryLimit?: number; unsuccessfulRunHistoryLimit?: number } };
  status?: {
    canary?: {
      currentStepAnalysisRunStatus?: { name?: string };
      currentBackgroundAnalysisRunStatus?: { name?: string };
    };
  };
}

/** Deletes one AnalysisRun; one already gone counts as deleted. */
export async function deleteAnalysisRun(client: KubeClient, namespace: string, name: string): Promise<void> {
  await client.delete(Resources.analysisRuns, { namespace, name }).catch((err: unknown) => {
    if (!isApiError(err, 'NotFound')) throw err;
  });
}

function owningRollout(run: KubeObject): { name: string; uid: string } | undefined {
  const owner = run.metadata?.ownerReferences?.find((o) => o.kind === 'Rollout' && o.controller);
  return owner ? { name: owner.name, uid: owner.uid } : undefined;
}

async function getRollout(client: KubeClient, namespace: string, name: string) {
  return client.get<RolloutLike>(Resources.rollouts, namespace, name).catch((err: unknown) => {
    if (isApiError(err, 'NotFound')) return undefined;
    throw err;
  });
}

function timestampText(at: string | Date | undefined): string | undefined {
  return at instanceof Date ? at.toISOString() : at;
}

function trackedNames(rollout: RolloutLike): Set<string> {
  const canary = rollout.status?.canary;
  const names = [
    canary?.currentStepAnalysisRunStatus?.name,
    canary?.currentBackgroundAnalysisRunStatus?.name,
  ];
  return new Set(names.filter((n): n is string => n !== undefined));
}

/**
 * Applies the owning Rollout's `successfulRunHistoryLimit` / `unsuccessfulRunHistoryLimit` (default 5
 * each) after `run` completed with `phase` (the cache may not show it yet): the oldest completed runs controlled by the same Rollout beyond the limits
 * are deleted (`runsBeyondHistory`); runs the Rollout's status still tracks are kept. A run without a
 * Rollout owner, or whose Rollout is gone, prunes nothing.
 */
export async function pruneRunHistory(deps: RetentionDeps, run: KubeObject, phase: string): Promise<void> {
  const namespace = run.metadata?.namespace ?? '';
  const owner = owningRollout(run);
  if (owner === undefined) return;
  const rollout = await getRollout(deps.client, namespace, owner.name);
  if (rollout === undefined || rollout.metadata?.uid !== owner.uid) return;
  const siblings = deps.runs.list(namespace).filter((r) => owningRollout(r)?.uid === owner.uid);
  const entries = siblings.map((r) => ({
    name: r.metadata?.name ?? '',
    phase:
      r.metadata?.uid === run.metadata?.uid ? phase : (r as { status?: AnalysisRunStatus }).status?.phase,
    createdAt: timestampText(r.metadata?.creationTimestamp),
  }));
  const analysis = rollout.spec?.analysis;
  const limits = {
    successful: analysis?.successfulRunHistoryLimit ?? ROLLOUT_DEFAULTS.successfulRunHistoryLimit,
    unsuccessful: analysis?.unsuccessfulRunHistoryLimit ?? ROLLOUT_DEFAULTS.unsuccessfulRunHistoryLimit,
  };
  for (const name of runsBeyondHistory(entries, limits, trackedNames(rollout))) {
    await deleteAnalysisRun(deps.client, namespace, name);
    deps.logger.info({ analysisRun: `${namespace}/${name}`, rollout: owner.name }, 'pruned run history');
  }
}
