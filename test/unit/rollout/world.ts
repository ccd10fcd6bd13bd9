import { expect } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import type {
  CreateReplicaSetAction,
  RolloutAction,
  RolloutPlan,
  ScaleReplicaSetAction,
} from '../../../src/rollout/core/actions.js';
import { canonicalJson } from '../../../src/rollout/core/pod-template-hash.js';
import type {
  AnalysisRunView,
  ExperimentView,
  PodView,
  ReplicaSetView,
  RolloutSnapshot,
} from '../../../src/rollout/core/snapshot.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { needsPods } from '../../../src/rollout/plan/pod-restart.js';
import type { ExperimentWeight } from '../../../src/traffic/desired-traffic.js';
import { applyExperimentAction, isExperimentAction } from './world-experiments.js';
import { withEphemeral } from './world-metadata.js';

/** One fake ReplicaSet: pods exist as soon as they are asked for and become available at `readyAtMs`. */
interface FakeReplicaSet {
  view: ReplicaSetView;
  readyAtMs: number;
}

/** One fake pod: Ready once `readyAtMs` has passed (never for `neverReady` hashes). */
export interface FakePod {
  name: string;
  uid: string;
  createdMs: number;
  readyAtMs: number;
}

/** Traffic the fake router carries. */
export interface FakeTraffic {
  canaryWeight: number;
  stableWeight: number;
  canaryHash: string;
  stableHash: string;
  experimentWeights?: readonly ExperimentWeight[];
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
  experiments = new Map<string, ExperimentView>();
  services = new Map<string, string | undefined>();
  traffic: FakeTraffic | undefined;
  events: string[] = [];
  statusWrites = 0;
  /** Pods per ReplicaSet name, created when a ReplicaSet grows or loses one (see `settlePods`). */
  pods = new Map<string, FakePod[]>();
  private podSeq = 0;

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

  /** Keeps exactly `specReplicas` pods per ReplicaSet (newest removed first), as the ReplicaSet controller. */
  private settlePods(rs: FakeReplicaSet): void {
    const pods = this.pods.get(rs.view.name) ?? [];
    while (pods.length > rs.view.specReplicas) pods.pop();
    while (pods.length < rs.view.specReplicas) {
      this.podSeq++;
      const name = `${rs.view.name}-p${this.podSeq}`;
      const readyAtMs = Math.max(rs.readyAtMs, this.nowMs);
      pods.push({ name, uid: `uid-${this.podSeq}`, createdMs: this.nowMs, readyAtMs });
    }
    this.pods.set(rs.view.name, pods);
  }

  private podViews(): PodView[] {
    return [...this.pods.entries()].flatMap(([replicaSet, pods]) => {
      const hash = this.replicaSets.get(replicaSet)?.view.podTemplateHash ?? '';
      return pods.map((pod) => ({
        name: pod.name,
        uid: pod.uid,
        replicaSet,
        creationTimestamp: new Date(pod.createdMs).toISOString(),
        ready: this.nowMs >= pod.readyAtMs && !this.neverReady.has(hash),
        terminating: false,
      }));
    });
  }

  /** Deletes a pod: its ReplicaSet loses one available replica until the replacement is ready. */
  private deletePod(name: string, uid: string): void {
    for (const [rsName, pods] of this.pods) {
      const index = pods.findIndex((pod) => pod.name === name && pod.uid === uid);
      const rs = this.replicaSets.get(rsName);
      if (index < 0 || rs === undefined) continue;
      pods.splice(index, 1);
      rs.readyAtMs = this.nowMs + this.readyDelayMs;
      rs.view = { ...rs.view, availableReplicas: Math.max(0, rs.view.availableReplicas - 1) };
      this.settlePods(rs);
    }
  }

  /** The snapshot a reconcile would observe now (pods only while a restart is pending, as the reconciler). */
  snapshot(): RolloutSnapshot {
    const replicaSets = [...this.replicaSets.values()].map((rs) => {
      this.settlePods(rs);
      return this.settle(rs);
    });
    const services = [...this.services.entries()].map(([name, podTemplateHash]) => ({
      name,
      podTemplateHash,
    }));
    return {
      rollout: structuredClone(this.rollout),
      replicaSets,
      analysisRuns: [...this.analysisRuns.values()],
      experiments: [...this.experiments.values()],
      services,
      ...(needsPods(this.rollout) ? { pods: this.podViews() } : {}),
      now: new Date(this.nowMs),
    };
  }

  /** The ReplicaSet view for a pod hash. */
  rs(hash: string | undefined): ReplicaSetView | undefined {
    return [...this.replicaSets.values()].find((rs) => rs.view.podTemplateHash === hash)?.view;
  }

  /**
   * Holds the pods of `hash` back from becoming ready on their own, with `available` of them available now
   * (pods coming up one by one; call again to let more through).
   */
  holdAvailable(hash: string, available: number): void {
    this.neverReady.add(hash);
    const rs = [...this.replicaSets.values()].find((r) => r.view.podTemplateHash === hash);
    if (rs !== undefined) rs.view = { ...rs.view, availableReplicas: available, readyReplicas: available };
  }

  private scale(action: ScaleReplicaSetAction): void {
    const { name, replicas, annotations } = action;
    const rs = this.replicaSets.get(name);
    if (rs === undefined) return;
    const v = rs.view;
    if (replicas > v.specReplicas) rs.readyAtMs = this.nowMs + this.readyDelayMs;
    rs.view = {
      ...v,
      specReplicas: replicas,
      availableReplicas: Math.min(v.availableReplicas, replicas),
      annotations: { ...v.annotations, ...annotations },
      ...(action.minReadySeconds === undefined ? {} : { minReadySeconds: action.minReadySeconds }),
    };
  }

  /** Creates a ReplicaSet unless one of that name exists; its pods become available after `readyDelayMs`. */
  private create(action: CreateReplicaSetAction): void {
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
        selector: action.selector,
        creationTimestamp: new Date(this.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ...(action.minReadySeconds ? { minReadySeconds: action.minReadySeconds } : {}),
      },
    });
  }

  /** Applies one action; every branch is idempotent. */
  applyAction(action: RolloutAction): void {
    if (isExperimentAction(action)) {
      applyExperimentAction(this.experiments, action, this.nowMs);
      return;
    }
    switch (action.kind) {
      case 'createReplicaSet':
        this.create(action);
        return;
      case 'scaleReplicaSet':
        this.scale(action);
        return;
      case 'deleteReplicaSet':
        this.replicaSets.delete(action.name);
        this.pods.delete(action.name);
        return;
      case 'syncEphemeralMetadata': {
        const rs = this.replicaSets.get(action.name);
        if (rs) rs.view = withEphemeral(rs.view, action);
        return;
      }
      case 'deletePod':
        this.deletePod(action.name, action.uid);
        return;
      case 'setServiceSelector':
        this.services.set(action.service, action.podTemplateHash);
        return;
      case 'applyTraffic':
        this.traffic = { ...action };
        return;
      case 'createAnalysisRun':
        if (!this.analysisRuns.has(action.name)) {
          const createdAt = new Date(this.nowMs).toISOString();
          this.analysisRuns.set(action.name, {
            name: action.name,
            labels: action.labels,
            phase: 'Pending',
            createdAt,
          });
        }
        return;
      case 'deleteAnalysisRun':
        this.analysisRuns.delete(action.name);
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
        rs.view.template?.metadata,
      ]),
      ar: [...this.analysisRuns.entries()],
      ex: [...this.experiments.entries()],
      svc: [...this.services.entries()],
      traffic: this.traffic,
      pods: [...this.pods.entries()].map(([name, pods]) => [name, pods.map((pod) => pod.uid)]),
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
    copy.experiments = new Map([...this.experiments].map(([k, v]) => [k, structuredClone(v)]));
    copy.services = new Map(this.services);
    copy.traffic = this.traffic && { ...this.traffic };
    copy.pods = new Map([...this.pods].map(([k, v]) => [k, structuredClone(v)]));
    copy.podSeq = this.podSeq;
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
