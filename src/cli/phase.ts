import type { Rollout } from '../api/index.js';

/** A Rollout's phase as the CLI reports it, with its message ('' when none). */
export interface ClientPhase {
  phase: string;
  message: string;
}

function generationObserved(rollout: Rollout): boolean {
  const observed = rollout.status?.observedGeneration;
  if (observed === undefined) return false;
  if (!/^\d+$/.test(observed)) return true;
  const generation = rollout.metadata.generation;
  return generation === undefined || Number(observed) >= generation;
}

/**
 * Argo's client-side `GetRolloutPhase`: Progressing "waiting for rollout spec update to be observed" until
 * `status.observedGeneration` (a decimal string; a non-numeric or larger value counts as observed) reaches
 * `metadata.generation`; Progressing "waiting for rollout to unpause" while `controllerPause` is set with no
 * pause condition; otherwise `status.phase`/`status.message` (phase missing → Progressing).
 */
export function clientPhase(rollout: Rollout): ClientPhase {
  const status = rollout.status;
  if (status === undefined || !generationObserved(rollout)) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  if (status.controllerPause && (status.pauseConditions ?? []).length === 0) {
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  }
  return { phase: status.phase ?? 'Progressing', message: status.message ?? '' };
}

/** `Phase` or `Phase - message`, the line `status` prints for each change. */
export function phaseLine(p: ClientPhase): string {
  return p.message === '' ? p.phase : `${p.phase} - ${p.message}`;
}

/**
 * What `status` does with an observed phase: Healthy ends with exit 0, Degraded ends with exit 1, anything
 * else keeps watching (or, without `--watch`, ends with exit 0).
 */
export function statusVerdict(p: ClientPhase): { done: boolean; exitCode: number } {
  if (p.phase === 'Healthy') return { done: true, exitCode: 0 };
  if (p.phase === 'Degraded') return { done: true, exitCode: 1 };
  return { done: false, exitCode: 0 };
}
