import type { RolloutAction } from '../../../src/rollout/core/actions.js';
import type { ExperimentView } from '../../../src/rollout/core/snapshot.js';

type ExperimentAction = Extract<
  RolloutAction,
  { kind: 'createExperiment' | 'terminateExperiment' | 'deleteExperiment' }
>;

/** True for the actions `applyExperimentAction` handles. */
export function isExperimentAction(action: RolloutAction): action is ExperimentAction {
  return ['createExperiment', 'terminateExperiment', 'deleteExperiment'].includes(action.kind);
}

/**
 * Applies one Experiment action to the fake cluster's Experiments, idempotently: a created Experiment
 * starts without a phase (the Experiment controller has not seen it), terminate sets `terminate`, delete
 * removes it. The test moves phases and template statuses itself.
 */
export function applyExperimentAction(
  experiments: Map<string, ExperimentView>,
  action: ExperimentAction,
  nowMs: number,
): void {
  if (action.kind === 'createExperiment') {
    const name = action.experiment.metadata.name ?? '';
    if (experiments.has(name)) return;
    const labels = action.experiment.metadata.labels ?? {};
    experiments.set(name, { name, labels, createdAt: new Date(nowMs).toISOString(), templateStatuses: [] });
    return;
  }
  if (action.kind === 'deleteExperiment') {
    experiments.delete(action.name);
    return;
  }
  const experiment = experiments.get(action.name);
  if (experiment) experiments.set(action.name, { ...experiment, terminate: true });
}
