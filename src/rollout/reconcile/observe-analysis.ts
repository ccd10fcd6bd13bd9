import type { Rollout } from '../../api/index.js';
import type { CacheSet } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import type { ObservedAnalysisTemplates } from '../core/snapshot.js';
import type { TemplateKind } from './analysis-template-watch.js';
import { analysisTemplateRefsOf, composedTemplateRefsOf, type ObjectRef } from './reference-index.js';

/**
 * The analysis templates `rollout` reaches, from the caches: those its analyses name and, depth first,
 * those they compose (`spec.templates`; an AnalysisTemplate is always looked up in the Rollout's namespace,
 * also when a ClusterAnalysisTemplate composes it). Undefined without caches (nothing is checked); a
 * collection not watched is left out of the result (its references are not checked).
 */
export function observeAnalysisTemplates(
  caches: CacheSet<TemplateKind> | undefined,
  rollout: Rollout,
): ObservedAnalysisTemplates | undefined {
  if (caches === undefined) return undefined;
  const namespace = rollout.metadata.namespace;
  const scopes = {
    analysistemplates: { cache: caches.cache('analysistemplates'), found: new Map<string, unknown>() },
    clusteranalysistemplates: {
      cache: caches.cache('clusteranalysistemplates'),
      found: new Map<string, unknown>(),
    },
  };
  const seen = new Set<string>();
  const queue: ObjectRef[] = analysisTemplateRefsOf(rollout as unknown as KubeObject);
  for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
    const scope = scopes[ref.kind as TemplateKind];
    if (scope?.cache === undefined || seen.has(`${ref.kind}/${ref.name}`)) continue;
    seen.add(`${ref.kind}/${ref.name}`);
    const cluster = ref.kind === 'clusteranalysistemplates';
    const template = scope.cache.get(cluster ? undefined : namespace, ref.name);
    if (template === undefined) continue;
    scope.found.set(ref.name, template);
    queue.push(...composedTemplateRefsOf(template));
  }
  const { analysistemplates: ns, clusteranalysistemplates: cluster } = scopes;
  return {
    ...(ns.cache === undefined ? {} : { namespaced: ns.found }),
    ...(cluster.cache === undefined ? {} : { cluster: cluster.found }),
  };
}
