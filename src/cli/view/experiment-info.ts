import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { AnalysisRun, Experiment } from '../../api/index.js';
import { type AnalysisRunInfo, analysisRunInfo } from './analysis-info.js';
import { type ImageInfo, type ReplicaSetInfo, replicaSetBase } from './rollout-info.js';
import { age, ownedBy } from './snapshot.js';

const TEMPLATE_ANNOTATION = 'experiment.argoproj.io/template-name';

/** Everything `get experiment` shows, read in one pass, and the time ages are measured against. */
export interface ExperimentSnapshot {
  experiment: Experiment;
  replicaSets: readonly ReplicaSet[];
  pods: readonly Pod[];
  analysisRuns: readonly AnalysisRun[];
  now: Date;
}

/**
 * The `get experiment` view model (Argo's plugin): phase (Pending when unset) and message, the images of
 * templates with pods (tagged `Σ:<template>`), and the Experiment's ReplicaSets (with their pods) and
 * AnalysisRuns, each ReplicaSet tagged with its template.
 */
export interface ExperimentInfo {
  name: string;
  namespace: string;
  phase: string;
  message: string;
  images: ImageInfo[];
  age: string;
  replicaSets: ReplicaSetInfo[];
  analysisRuns: AnalysisRunInfo[];
}

function replicaSetInfo(rs: ReplicaSet, snap: ExperimentSnapshot): ReplicaSetInfo {
  const template = rs.metadata?.annotations?.[TEMPLATE_ANNOTATION];
  const tags = template === undefined ? [] : [`Σ:${template}`];
  return { ...replicaSetBase(rs, snap.pods, snap.now), revision: 0, tags };
}

/** Argo `ExperimentImages`: images of ReplicaSets that want pods, tagged with their templates. */
function images(sets: readonly ReplicaSetInfo[]): ImageInfo[] {
  const byImage = new Map<string, string[]>();
  for (const set of sets) {
    if (set.desired === 0) continue;
    for (const image of set.images) byImage.set(image, [...(byImage.get(image) ?? []), ...set.tags]);
  }
  return [...byImage.entries()].map(([image, tags]) => ({ image, tags }));
}

/** Builds the {@link ExperimentInfo} of a snapshot (only ReplicaSets and runs the Experiment owns count). */
export function experimentInfo(snap: ExperimentSnapshot): ExperimentInfo {
  const { experiment } = snap;
  const owner = { kind: 'Experiment', name: experiment.metadata.name ?? '', uid: experiment.metadata.uid };
  const sets = snap.replicaSets
    .filter((rs) => ownedBy(rs, owner))
    .map((rs) => replicaSetInfo(rs, snap))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: experiment.metadata.name ?? '',
    namespace: experiment.metadata.namespace ?? '',
    phase: experiment.status?.phase || 'Pending',
    message: experiment.status?.message ?? '',
    images: images(sets),
    age: age(experiment.metadata.creationTimestamp, snap.now),
    replicaSets: sets,
    analysisRuns: snap.analysisRuns
      .filter((run) => ownedBy(run, owner))
      .map((run) => analysisRunInfo(run, snap.now))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
