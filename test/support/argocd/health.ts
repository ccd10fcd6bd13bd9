/**
 * A test oracle for Argo CD's built-in health assessment of `argoproj.io/Rollout`, `AnalysisRun` and `Experiment`
 * (reference `argo-rollouts-api.md` §6.1 and §6.3), written from the reference's description. It reads only
 * the fields Argo CD reads, so a Vireo status that satisfies it shows the same verdict in Argo CD.
 */

/** Argo CD's health statuses. */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Suspended' | 'Degraded' | 'Missing' | 'Unknown';

/** A health verdict with the message Argo CD would show. */
export interface HealthVerdict {
  status: HealthStatus;
  message: string;
}

/** The parts of a Rollout the oracle reads; everything is optional, as on the wire. */
export interface RolloutLike {
  metadata?: { generation?: number; annotations?: Record<string, string> };
  spec?: {
    replicas?: number;
    paused?: boolean;
    workloadRef?: unknown;
    strategy?: { canary?: { steps?: unknown[] }; blueGreen?: unknown };
  };
  status?: RolloutStatusLike;
}

interface ConditionLike {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

interface RolloutStatusLike {
  observedGeneration?: string | number;
  workloadObservedGeneration?: string;
  phase?: string;
  message?: string;
  conditions?: ConditionLike[];
  pauseConditions?: unknown[];
  currentPodHash?: string;
  stableRS?: string;
  canary?: { stableRS?: string };
  blueGreen?: { activeSelector?: string };
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
}

const WAITING_FOR_SPEC = 'Waiting for rollout spec update to be observed';

function generationObserved(r: RolloutLike): boolean {
  const status = r.status;
  if (!status) return false;
  const observed = Number(status.observedGeneration);
  const generation = r.metadata?.generation;
  const numeric =
    status.observedGeneration !== undefined &&
    `${status.observedGeneration}` !== '' &&
    Number.isFinite(observed);
  if (numeric && generation !== undefined && observed < generation) return false;
  if (r.spec?.workloadRef !== undefined) {
    const wanted = r.metadata?.annotations?.['rollout.argoproj.io/workload-generation'];
    if (wanted !== status.workloadObservedGeneration) return false;
  }
  return true;
}

function legacyDegraded(status: RolloutStatusLike): HealthVerdict | undefined {
  for (const c of status.conditions ?? []) {
    if (c.type === 'InvalidSpec') return { status: 'Degraded', message: c.message ?? '' };
    const failed = c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded';
    if (c.type === 'Progressing' && failed) return { status: 'Degraded', message: c.message ?? '' };
  }
  return undefined;
}

function legacyReplicas(r: RolloutLike, status: RolloutStatusLike): HealthVerdict | undefined {
  const wanted = r.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < wanted) {
    return {
      status: 'Progressing',
      message: 'Waiting for roll out to finish: more replicas need to be updated',
    };
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return {
      status: 'Progressing',
      message: 'Waiting for roll out to finish: updated replicas are still becoming available',
    };
  }
  return undefined;
}

function legacyStrategy(r: RolloutLike, status: RolloutStatusLike): HealthVerdict {
  const waiting = (message: string): HealthVerdict => ({ status: 'Progressing', message });
  if (r.spec?.strategy?.blueGreen !== undefined) {
    if (status.blueGreen?.activeSelector !== status.currentPodHash)
      return waiting('active service cutover pending');
    return { status: 'Healthy', message: '' };
  }
  const stable = status.stableRS ?? status.canary?.stableRS;
  if (stable !== undefined && stable !== status.currentPodHash)
    return waiting('Waiting for rollout to finish steps');
  if ((status.replicas ?? 0) > (status.updatedReplicas ?? 0))
    return waiting('old replicas are pending termination');
  return { status: 'Healthy', message: '' };
}

function legacyHealth(r: RolloutLike, status: RolloutStatusLike): HealthVerdict {
  const degraded = legacyDegraded(status);
  if (degraded) return degraded;
  if ((status.pauseConditions?.length ?? 0) > 0 || r.spec?.paused === true) {
    return { status: 'Suspended', message: 'Rollout is paused' };
  }
  if (status.currentPodHash === undefined)
    return { status: 'Progressing', message: 'Waiting for rollout to finish' };
  return legacyReplicas(r, status) ?? legacyStrategy(r, status);
}

/**
 * Argo CD's verdict on a Rollout: Progressing until the current generation is observed; then `status.phase`
 * as is (Paused → Suspended) with `status.message`; the legacy condition/replica rules only without a phase.
 */
export function rolloutHealth(r: RolloutLike): HealthVerdict {
  if (!r.status || !generationObserved(r)) return { status: 'Progressing', message: WAITING_FOR_SPEC };
  const { phase, message } = r.status;
  if (phase !== undefined && phase !== '') {
    return { status: phase === 'Paused' ? 'Suspended' : (phase as HealthStatus), message: message ?? '' };
  }
  return legacyHealth(r, r.status);
}

/** The parts of an AnalysisRun the oracle reads. */
export interface AnalysisRunLike {
  spec?: { terminate?: boolean };
  status?: { phase?: string; message?: string };
}

const RUN_VERDICTS: Record<string, HealthVerdict> = {
  Pending: { status: 'Progressing', message: 'Analysis run is running' },
  Running: { status: 'Progressing', message: 'Analysis run is running' },
  Successful: { status: 'Healthy', message: 'Analysis run completed successfully' },
  Failed: { status: 'Degraded', message: 'Analysis run failed' },
  Error: { status: 'Degraded', message: 'Analysis run had an error' },
  Inconclusive: { status: 'Unknown', message: 'Analysis run was inconclusive' },
};

/** Argo CD's verdict on an AnalysisRun: by phase, with `status.message` replacing the default message. */
export function analysisRunHealth(run: AnalysisRunLike): HealthVerdict {
  const status = run.status;
  if (!status?.phase) return { status: 'Progressing', message: 'Waiting for analysis run to be reconciled' };
  const verdict = RUN_VERDICTS[status.phase];
  if (!verdict) return { status: 'Unknown', message: `unknown phase ${status.phase}` };
  return { status: verdict.status, message: status.message || verdict.message };
}

/** The parts of an Experiment the oracle reads. */
export interface ExperimentLike {
  metadata?: { deletionTimestamp?: string; finalizers?: string[] };
  status?: { phase?: string };
}

const EXPERIMENT_VERDICTS: Record<string, HealthVerdict> = {
  Pending: { status: 'Progressing', message: 'Experiment is pending' },
  Running: { status: 'Progressing', message: 'Experiment is running' },
  Successful: { status: 'Healthy', message: 'Experiment is successful' },
  Failed: { status: 'Degraded', message: 'Experiment has failed' },
  Error: { status: 'Degraded', message: 'Experiment had an error' },
};

/**
 * Argo CD's `Experiment/health.lua` (reference §6.3): a deleting Experiment is Progressing "Pending deletion";
 * otherwise by phase with fixed messages (status.message is not shown). A status whose phase is none of
 * those (Inconclusive, or none yet) gets no health from the script, shown here as Unknown with no message;
 * no status at all is Progressing.
 */
export function experimentHealth(experiment: ExperimentLike): HealthVerdict {
  const meta = experiment.metadata;
  if (meta?.deletionTimestamp) {
    const finalizers = meta.finalizers ?? [];
    const blocked = finalizers.length > 0 ? `; blocked by finalizers: ${finalizers.join(', ')}` : '';
    return { status: 'Progressing', message: `Pending deletion${blocked}` };
  }
  if (!experiment.status) {
    return {
      status: 'Progressing',
      message: 'Waiting for experiment to finish: status has not been reconciled.',
    };
  }
  return EXPERIMENT_VERDICTS[experiment.status.phase ?? ''] ?? { status: 'Unknown', message: '' };
}
