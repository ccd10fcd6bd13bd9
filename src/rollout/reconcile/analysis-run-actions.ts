import { createAnalysisRun, terminateAnalysisRun } from '../../analysis/runs/create-run.js';
import { CONTROLLER_INSTANCE_LABEL, type Rollout } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import type { CreateAnalysisRunAction } from '../core/actions.js';

/**
 * Creates the AnalysisRun from its templates, labelled with the Rollout's controller-instance label (so the
 * same controller instance watches it); an existing run of that name counts as done.
 */
export async function startAnalysisRun(
  client: KubeClient,
  rollout: Rollout,
  action: CreateAnalysisRunAction,
): Promise<void> {
  const instance = rollout.metadata.labels?.[CONTROLLER_INSTANCE_LABEL];
  await createAnalysisRun(client, rollout, {
    name: action.name,
    labels: instance ? { ...action.labels, [CONTROLLER_INSTANCE_LABEL]: instance } : action.labels,
    analysis: action.analysis,
    latestHash: action.podTemplateHash,
    stableHash: rollout.status?.stableRS,
  });
}

/** Asks a running AnalysisRun to stop. */
export async function stopAnalysisRun(client: KubeClient, rollout: Rollout, name: string): Promise<void> {
  await terminateAnalysisRun(client, rollout.metadata?.namespace, name);
}
