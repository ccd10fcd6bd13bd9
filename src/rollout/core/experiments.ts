import type { CanaryStep } from '../../api/index.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import type { ExperimentWeight } from '../../traffic/desired-traffic.js';
import type { ExperimentView, ReplicaSetView } from './snapshot.js';

/** An `experiment` canary step. */
export type ExperimentStepSpec = NonNullable<CanaryStep['experiment']>;

const COMPLETED_PHASES: readonly string[] = ['Successful', 'Failed', 'Error', 'Inconclusive'];
const UNSUCCESSFUL_PHASES: readonly string[] = ['Failed', 'Error', 'Inconclusive'];

/** True for the Experiment phases that never change again (Argo `Completed()`). */
export function experimentCompleted(experiment: ExperimentView): boolean {
  return COMPLETED_PHASES.includes(experiment.phase ?? '');
}

/**
 * Argo `GetCurrentExperimentStep`: the latest `experiment` step at or before step `index` while a step is
 * current (`index < steps.length`); undefined otherwise. Example: [experiment, setWeight 20] at index 1 →
 * the experiment of step 0.
 */
export function experimentStepAt(
  steps: readonly CanaryStep[],
  index: number | undefined,
): ExperimentStepSpec | undefined {
  if (index === undefined || index < 0 || index >= steps.length) return undefined;
  for (let i = index; i >= 0; i--) {
    const experiment = steps[i]?.experiment;
    if (experiment !== undefined) return experiment;
  }
  return undefined;
}

/**
 * Argo `calculateWeightDestinationsFromExperiment`: while `experiment` is Running, one weight per template
 * status whose template in `step` has a `weight` and whose Service is known, in template-status order;
 * none otherwise. Example: templates [baseline w10, canary w10] both with Services → two weights of 10.
 */
export function experimentWeightsOf(
  step: ExperimentStepSpec | undefined,
  experiment: ExperimentView | undefined,
): ExperimentWeight[] {
  if (step === undefined || experiment?.phase !== 'Running') return [];
  return experiment.templateStatuses.flatMap((status) => {
    const weight = step.templates.find((t) => t.name === status.name)?.weight;
    if (weight === undefined || !status.serviceName) return [];
    const hash = status.podTemplateHash ? { podTemplateHash: status.podTemplateHash } : {};
    return [{ serviceName: status.serviceName, ...hash, weight }];
  });
}

/** How many completed Experiments of each kind are kept (the Rollout's AnalysisRun history limits, as Argo). */
export interface ExperimentHistoryLimits {
  successful: number;
  unsuccessful: number;
}

function newestFirst(a: ExperimentView, b: ExperimentView): number {
  const byTime = Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? '');
  return Number.isNaN(byTime) || byTime === 0 ? b.name.localeCompare(a.name) : byTime;
}

/**
 * Argo `FilterExperimentsToDelete` over the Experiments that are not current: one without a
 * `rollouts-pod-template-hash` label or whose ReplicaSet (same hash) is gone; otherwise, newest first,
 * Successful ones beyond `limits.successful` and Failed/Error/Inconclusive ones beyond
 * `limits.unsuccessful`. Running and pending Experiments are never chosen for their phase.
 */
export function experimentsToDelete(
  others: readonly ExperimentView[],
  replicaSets: readonly ReplicaSetView[],
  limits: ExperimentHistoryLimits,
): ExperimentView[] {
  const hashes = new Set(replicaSets.map((rs) => rs.podTemplateHash));
  const kept = { successful: 0, unsuccessful: 0 };
  return [...others].sort(newestFirst).filter((experiment) => {
    const hash = experiment.labels[POD_TEMPLATE_HASH_LABEL];
    if (hash === undefined || !hashes.has(hash)) return true;
    const kind =
      experiment.phase === 'Successful'
        ? 'successful'
        : UNSUCCESSFUL_PHASES.includes(experiment.phase ?? '')
          ? 'unsuccessful'
          : undefined;
    if (kind === undefined) return false;
    kept[kind] += 1;
    return kept[kind] > limits[kind];
  });
}

/**
 * The Experiment of step `index` among `experiments`: the one `recorded` (`status.canary.currentExperiment`)
 * names when it is one of that step's (`<base>` or `<base>-N`); otherwise the newest of that step's that has
 * not completed (Argo's create-with-collision finds an equal running one the same way). `base` is
 * `<rollout>-<pod hash>-<revision>-<index>`.
 */
export function stepExperiment(
  experiments: readonly ExperimentView[],
  base: string,
  recorded: string | undefined,
): ExperimentView | undefined {
  const ofStep = experiments.filter(
    (experiment) =>
      experiment.name === base ||
      (experiment.name.startsWith(`${base}-`) && /^\d+$/.test(experiment.name.slice(base.length + 1))),
  );
  const named = ofStep.find((experiment) => experiment.name === recorded);
  if (named !== undefined) return named;
  return ofStep.filter((experiment) => !experimentCompleted(experiment)).sort(newestFirst)[0];
}

/** The first of `<base>`, `<base>-1`, `<base>-2`, … that no Experiment in `experiments` is named (Argo's collision names). */
export function freeExperimentName(experiments: readonly ExperimentView[], base: string): string {
  const taken = new Set(experiments.map((experiment) => experiment.name));
  let name = base;
  for (let n = 1; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}
