import type { CommitSummary, ConfigRepo } from './config-repo.js';
import type { Receiver } from './receiver.js';
import type { Timeline } from './timeline.js';
import type { DemoWorld } from './world.js';

/** The opt-in of the `pause` scenario: a failed analysis pauses the Rollout instead of aborting it. */
export const PAUSE_ANNOTATION = { 'vireo.dev/analysis-failure-action': 'pause' };

/** What the pause scenario needs from the demo. */
export interface PauseStage {
  world: DemoWorld;
  timeline: Timeline;
  repo: ConfigRepo;
  receiver?: Receiver;
  /** Polls `check` until it gives a value (the demo's deadline). */
  until<T>(what: string, check: () => T | undefined | false): Promise<T>;
  vireoCommit(repo: ConfigRepo): CommitSummary | undefined;
  /** Sends the user's abort (`kubectl vireo abort shop`). */
  abort(): Promise<void>;
}

interface PausedStatus {
  phase?: string;
  message?: string;
  stableRS?: string;
  currentPodHash?: string;
  pauseConditions?: { reason?: string }[];
  conditions?: { type: string; reason?: string; message?: string }[];
}

const statusOf = (world: DemoWorld) => world.rollout()?.status as PausedStatus | undefined;

function pausedOnFailure(world: DemoWorld): PausedStatus | undefined {
  const status = statusOf(world);
  const paused = (status?.pauseConditions ?? []).some((c) => c.reason === 'FailedAnalysisRun');
  const stable = world.weights()[0];
  return paused && stable?.weight === 100 ? status : undefined;
}

function canaryPods(world: DemoWorld, hash: string | undefined): number {
  const sets = world.replicaSets.list(world.namespace);
  const canary = sets.find((rs) => rs.metadata?.labels?.['rollouts-pod-template-hash'] === hash);
  return (canary?.spec as { replicas?: number } | undefined)?.replicas ?? 0;
}

/** The message of the newest notification of `trigger` at the receiver, if any. */
function notified(receiver: Receiver, trigger: string): string | undefined {
  const bodies = receiver.received.map((r) => r.body as { trigger?: string; message?: string } | null);
  return bodies.reverse().find((b) => b?.trigger === trigger)?.message;
}

/**
 * The `pause` scenario after v1.2.0 is synced: its analysis fails and the Rollout pauses instead of aborting —
 * traffic back on v1.1.0, the v1.2.0 ReplicaSet kept at its size, the Paused condition naming the metric and
 * value, the paused notification, nothing committed to Git; then the operator aborts (after debugging on the
 * kept canary) and the abort finishes as Vireo's rollback: the Git commit and the aborted notification.
 */
export async function playPause(s: PauseStage): Promise<void> {
  const paused = await s.until('the pause on the failed analysis', () => pausedOnFailure(s.world));
  const condition = paused.conditions?.find((c) => c.type === 'Paused');
  s.timeline.note(`Rollout paused, not rolled back (vireo.dev/analysis-failure-action: pause)`);
  s.timeline.note(`  Paused condition ${condition?.reason}: ${condition?.message}`);
  const pods = canaryPods(s.world, paused.currentPodHash);
  s.timeline.note(`  v1.2.0 ReplicaSet kept at ${pods} pod(s) with no traffic, for debugging`);
  if (s.receiver) {
    const receiver = s.receiver;
    const message = await s.until('the paused notification', () => notified(receiver, 'on-rollout-paused'));
    s.timeline.note(`  notification on-rollout-paused: ${message}`);
  }
  const committed = s.vireoCommit(s.repo) !== undefined;
  s.timeline.note(`  Git: ${committed ? 'unexpected Vireo commit' : 'nothing committed while paused'}`);
  s.timeline.note('operator: kubectl vireo abort shop (promote would retry the analysis instead)');
  await s.abort();
  const aborted = await s.until(
    'the abort',
    () => statusOf(s.world)?.phase === 'Degraded' && statusOf(s.world),
  );
  s.timeline.note(`Rollout ${aborted.phase}: ${aborted.message}`);
}
