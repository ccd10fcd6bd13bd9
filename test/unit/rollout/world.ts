import { expect } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import type { RolloutAction, RolloutPlan } from '../../../src/rollout/actions.js';
import { planRollout } from '../../../src/rollout/plan.js';
import { canonicalJson } from '../../../src/rollout/pod-template-hash.js';
import type { AnalysisRunView, ReplicaSetView, RolloutSnapshot } from '../../../src/rollout/snapshot.js';

/** One fake ReplicaSet: pods exist as soon as they are asked for and become available at `readyAtMs`. */
interface FakeReplicaSet {
  view: ReplicaSetView;
  readyAtMs: number;
}

/** Traffic the fake router carries. */
export interface FakeTraffic {
  canaryWeight: number;
  stableWeight: number;
  canaryHash: string;
  stableHash: string;
}

/**
 * A tiny in-memory cluster for one Rollout: applies plan actions to ReplicaSets, AnalysisRuns, Services
 * and a traffic router, writes the plan's status, and makes pods available after `readyDelayMs` (or never,
 * for hashes in `neverReady`). Time moves only through `advance`.
 */
export class World {
  rollout: Rollout;
  nowMs = Date.parse('2026-03-01T12:00:00Z');
  readyDelayMs = 0;
  readonly neverReady = new Set<string>();
  replicaSets = new Map<string, FakeReplicaSet>();
  analysisRuns = new Map<string, AnalysisRunView>();
  services = new Map<string, string | undefined>();
  traffic: FakeTraffic | undefined;
  events: string[] = [];
  statusWrites = 0;

  constructor(rollout: Rollout) {
    this.rollout = rollout;
  }

  /** Moves the clock forward. */
  advance(ms: number): void {
    this.nowMs += ms;
  }

  private settle(rs: FakeReplicaSet): ReplicaSetView {
    const v = rs.view;
    const ready = this.nowMs >= rs.readyAtMs && !this.neverReady.has(v.podTemplateHash ?? '');
    const available = ready ? v.specReplicas : Math.min(v.availableReplicas, v.specReplicas);
    rs.view = { ...v, replicas: v.specReplicas, readyReplicas: available, availableReplicas: available };
    return rs.view;
  }

  /** The snapshot a reconcile would observe now. */
  snapshot(): RolloutSnapshot {
    const replicaSets = [...this.replicaSets.values()].map((rs) => this.settle(rs));
    const services = [...this.services.entries()].map(([name, podTemplateHash]) => ({
      name,
      podTemplateHash,
    }));
    return {
      rollout: structuredClone(this.rollout),
      replicaSets,
      analysisRuns: [...this.analysisRuns.values()],
      services,
      now: new Date(this.nowMs),
    };
  }

  /** The ReplicaSet view for a pod hash. */
  rs(hash: string | undefined): ReplicaSetView | undefined {
    return [...this.replicaSets.values()].find((rs) => rs.view.podTemplateHash === hash)?.view;
  }

  private scale(name: string, replicas: number, annotations?: Record<string, string>): void {
    const rs = this.replicaSets.get(name);
    if (rs === undefined) return;
    const v = rs.view;
    if (replicas > v.specReplicas) rs.readyAtMs = this.nowMs + this.readyDelayMs;
    rs.view = {
      ...v,
      specReplicas: replicas,
      availableReplicas: Math.min(v.availableReplicas, replicas),
      annotations: { ...v.annotations, ...annotations },
    };
  }

  /** Applies one action; every branch is idempotent. */
  applyAction(action: RolloutAction): void {
    switch (action.kind) {
      case 'createReplicaSet':
        if (this.replicaSets.has(action.name)) return;
        this.replicaSets.set(action.name, {
          readyAtMs: this.nowMs + this.readyDelayMs,
          view: {
            name: action.name,
            podTemplateHash: action.podTemplateHash,
            specReplicas: action.replicas,
            replicas: 0,
            readyReplicas: 0,
            availableReplicas: 0,
            annotations: action.annotations,
            template: action.template,
          },
        });
        return;
      case 'scaleReplicaSet':
        this.scale(action.name, action.replicas, action.annotations);
        return;
      case 'deleteReplicaSet':
        this.replicaSets.delete(action.name);
        return;
      case 'setServiceSelector':
        this.services.set(action.service, action.podTemplateHash);
        return;
      case 'applyTraffic':
        this.traffic = { ...action };
        return;
      case 'createAnalysisRun':
        if (!this.analysisRuns.has(action.name))
          this.analysisRuns.set(action.name, { name: action.name, labels: action.labels, phase: 'Pending' });
        return;
      case 'terminateAnalysisRun': {
        const run = this.analysisRuns.get(action.name);
        if (run) this.analysisRuns.set(action.name, { ...run, terminate: true });
        return;
      }
      case 'emitEvent':
        this.events.push(`${action.type} ${action.reason}: ${action.message}`);
        return;
    }
  }

  /** Runs the plan's actions in order, then writes its single status (only when it differs). */
  apply(plan: RolloutPlan): void {
    for (const action of plan.actions) this.applyAction(action);
    if (canonicalJson(plan.status) !== canonicalJson(this.rollout.status ?? {})) {
      this.statusWrites++;
      this.rollout = { ...this.rollout, status: structuredClone(plan.status) };
    }
  }

  /** The world's objects (what idempotency compares; events are fire-and-forget and excluded). */
  objects(): unknown {
    return structuredClone({
      rs: [...this.replicaSets.entries()].map(([name, rs]) => [
        name,
        rs.view.specReplicas,
        rs.view.annotations,
      ]),
      ar: [...this.analysisRuns.entries()],
      svc: [...this.services.entries()],
      traffic: this.traffic,
      status: this.rollout.status,
    });
  }

  /** A deep copy sharing nothing with this world. */
  clone(): World {
    const copy = new World(structuredClone(this.rollout));
    copy.nowMs = this.nowMs;
    copy.readyDelayMs = this.readyDelayMs;
    for (const hash of this.neverReady) copy.neverReady.add(hash);
    copy.replicaSets = new Map([...this.replicaSets].map(([k, v]) => [k, structuredClone(v)]));
    copy.analysisRuns = new Map([...this.analysisRuns].map(([k, v]) => [k, structuredClone(v)]));
    copy.services = new Map(this.services);
    copy.traffic = this.traffic && { ...this.traffic };
    return copy;
  }
}

/** A safety property checked before and after every pass. */
export type Invariant = (before: RolloutSnapshot, plan: RolloutPlan, world: World) => void;

/** Plans once, checks `invariants`, determinism and idempotency (twice = once), applies, returns the plan. */
export function pass(world: World, invariants: readonly Invariant[]): RolloutPlan {
  const before = world.snapshot();
  const plan = planRollout(before);
  expect(planRollout(world.snapshot())).toEqual(plan);
  for (const invariant of invariants) invariant(before, plan, world);
  const twice = world.clone();
  twice.apply(plan);
  twice.apply(plan);
  const writes = world.statusWrites;
  world.apply(plan);
  expect(world.statusWrites - writes).toBeLessThanOrEqual(1);
  expect(twice.objects()).toEqual(world.objects());
  return plan;
}

/**
 * Passes until the world converges: a plan with no actions and a status equal to the observed one.
 * Then checks that one more pass changes nothing. Returns the number of passes.
 */
export function converge(world: World, invariants: readonly Invariant[], maxPasses = 50): number {
  for (let n = 1; n <= maxPasses; n++) {
    const observed = structuredClone(world.rollout.status ?? {});
    const plan = pass(world, invariants);
    if (plan.actions.length === 0 && canonicalJson(plan.status) === canonicalJson(observed)) {
      const again = planRollout(world.snapshot());
      expect(again.actions).toEqual([]);
      expect(again.status).toEqual(observed);
      return n;
    }
  }
  throw new Error(`world did not converge in ${maxPasses} passes`);
}
