import type { V1ReplicaSet } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { pollUntil } from '../../../harness/wait.js';
import { type AvailabilityRecorder, newest, type PodState, rv } from './availability.js';
import { type Fence, safety } from './canary.js';
import type { Check } from './rollouts.js';

/** The availability fence of one scenario; see {@link availabilityFence}. */
export interface AvailabilityFence {
  /** For `RolloutApi.waitFor`: records observations below the fence (judged by `settle`), never throws. */
  check: Check;
  /**
   * Judges every recorded observation against the recorder's complete timeline and throws, with the
   * evidence, unless the missing pods are all excused. Returns how many observations were excused.
   */
  settle(): Promise<number>;
}

/** One observed ReplicaSet, as the fence needs it. */
interface Observed {
  name: string;
  resourceVersion: bigint;
  spec: number;
  available: number;
}

/** An observation below the fence, judged by `settle` against the recorder's full timeline. */
interface Suspect {
  total: number;
  need: number;
  sets: Observed[];
  summary: string;
}

function observed(sets: V1ReplicaSet[]): Observed[] {
  return sets.map((rs) => ({
    name: rs.metadata?.name ?? '',
    resourceVersion: rv(rs.metadata?.resourceVersion),
    spec: rs.spec?.replicas ?? 0,
    available: rs.status?.availableReplicas ?? 0,
  }));
}

/**
 * Pods an observation is excused for: per ReplicaSet, its pods the node lifecycle controller had marked
 * NotReady before the ReplicaSet's observed state was written (so its status can show them), at most the
 * ReplicaSet's own shortfall (spec − available).
 */
function excused(rec: AvailabilityRecorder, s: Suspect): PodState[] {
  const asOf = newest(s.sets.map((o) => o.resourceVersion));
  const marked = rec.markedNotReady(new Set(s.sets.map((o) => o.name)), asOf);
  return s.sets.flatMap((o) =>
    marked
      .filter((p) => p.replicaSet === o.name && rv(p.resourceVersion) < o.resourceVersion)
      .slice(0, Math.max(0, o.spec - o.available)),
  );
}

function judge(rec: AvailabilityRecorder, s: Suspect): void {
  const pods = excused(rec, s);
  const nodes = rec.nodes().map((n) => `${n.name} ${n.ready}@${n.resourceVersion}`);
  expect(
    s.total + pods.length,
    `available pods below replicas − maxUnavailable (${s.need}) at ${s.summary}; marked NotReady by ` +
      `the node lifecycle controller: [${pods.map((p) => p.name)}]; nodes: ${nodes}`,
  ).toBeGreaterThanOrEqual(s.need);
}

/**
 * `replicas − maxUnavailable` available pods (Σ `status.availableReplicas` of the observed ReplicaSets) at
 * every observation after one that showed the Rollout Healthy, while the ReplicaSets ask for at least
 * `spec.replicas` pods. Excused, and only these: pods of those ReplicaSets that the node lifecycle
 * controller marked NotReady before the observation (see `excused`) — a fake node's missed heartbeat,
 * which no scaling decision causes.
 */
export function availabilityFence(rec: AvailabilityRecorder, maxUnavailable: number): AvailabilityFence {
  let armed = false;
  const suspects: Suspect[] = [];
  const check: Check = (r, sets) => {
    // Armed from the observation after the first Healthy one: an observation reads the ReplicaSets before
    // the Rollout, so the one that first shows Healthy may hold ReplicaSets from before it (pods still
    // starting on a first deploy).
    const wasArmed = armed;
    armed ||= r.status?.phase === 'Healthy';
    const replicas = Number(r.spec.replicas ?? 1);
    const seen = observed(sets);
    if (!wasArmed || seen.reduce((n, o) => n + o.spec, 0) < replicas) return;
    const total = seen.reduce((n, o) => n + o.available, 0);
    if (total >= replicas - maxUnavailable) return;
    const shown = seen.map((o) => `${o.name} ${o.spec}/${o.available}@${o.resourceVersion}`);
    const summary = `step ${r.status?.currentStepIndex}: ${shown.join(', ')}`;
    suspects.push({ total, need: replicas - maxUnavailable, sets: seen, summary });
  };
  const settle = async () => {
    if (suspects.length === 0) return 0;
    const latest = newest(suspects.flatMap((s) => s.sets.map((o) => o.resourceVersion)));
    await pollUntil(() => rec.sets().some((s) => rv(s.resourceVersion) >= latest), {
      timeoutMs: 30_000,
      description: `the recorder to reach resourceVersion ${latest}`,
    });
    for (const s of suspects) judge(rec, s);
    return suspects.splice(0).length;
  };
  return { check, settle };
}

/**
 * The whole safety fence of a scenario: `safety`'s stable share of every step, checked at once, and the
 * availability of {@link availabilityFence}, judged by `settle` (call it once the scenario is done).
 */
export function scenarioFence(rec: AvailabilityRecorder, fence: Fence): AvailabilityFence {
  const share = safety({ ...fence, availability: false });
  const availability = availabilityFence(rec, fence.maxUnavailable);
  return {
    check: (r, sets) => {
      share(r, sets);
      availability.check(r, sets);
    },
    settle: availability.settle,
  };
}
