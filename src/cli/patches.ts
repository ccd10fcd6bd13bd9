import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { PAUSE_REASON, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, type Rollout } from '../api/index.js';
import type { JsonPatchOp } from '../kube/client.js';
import { rfc3339Seconds } from '../util/time.js';
import { CliError } from './errors.js';
import { imageOps } from './workload-ref.js';

/**
 * The merge patches one verb sends (argo-rollouts-api.md §5): `spec` goes to the Rollout itself, `status`
 * to its status subresource; `null` deletes a field. Invariant: an absent key means "send nothing".
 */
export interface RolloutPatch {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function canarySteps(rollout: Rollout): readonly unknown[] | undefined {
  const steps = rollout.spec.strategy.canary?.steps;
  return steps === undefined || steps.length === 0 ? undefined : steps;
}

/** Argo `GetCurrentCanaryStep`'s index: undefined without steps, else `currentStepIndex` (missing → 0). */
function stepIndex(rollout: Rollout): number | undefined {
  return canarySteps(rollout) === undefined ? undefined : (rollout.status?.currentStepIndex ?? 0);
}

function nextIndex(rollout: Rollout, index: number): number {
  return Math.min(index + 1, canarySteps(rollout)?.length ?? 0);
}

function inconclusive(rollout: Rollout): boolean {
  const status = rollout.status;
  const stepRun = status?.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  return (
    stepRun || (status?.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON.inconclusiveAnalysis)
  );
}

function unpauseSpec(rollout: Rollout): RolloutPatch {
  return rollout.spec.paused ? { spec: { paused: false } } : {};
}

/**
 * `promote NAME`: spec `{paused:false}` when paused; status `{pauseConditions:null}` when there are pause
 * conditions — plus `controllerPause:false, currentStepIndex:i+1` when the pause is an Inconclusive step
 * analysis; with no pause condition a canary with steps skips the current step
 * (`{pauseConditions:null, currentStepIndex:i+1}`). The index never exceeds `steps.length`.
 */
export function promotePatch(rollout: Rollout): RolloutPatch {
  const patch = unpauseSpec(rollout);
  const index = stepIndex(rollout);
  if ((rollout.status?.pauseConditions ?? []).length > 0) {
    if (inconclusive(rollout) && index !== undefined) {
      const next = nextIndex(rollout, index);
      return { ...patch, status: { pauseConditions: null, controllerPause: false, currentStepIndex: next } };
    }
    return { ...patch, status: { pauseConditions: null } };
  }
  if (index === undefined) return patch;
  return { ...patch, status: { pauseConditions: null, currentStepIndex: nextIndex(rollout, index) } };
}

/** True when the stable ReplicaSet is the desired one (`status.stableRS == status.currentPodHash`). */
export function fullyPromoted(rollout: Rollout): boolean {
  const status = rollout.status;
  return status?.stableRS !== undefined && status.stableRS === status.currentPodHash;
}

/** `promote NAME --full`: spec `{paused:false}` when paused; status `{promoteFull:true}` unless fully promoted. */
export function promoteFullPatch(rollout: Rollout): RolloutPatch {
  const patch = unpauseSpec(rollout);
  return fullyPromoted(rollout) ? patch : { ...patch, status: { promoteFull: true } };
}

/** `abort NAME`: status `{abort:true}`. */
export function abortPatch(): RolloutPatch {
  return { status: { abort: true } };
}

/** `retry rollout NAME`: status `{abort:false}` (the controller then clears `abortedAt` and restarts steps). */
export function retryPatch(): RolloutPatch {
  return { status: { abort: false } };
}

/** `pause NAME`: spec `{paused:true}`. */
export function pausePatch(): RolloutPatch {
  return { spec: { paused: true } };
}

/**
 * `resume NAME` (Argo CD's resume action): status `{pauseConditions:null}` when there are pause conditions,
 * spec `{paused:false}` when `spec.paused` is true. Empty when nothing is paused.
 */
export function resumePatch(rollout: Rollout): RolloutPatch {
  const patch = unpauseSpec(rollout);
  const paused = (rollout.status?.pauseConditions ?? []).length > 0;
  return paused ? { ...patch, status: { pauseConditions: null } } : patch;
}

/**
 * `skip-current-step NAME` (Argo CD's action): status `{pauseConditions:null, currentStepIndex:i+1}`.
 * Throws a {@link CliError} for a blue-green Rollout (no steps: use `promote`), a canary without steps or one
 * already past its last step.
 */
export function skipCurrentStepPatch(rollout: Rollout): RolloutPatch {
  if (rollout.spec.strategy.blueGreen !== undefined) {
    throw new CliError(
      `rollout "${rollout.metadata.name}" uses the blueGreen strategy, which has no steps to skip; use promote`,
    );
  }
  const index = stepIndex(rollout);
  const total = canarySteps(rollout)?.length ?? 0;
  if (index === undefined)
    throw new CliError(`rollout "${rollout.metadata.name}" has no canary steps to skip`);
  if (index >= total)
    throw new CliError(`rollout "${rollout.metadata.name}" has already completed all steps`);
  return { status: { pauseConditions: null, currentStepIndex: index + 1 } };
}

/** `restart NAME [--in D]`: spec `{restartAt: now + in}` in RFC 3339 (whole seconds, UTC). */
export function restartPatch(now: Date, inMs = 0): RolloutPatch {
  return { spec: { restartAt: rfc3339Seconds(now.getTime() + inMs) } };
}

/**
 * `set image NAME CONTAINER=IMAGE` on a Rollout with its own template: `imageOps` on `/spec/template`,
 * conditional on the Rollout's resourceVersion. Throws a {@link CliError} when no container matches or the
 * Rollout uses `workloadRef` (then the referenced workload is patched instead: `runSetImage`).
 */
export function setImageOps(rollout: Rollout, container: string, image: string): JsonPatchOp[] {
  if (rollout.spec.workloadRef !== undefined) {
    throw new CliError(`rollout "${rollout.metadata.name}" uses workloadRef; set the image on the workload`);
  }
  const template = rollout.spec.template as PodTemplateSpec | undefined;
  return imageOps(template, '/spec/template', rollout.metadata.resourceVersion, { container, image });
}

/** Parses `CONTAINER=IMAGE`; throws a {@link CliError} naming the expected form otherwise. */
export function parseImageAssignment(text: string): { container: string; image: string } {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) {
    throw new CliError(`expected CONTAINER=IMAGE (or *=IMAGE), got "${text}"`);
  }
  return { container: text.slice(0, at), image: text.slice(at + 1) };
}

/** A ReplicaSet as `undo` needs it. */
export interface RevisionSource {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: { template?: PodTemplateSpec };
}

function revisionOf(rs: RevisionSource): number {
  const text = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  return text !== undefined && /^\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
}

/**
 * The ReplicaSet `undo --to-revision N` restores: revision N, or for N = 0 the previous one (the highest
 * revision below the newest), as `kubectl rollout undo` picks it. Throws a {@link CliError} when absent.
 * Example: revisions [1, 2, 3] → N=0 picks 2, N=1 picks 1, N=7 throws.
 */
export function undoTarget(replicaSets: readonly RevisionSource[], toRevision: number): RevisionSource {
  const byRevision = [...replicaSets].filter((rs) => revisionOf(rs) > 0);
  byRevision.sort((a, b) => revisionOf(b) - revisionOf(a));
  const found = toRevision === 0 ? byRevision[1] : byRevision.find((rs) => revisionOf(rs) === toRevision);
  if (found !== undefined) return found;
  if (toRevision === 0) throw new CliError('no previous revision to roll back to');
  throw new CliError(`unable to find specified revision ${toRevision} in history`);
}

/** `template` without the pod-template-hash label (the form a Rollout's own template has). */
export function templateWithoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...template.metadata, labels } };
}

/**
 * `undo NAME`: JSON-patch `replace` of the template at `pointer` (`/spec/template` of the Rollout, or of the
 * workload `spec.workloadRef` names; `/template` of a PodTemplate) with the target ReplicaSet's template
 * minus the hash label.
 */
export function undoOps(target: RevisionSource, pointer = '/spec/template'): JsonPatchOp[] {
  const template = target.spec?.template;
  if (template === undefined) throw new CliError(`replicaset "${target.metadata?.name}" has no pod template`);
  return [{ op: 'replace', path: pointer, value: templateWithoutHash(template) }];
}

/** The revision number a ReplicaSet carries (0 when absent), for messages. */
export function revisionNumber(rs: RevisionSource): number {
  return revisionOf(rs);
}
