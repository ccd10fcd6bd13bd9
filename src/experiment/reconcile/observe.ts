import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Experiment } from '../../api/index.js';
import { POD_TEMPLATE_HASH_LABEL, SCALE_DOWN_DEADLINE_ANNOTATION } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import type {
  ExperimentRunView,
  ExperimentSnapshot,
  TemplateReplicaSetView,
  TemplateServiceView,
} from '../core/model.js';
import { EXPERIMENT_ANNOTATIONS, replicaSetName, servicePorts } from '../core/objects.js';
import { isCompleted, isTemplateCompleted, templateStatusOf } from '../core/rules.js';

/** The caches and API an Experiment pass observes through. */
export interface ExperimentObserveDeps {
  readonly client: KubeClient;
  readonly replicaSets: ObjectCache<KubeObject>;
  readonly analysisRuns: ObjectCache<KubeObject>;
}

/** True when `obj` is controlled by the Experiment and annotated as one of its templates' (Argo's claim). */
export function claimedBy(experiment: Experiment, obj: KubeObject): string | undefined {
  const controller = obj.metadata?.ownerReferences?.find((ref) => ref.controller);
  const annotations = obj.metadata?.annotations ?? {};
  if (controller?.uid !== experiment.metadata.uid) return undefined;
  if (annotations[EXPERIMENT_ANNOTATIONS.name] !== experiment.metadata.name) return undefined;
  const template = annotations[EXPERIMENT_ANNOTATIONS.templateName];
  return experiment.spec.templates.some((t) => t.name === template) ? template : undefined;
}

function replicaSetView(rs: ReplicaSet): TemplateReplicaSetView {
  const labels = rs.metadata?.labels ?? {};
  const deadline = rs.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  const hash = labels[POD_TEMPLATE_HASH_LABEL];
  return {
    name: rs.metadata?.name ?? '',
    replicas: rs.spec?.replicas ?? 1,
    statusReplicas: rs.status?.replicas ?? 0,
    readyReplicas: rs.status?.readyReplicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
    labels,
    ...(hash === undefined ? {} : { podTemplateHash: hash }),
    ...(deadline === undefined ? {} : { scaleDownDeadline: deadline }),
    ports: servicePorts(rs.spec?.template),
  };
}

/** Argo `getReplicaSetsForExperiment`: the claimed ReplicaSet of each template; two for one template is an error. */
function replicaSetsOf(
  deps: ExperimentObserveDeps,
  experiment: Experiment,
): Record<string, TemplateReplicaSetView> {
  const found: Record<string, TemplateReplicaSetView> = {};
  for (const rs of deps.replicaSets.list(experiment.metadata.namespace)) {
    const template = claimedBy(experiment, rs);
    if (template === undefined || rs.metadata?.deletionTimestamp) continue;
    if (found[template] !== undefined) {
      throw new Error(`multiple ReplicaSets match single experiment template: ${template}`);
    }
    found[template] = replicaSetView(rs as ReplicaSet);
  }
  return found;
}

async function getOrNothing<T extends KubeObject>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isApiError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** The Service under each template's Service name, read only while the template may still need or own one. */
async function servicesOf(deps: ExperimentObserveDeps, experiment: Experiment) {
  const found: Record<string, TemplateServiceView> = {};
  for (const template of experiment.spec.templates) {
    if (template.service === undefined) continue;
    const status = templateStatusOf(experiment.status, template.name);
    if (isTemplateCompleted(status?.status) && !status?.serviceName) continue;
    const name = template.service.name || replicaSetName(experiment, template.name);
    const ns = experiment.metadata.namespace;
    const svc = await getOrNothing(() => deps.client.get(Resources.services, ns, name));
    if (svc !== undefined)
      found[template.name] = { name, owned: claimedBy(experiment, svc) === template.name };
  }
  return found;
}

function runView(run: KubeObject): ExperimentRunView {
  const r = run as KubeObject & {
    status?: { phase?: string; message?: string };
    spec?: { terminate?: boolean };
  };
  return {
    name: r.metadata?.name ?? '',
    ...(r.status?.phase ? { phase: r.status.phase } : {}),
    ...(r.status?.message ? { message: r.status.message } : {}),
    terminate: r.spec?.terminate === true,
  };
}

/** The runs the status names and still follows: from the cache, else (a cache behind its create) the API. */
async function runsOf(deps: ExperimentObserveDeps, experiment: Experiment) {
  const runs: Record<string, ExperimentRunView> = {};
  const ns = experiment.metadata.namespace;
  for (const entry of experiment.status?.analysisRuns ?? []) {
    if (!entry.analysisRun || isCompleted(entry.phase)) continue;
    const name = entry.analysisRun;
    const run =
      deps.analysisRuns.get(ns, name) ??
      (await getOrNothing(() => deps.client.get(Resources.analysisRuns, ns, name)));
    if (run !== undefined) runs[name] = runView(run);
  }
  return runs;
}

/** Argo's pre-availability check of each analysis template: why it cannot be read, by analysis name. */
async function missingTemplatesOf(deps: ExperimentObserveDeps, experiment: Experiment) {
  const missing: Record<string, string> = {};
  if (experiment.status?.availableAt !== undefined) return missing;
  for (const analysis of experiment.spec.analyses ?? []) {
    const cluster = analysis.clusterScope === true;
    const res = cluster ? Resources.clusterAnalysisTemplates : Resources.analysisTemplates;
    const ns = cluster ? undefined : experiment.metadata.namespace;
    const found = await getOrNothing(() => deps.client.get(res, ns, analysis.templateName));
    if (found !== undefined) continue;
    const kind = cluster ? 'clusteranalysistemplate' : 'analysistemplate';
    missing[analysis.name] = `${kind}.argoproj.io "${analysis.templateName}" not found`;
  }
  return missing;
}

/**
 * Observes one parsed Experiment: the ReplicaSets it claims (cache), the Services its templates use or own
 * (API, by name, only while needed), the AnalysisRuns its status follows (cache, API when the cache lags)
 * and, until it is available, whether its analysis templates exist (API).
 */
export async function observeExperiment(
  deps: ExperimentObserveDeps,
  experiment: Experiment,
  now: Date,
): Promise<ExperimentSnapshot> {
  return {
    experiment,
    replicaSets: replicaSetsOf(deps, experiment),
    services: await servicesOf(deps, experiment),
    runs: await runsOf(deps, experiment),
    missingTemplates: await missingTemplatesOf(deps, experiment),
    now,
  };
}
