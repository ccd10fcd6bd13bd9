import type { Condition, Experiment, ExperimentStatus } from '../../api/index.js';
import { isoSeconds, passedDuration, templateStatusOf } from './rules.js';

/** Argo's Experiment condition types, reasons and messages (`utils/conditions/experiments.go`). */
export const EXPERIMENT_CONDITION = {
  progressing: 'Progressing',
  invalidSpec: 'InvalidSpec',
} as const;

export const EXPERIMENT_REASON = {
  completed: 'ExperimentCompleted',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  invalidSpec: 'InvalidSpec',
} as const;

const quoted = (name: string | undefined) => JSON.stringify(name ?? '');

export const EXPERIMENT_MESSAGE = {
  progressing: (name?: string) => `Experiment ${quoted(name)} is progressing.`,
  running: (name?: string) => `Experiment ${quoted(name)} is running.`,
  completed: (name?: string) => `Experiment ${quoted(name)} has successfully ran and completed.`,
};

type Intent = Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;

function make(intent: Intent, nowIso: string): Condition {
  return { ...intent, lastUpdateTime: nowIso, lastTransitionTime: nowIso };
}

/**
 * Argo `SetExperimentCondition`: nothing changes when a condition of that type has the same status and
 * reason; otherwise the old one is dropped and the new one appended, keeping `lastTransitionTime` when the
 * status is unchanged.
 */
export function setExperimentCondition(
  list: readonly Condition[],
  intent: Intent,
  nowIso: string,
): Condition[] {
  const current = list.find((c) => c.type === intent.type);
  if (current && current.status === intent.status && current.reason === intent.reason) return [...list];
  const next = make(intent, nowIso);
  if (current && current.status === intent.status)
    next.lastTransitionTime = current.lastTransitionTime ?? nowIso;
  return [...list.filter((c) => c.type !== intent.type), next];
}

/** The list without conditions of `type`. */
export function withoutCondition(list: readonly Condition[], type: string): Condition[] {
  return list.filter((c) => c.type !== type);
}

/** Argo `ExperimentProgressing`: a new template status, or changed replica counts of an existing one. */
function progressed(before: ExperimentStatus | undefined, after: ExperimentStatus): boolean {
  const old = before?.templateStatuses ?? [];
  const next = after.templateStatuses ?? [];
  if (old.length < next.length) return true;
  const counts = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const;
  return old.some((o) => {
    const n = templateStatusOf(after, o.name);
    return n !== undefined && counts.some((k) => (o[k] ?? 0) !== (n[k] ?? 0));
  });
}

/**
 * Argo `calculateExperimentConditions` for a valid spec: InvalidSpec dropped; then Progressing False
 * `ExperimentCompleted` once Successful; else Progressing True `ReplicaSetUpdated` when replica counts moved
 * (update time refreshed, transition time kept while True); else Progressing True `NewReplicaSetAvailable`
 * while the (observed) Experiment is available and its duration has not passed.
 */
export function experimentConditions(
  experiment: Experiment,
  status: ExperimentStatus,
  now: Date,
): Condition[] {
  const nowIso = isoSeconds(now);
  const name = experiment.metadata.name;
  let list = withoutCondition(status.conditions ?? [], EXPERIMENT_CONDITION.invalidSpec);
  const type = EXPERIMENT_CONDITION.progressing;
  if (status.phase === 'Successful') {
    const intent = {
      type,
      status: 'False',
      reason: EXPERIMENT_REASON.completed,
      message: EXPERIMENT_MESSAGE.completed(name),
    };
    return setExperimentCondition(list, intent, nowIso);
  }
  if (progressed(experiment.status, status)) {
    const current = list.find((c) => c.type === type);
    const next = make(
      {
        type,
        status: 'True',
        reason: EXPERIMENT_REASON.replicaSetUpdated,
        message: EXPERIMENT_MESSAGE.progressing(name),
      },
      nowIso,
    );
    if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime ?? nowIso;
    list = withoutCondition(list, type);
    return [...list, next];
  }
  const old = experiment.status;
  if (old?.availableAt !== undefined && !passedDuration(experiment, old, now)) {
    const intent = {
      type,
      status: 'True',
      reason: EXPERIMENT_REASON.newReplicaSetAvailable,
      message: EXPERIMENT_MESSAGE.running(name),
    };
    return setExperimentCondition(list, intent, nowIso);
  }
  return list;
}

/**
 * The status of an Experiment whose spec is invalid: only its InvalidSpec condition, set (or replaced when
 * the message changed), as Argo does; nothing else is reconciled.
 */
export function invalidSpecStatus(experiment: Experiment, message: string, now: Date): ExperimentStatus {
  const nowIso = isoSeconds(now);
  const status = experiment.status ?? {};
  const type = EXPERIMENT_CONDITION.invalidSpec;
  let list = status.conditions ?? [];
  const previous = list.find((c) => c.type === type);
  if (previous !== undefined && previous.message !== message) list = withoutCondition(list, type);
  const intent = { type, status: 'True', reason: EXPERIMENT_REASON.invalidSpec, message };
  return { ...status, conditions: setExperimentCondition(list, intent, nowIso) };
}
