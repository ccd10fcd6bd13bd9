import type { AnalysisTemplateSpec, Rollout, RolloutAnalysis, TemplateSource } from '../../api/index.js';
import { AnalysisTemplateSpecSchema } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import { jsonEqual } from '../../kube/merge-patch.js';
import type { KubeObject } from '../../kube/types.js';
import { isCompletedPhase } from '../core/index.js';
import { type AnalysisRunObject, buildAnalysisRun, carriedRunAnnotations } from '../core/run-builder.js';

/** What the Rollout side asks for: one run for a step (or background) analysis of a pod hash. */
export interface AnalysisRunRequest {
  name: string;
  labels: Record<string, string>;
  analysis: RolloutAnalysis;
  latestHash: string;
  stableHash: string | undefined;
}

/** A reference to an AnalysisTemplate, or a ClusterAnalysisTemplate when `clusterScope`. */
export interface TemplateRef {
  readonly templateName: string;
  readonly clusterScope?: boolean;
}

async function fetchTemplate(
  client: KubeClient,
  namespace: string | undefined,
  ref: TemplateRef,
): Promise<TemplateSource> {
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
  const annotations = obj.metadata?.annotations;
  return { spec: spec.data, ...(annotations ? { annotations } : {}) };
}

/**
 * The templates `refs` name and every template they compose (`spec.templates`, depth first), each once
 * with its spec and annotations: the AnalysisTemplates in the order met, then the ClusterAnalysisTemplates
 * (Argo's `getAnalysisTemplatesFromRefs` and `FilterUniqueTemplates`). A missing or invalid one is an Error
 * naming it.
 */
export async function fetchTemplateSources(
  client: KubeClient,
  namespace: string | undefined,
  refs: readonly TemplateRef[],
): Promise<TemplateSource[]> {
  const namespaced: TemplateSource[] = [];
  const cluster: TemplateSource[] = [];
  const seen = new Set<string>();
  const visit = async (list: readonly TemplateRef[]): Promise<void> => {
    for (const ref of list) {
      const key = `${ref.clusterScope ? 'cluster' : 'ns'}/${ref.templateName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const source = await fetchTemplate(client, namespace, ref);
      (ref.clusterScope ? cluster : namespaced).push(source);
      await visit(source.spec.templates ?? []);
    }
  };
  await visit(refs);
  return [...namespaced, ...cluster];
}

/** The specs of `fetchTemplateSources`, in the same order. */
export async function fetchTemplateSpecs(
  client: KubeClient,
  namespace: string | undefined,
  refs: readonly TemplateRef[],
): Promise<AnalysisTemplateSpec[]> {
  return (await fetchTemplateSources(client, namespace, refs)).map((source) => source.spec);
}

/**
 * Creates the AnalysisRun for `request` from its templates (`fetchTemplateSources`), with the annotations they
 * carry (`carriedRunAnnotations`). Idempotent: an existing
 * run of that name counts as created. A missing or invalid template, or an unresolvable argument, is an
 * Error naming it.
 */
export async function createAnalysisRun(
  client: KubeClient,
  rollout: Rollout,
  request: AnalysisRunRequest,
): Promise<void> {
  const namespace = rollout.metadata.namespace;
  const sources = await fetchTemplateSources(client, namespace, request.analysis.templates ?? []);
  const carried = carriedRunAnnotations(sources);
  if (!carried.ok) throw new Error(`cannot create AnalysisRun ${request.name}: ${carried.error}`);
  const templates = sources.map((source) => source.spec);
  const built = buildAnalysisRun({ rollout, templates, carried: carried.value, ...request });
  if (!built.ok) throw new Error(`cannot create AnalysisRun ${request.name}: ${built.error}`);
  await client
    .create(Resources.analysisRuns, namespace, built.value as unknown as KubeObject)
    .catch((err: unknown) => {
      if (!isApiError(err, 'AlreadyExists')) throw err;
    });
}

type RunLike = KubeObject & { spec?: AnalysisRunObject['spec']; status?: { phase?: string } };

function sameRun(wanted: AnalysisRunObject, existing: RunLike): boolean {
  const owner = wanted.metadata.ownerReferences[0]?.uid;
  const controller = existing.metadata?.ownerReferences?.find((ref) => ref.controller)?.uid;
  const pick = (spec: AnalysisRunObject['spec'] | undefined) => ({
    metrics: spec?.metrics,
    dryRun: spec?.dryRun,
    measurementRetention: spec?.measurementRetention,
    args: spec?.args,
  });
  return (
    !isCompletedPhase(existing.status?.phase) &&
    owner !== undefined &&
    owner === controller &&
    jsonEqual(pick(wanted.spec), pick(existing.spec))
  );
}

/**
 * Argo `CreateWithCollisionCounter`: creates `run`; when its name is taken by a run that is not this one
 * (another owner, another spec, or completed) tries `<name>.1`, `<name>.2`, … Returns the name of the run
 * that now stands for `run` (an existing equal, running run of the same owner counts).
 */
export async function createRunWithCollisionCounter(
  client: KubeClient,
  run: AnalysisRunObject,
): Promise<string> {
  const namespace = run.metadata.namespace;
  const base = run.metadata.name;
  for (let n = 0; ; n++) {
    const name = n === 0 ? base : `${base}.${n}`;
    const body = { ...run, metadata: { ...run.metadata, name } };
    try {
      await client.create(Resources.analysisRuns, namespace, body as unknown as KubeObject);
      return name;
    } catch (err) {
      if (!isApiError(err, 'AlreadyExists')) throw err;
    }
    const existing = await client.get<RunLike>(Resources.analysisRuns, namespace, name);
    if (sameRun(body, existing)) return name;
  }
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
