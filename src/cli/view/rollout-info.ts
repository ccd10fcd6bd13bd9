import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  type AnalysisRun,
  otherSide,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  type Rollout,
  serviceRolesOf,
  stableSideOf,
} from '../../api/index.js';
import { fullyPromoted } from '../../api/user-commands.js';
import { clientPhase } from '../phase.js';
import { workloadRefText } from '../workload-ref.js';
import { type AnalysisRunInfo, analysisRunInfo } from './analysis-info.js';
import { blueGreenFields, injectedMetadata } from './bluegreen-info.js';
import { age, ownedBy, type RolloutSnapshot } from './snapshot.js';

/**
 * One pod under a ReplicaSet: `status` is `Terminating`, a container's waiting reason, `NotReady` for a
 * Running pod with unready containers, or the pod phase.
 */
export interface PodInfo {
  name: string;
  status: string;
  ready: string;
  restarts: number;
  age: string;
}

/** One ReplicaSet: `status` is ScaledDown, Healthy (all desired available) or Progressing. */
export interface ReplicaSetInfo {
  name: string;
  hash: string | undefined;
  revision: number;
  status: 'ScaledDown' | 'Healthy' | 'Progressing';
  /** `stable` plus `canary` (canary strategy) or `active` / `preview` (blue-green), as Argo's plugin tags them. */
  tags: string[];
  /** Injected pod metadata (`key=value`, e.g. `role=preview` from previewMetadata); omitted when none. */
  metadata?: string[];
  desired: number;
  ready: number;
  available: number;
  images: string[];
  age: string;
  pods: PodInfo[];
}

/** A revision with its ReplicaSets and the AnalysisRuns created for it. */
export interface RevisionInfo {
  revision: number;
  replicaSets: ReplicaSetInfo[];
  analysisRuns: AnalysisRunInfo[];
}

/** An image and the roles (`stable`, `canary`, `active`, `preview`) of the ReplicaSets running it. */
export interface ImageInfo {
  image: string;
  tags: string[];
}

/**
 * The `get rollout` view model (Argo's header plus tree). Invariants: `revisions` is newest first; `step`
 * is `i/N` only for a canary with steps; weights are 0–100; `setWeight`/`actualWeight` only for canary;
 * `activeService`/`previewService` and the hashes they select only for blue-green.
 */
export interface RolloutInfo {
  name: string;
  namespace: string;
  phase: string;
  message: string;
  strategy: 'Canary' | 'BlueGreen';
  /** `Kind/name (scaleDown: mode)` of `spec.workloadRef`, only when the Rollout has one. */
  workloadRef?: string;
  step?: string;
  setWeight?: number;
  actualWeight?: number;
  /** Canary with `pingPong`: which side (and Service) is stable and which canary (`pingPongSummary`). */
  pingPong?: string;
  /** Blue-green: the Service names; `activeSelector`/`previewSelector` are the hashes they select. */
  activeService?: string;
  previewService?: string;
  activeSelector?: string;
  previewSelector?: string;
  images: ImageInfo[];
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  age: string;
  revisions: RevisionInfo[];
}

function steps(rollout: Rollout): readonly { setWeight?: number }[] {
  return rollout.spec.strategy.canary?.steps ?? [];
}

/**
 * Argo `GetCurrentSetWeight`: 0 when aborted; 100 without steps or past the last; otherwise the last
 * `setWeight` at or before the current step (0 if none). Example: [setWeight 20, pause] at 1 → 20.
 */
export function currentSetWeight(rollout: Rollout): number {
  if (rollout.status?.abort) return 0;
  const list = steps(rollout);
  const index = rollout.status?.currentStepIndex ?? 0;
  if (index >= list.length) return 100;
  for (let i = index; i >= 0; i--) {
    const weight = list[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/**
 * The weight the canary really gets: the router's `status.canary.weights.canary.weight` with traffic
 * routing; otherwise canary available pods × 100 ÷ all available pods (integer division), 100 when fully
 * promoted. Example: canary 1 of 4 available → 25.
 */
export function actualWeight(rollout: Rollout, replicaSets: readonly ReplicaSet[]): number {
  if (fullyPromoted(rollout)) return 100;
  if (rollout.spec.strategy.canary?.trafficRouting !== undefined) {
    return rollout.status?.canary?.weights?.canary.weight ?? 0;
  }
  const hash = rollout.status?.currentPodHash;
  const available = (rs: ReplicaSet) => rs.status?.availableReplicas ?? 0;
  const total = replicaSets.reduce((sum, rs) => sum + available(rs), 0);
  const canary = replicaSets.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
  return total === 0 || canary === undefined ? 0 : Math.floor((available(canary) * 100) / total);
}

/** The view of one pod (see {@link PodInfo}). */
export function podInfo(pod: Pod, now: Date): PodInfo {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  const total = pod.spec?.containers.length ?? statuses.length;
  const ready = statuses.filter((c) => c.ready).length;
  const phase = pod.status?.phase === 'Running' && ready < total ? 'NotReady' : pod.status?.phase;
  const status = pod.metadata?.deletionTimestamp ? 'Terminating' : (waiting ?? phase ?? 'Unknown');
  return {
    name: pod.metadata?.name ?? '',
    status,
    ready: `${ready}/${total}`,
    restarts: statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
    age: age(pod.metadata?.creationTimestamp, now),
  };
}

/**
 * Argo's ping-pong tags (canary with `pingPong`): the stable ReplicaSet carries the stable side
 * (`status.canary.stablePingPong`, `pong` when unset), the canary ReplicaSet the other side; others none.
 */
function pingPongTags(rollout: Rollout, hash: string): string[] {
  const status = rollout.status;
  if (rollout.spec.strategy.canary?.pingPong === undefined) return [];
  const stableSide = stableSideOf(status);
  if (hash === status?.stableRS) return [stableSide];
  return hash === status?.currentPodHash ? [otherSide(stableSide)] : [];
}

/**
 * Argo's tags: `stable` for `status.stableRS`; blue-green adds `active` for the active selector, else
 * `preview` for the preview selector; canary adds `canary` for a desired RS that is not stable, then the
 * `ping`/`pong` side with `pingPong`.
 */
function tagsOf(rollout: Rollout, hash: string | undefined): string[] {
  const status = rollout.status;
  if (hash === undefined) return [];
  const tags: string[] = [];
  if (hash === status?.stableRS) tags.push('stable');
  if (rollout.spec.strategy.blueGreen !== undefined) {
    if (hash === status?.blueGreen?.activeSelector) tags.push('active');
    else if (hash === status?.blueGreen?.previewSelector) tags.push('preview');
    return tags;
  }
  if (hash === status?.currentPodHash && hash !== status?.stableRS) tags.push('canary');
  return [...tags, ...pingPongTags(rollout, hash)];
}

/**
 * What every view shows of a ReplicaSet whatever owns it: counts, status (ScaledDown, Healthy when all
 * desired pods are available, else Progressing), images, age and its pods (by owner), with no role tags.
 */
export function replicaSetBase(
  rs: ReplicaSet,
  allPods: readonly Pod[],
  now: Date,
): Omit<ReplicaSetInfo, 'revision' | 'tags' | 'metadata'> {
  const meta = rs.metadata ?? {};
  const desired = rs.spec?.replicas ?? 1;
  const available = rs.status?.availableReplicas ?? 0;
  const pods = allPods.filter((p) =>
    ownedBy(p, { kind: 'ReplicaSet', name: meta.name ?? '', uid: meta.uid }),
  );
  return {
    name: meta.name ?? '',
    hash: meta.labels?.[POD_TEMPLATE_HASH_LABEL],
    status: desired === 0 ? 'ScaledDown' : available >= desired ? 'Healthy' : 'Progressing',
    desired,
    ready: rs.status?.readyReplicas ?? 0,
    available,
    images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    age: age(meta.creationTimestamp, now),
    pods: pods.map((p) => podInfo(p, now)).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function replicaSetInfo(rs: ReplicaSet, snap: RolloutSnapshot): ReplicaSetInfo {
  const base = replicaSetBase(rs, snap.pods, snap.now);
  return {
    ...base,
    revision: Number.parseInt(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0', 10) || 0,
    tags: tagsOf(snap.rollout, base.hash),
    ...(injectedMetadata(rs).length > 0 ? { metadata: injectedMetadata(rs) } : {}),
  };
}

function runRevision(run: AnalysisRun, sets: readonly ReplicaSetInfo[]): number {
  const hash = run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
  const bySet = sets.find((s) => s.hash !== undefined && s.hash === hash);
  if (bySet !== undefined) return bySet.revision;
  return Number.parseInt(run.metadata.annotations?.[REVISION_ANNOTATION] ?? '0', 10) || 0;
}

function groupRevisions(sets: ReplicaSetInfo[], runs: readonly AnalysisRun[], now: Date): RevisionInfo[] {
  const byRevision = new Map<number, RevisionInfo>();
  const entry = (revision: number) => {
    const found = byRevision.get(revision) ?? { revision, replicaSets: [], analysisRuns: [] };
    byRevision.set(revision, found);
    return found;
  };
  for (const set of sets) entry(set.revision).replicaSets.push(set);
  for (const run of runs) entry(runRevision(run, sets)).analysisRuns.push(analysisRunInfo(run, now));
  return [...byRevision.values()].sort((a, b) => b.revision - a.revision);
}

const PING_PONG_SIDES: readonly string[] = ['ping', 'pong'];

/**
 * Images of tagged ReplicaSets or ones with available pods: stable/active first, then canary/preview (the
 * ping/pong side tags stay on the ReplicaSets).
 */
function images(sets: readonly ReplicaSetInfo[]): ImageInfo[] {
  const byImage = new Map<string, Set<string>>();
  for (const set of sets) {
    if (set.tags.length === 0 && set.available === 0) continue;
    for (const image of set.images) {
      const tags = byImage.get(image) ?? new Set<string>();
      for (const tag of set.tags) if (!PING_PONG_SIDES.includes(tag)) tags.add(tag);
      byImage.set(image, tags);
    }
  }
  const rank = (tags: readonly string[]) =>
    tags.includes('stable') || tags.includes('active') ? 0 : tags.length > 0 ? 1 : 2;
  return [...byImage.entries()]
    .map(([image, tags]) => ({ image, tags: [...tags].sort().reverse() }))
    .sort((a, b) => rank(a.tags) - rank(b.tags));
}

/** `stable ping (web-ping), canary pong (web-pong)` for a canary with `pingPong`, else undefined. */
export function pingPongSummary(rollout: Rollout): string | undefined {
  const canary = rollout.spec.strategy.canary;
  if (canary?.pingPong === undefined) return undefined;
  const stable = stableSideOf(rollout.status);
  const roles = serviceRolesOf(canary, stable);
  return `stable ${stable} (${roles.stableService}), canary ${otherSide(stable)} (${roles.canaryService})`;
}

function canaryFields(rollout: Rollout, sets: readonly ReplicaSet[]): Partial<RolloutInfo> {
  if (rollout.spec.strategy.canary === undefined) return {};
  const total = steps(rollout).length;
  const index = Math.min(rollout.status?.currentStepIndex ?? 0, total);
  const pingPong = pingPongSummary(rollout);
  return {
    ...(total > 0 ? { step: `${index}/${total}` } : {}),
    setWeight: currentSetWeight(rollout),
    actualWeight: actualWeight(rollout, sets),
    ...(pingPong === undefined ? {} : { pingPong }),
  };
}

/** Builds the {@link RolloutInfo} of a snapshot (only ReplicaSets and runs owned by the Rollout count). */
export function rolloutInfo(snap: RolloutSnapshot): RolloutInfo {
  const { rollout } = snap;
  const owner = { kind: 'Rollout', name: rollout.metadata.name ?? '', uid: rollout.metadata.uid };
  const owned = snap.replicaSets.filter((rs) => ownedBy(rs, owner));
  const sets = owned.map((rs) => replicaSetInfo(rs, snap));
  const runs = snap.analysisRuns.filter((run) => ownedBy(run, owner));
  const { phase, message } = clientPhase(rollout);
  const status = rollout.status;
  return {
    name: rollout.metadata.name ?? '',
    namespace: rollout.metadata.namespace ?? '',
    phase,
    message,
    strategy: rollout.spec.strategy.blueGreen !== undefined ? 'BlueGreen' : 'Canary',
    ...(workloadRefText(rollout) === undefined ? {} : { workloadRef: workloadRefText(rollout) }),
    ...canaryFields(rollout, owned),
    ...blueGreenFields(rollout),
    images: images(sets),
    replicas: {
      desired: rollout.spec.replicas ?? 1,
      current: status?.replicas ?? 0,
      updated: status?.updatedReplicas ?? 0,
      ready: status?.readyReplicas ?? 0,
      available: status?.availableReplicas ?? 0,
    },
    age: age(rollout.metadata.creationTimestamp, snap.now),
    revisions: groupRevisions(sets, runs, snap.now),
  };
}
