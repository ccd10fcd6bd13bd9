import { type Experiment, experimentSettings } from '../../api/index.js';
import type { ExperimentSnapshot } from './model.js';
import { isoSeconds, isTerminating, passedDuration } from './rules.js';

/** What every part of one Experiment pass reads, computed once from the snapshot (old status). */
export interface PassContext {
  readonly snapshot: ExperimentSnapshot;
  readonly experiment: Experiment;
  /** Argo `IsTerminating` on the status as observed: nothing new starts, everything scales down. */
  readonly terminating: boolean;
  /** The duration has passed (strictly before now). */
  readonly passed: boolean;
  readonly nowMs: number;
  /** `now` as RFC 3339 with second precision, as Kubernetes writes times. */
  readonly nowIso: string;
  readonly progressDeadlineSeconds: number;
  readonly scaleDownDelaySeconds: number;
}

/** The {@link PassContext} of a snapshot. */
export function passContext(snapshot: ExperimentSnapshot): PassContext {
  const experiment = snapshot.experiment;
  return {
    snapshot,
    experiment,
    terminating: isTerminating(experiment, experiment.status),
    passed: passedDuration(experiment, experiment.status, snapshot.now),
    nowMs: snapshot.now.getTime(),
    nowIso: isoSeconds(snapshot.now),
    ...experimentSettings(experiment.spec),
  };
}
