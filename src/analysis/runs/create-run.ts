import type { AnalysisTemplateRef, AnalysisTemplateSpec, Rollout, RolloutAnalysis } from '../../api/index.js';
import { AnalysisTemplateSpecSchema } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import { buildAnalysisRun } from '../core/run-builder.js';

/** What the Rollout side asks for: one run for a step (or background) analysis of a pod hash. */
export interface AnalysisRunRequest {
  name: string;
  labels: Record<string, string>;
  analysis: RolloutAnalysis;
  latestHash: string;
  stableHash: string | undefined;
}

async function fetchTemplate(
  client: KubeClient,
  namespace: string | undefined,
  ref: AnalysisTemplateRef,
): Promise<AnalysisTemplateSpec> {
  const res = ref.clusterScope ? Resources.clusterAnalysisTemplates : Resources.analysisTemplates;
  const what = `${ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} "${ref.templateName}"`;
  const obj = await client
    .get<KubeObject & { spec?: unknown }>(res, ref.clusterScope ? undefined : namespace, ref.templateName)
    .catch((err: unknown) => {
      if (isApiError(err, 'NotFound')) throw new Error(`${what} not found`);
      throw err;
    });
  const spec = AnalysisTemplateSpecSchema.safeParse(obj.spec);
  if (!spec.success) throw new Error(`${what} is invalid: ${spec.error.issues[0]?.message ?? 'unknown'}`);
  return spec.data;
}

/**
 * Creates the AnalysisRun for `request` from its templates (namespaced AnalysisTemplates first, then
 * ClusterAnalysisTemplates, as Argo merges them). Idempotent: an existing run of that name counts as
 * created. A missing or invalid template, or an unresolvable argument, is an Error naming it.
 */
export async function createAnalysisRun(
  client: KubeClient,
  rollout: Rollout,
  request: AnalysisRunRequest,
): Promise<void> {
  const namespace = rollout.metadata.namespace;
  const refs = request.analysis.templates ?? [];
  const ordered = [...refs.filter((r) => !r.clusterScope), ...refs.filter((r) => r.clusterScope)];
  const templates: AnalysisTemplateSpec[] = [];
  for (const ref of ordered) templates.push(await fetchTemplate(client, namespace, ref));
  const built = buildAnalysisRun({ rollout, templates, ...request });
  if (!built.ok) throw new Error(`cannot create AnalysisRun ${request.name}: ${built.error}`);
  await client
    .create(Resources.analysisRuns, namespace, built.value as unknown as KubeObject)
    .catch((err: unknown) => {
      if (!isApiError(err, 'AlreadyExists')) throw err;
    });
}

/** Asks a running AnalysisRun to stop (`spec.terminate: true`); a run already gone counts as done. */
export async function terminateAnalysisRun(
  client: KubeClient,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const body = { spec: { terminate: true } };
  await client
    .patch(Resources.analysisRuns, { namespace, name }, { type: 'merge', body })
    .catch((err: unknown) => {
      if (!isApiError(err, 'NotFound')) throw err;
    });
}

/** Deletes one AnalysisRun; one already gone counts as deleted. */
export async function deleteAnalysisRun(client: KubeClient, namespace: string, name: string): Promise<void> {
  await client.delete(Resources.analysisRuns, { namespace, name }).catch((err: unknown) => {
    if (!isApiError(err, 'NotFound')) throw err;
  });
}
