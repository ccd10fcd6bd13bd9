/** Annotation naming the Rollout that manages an object (Argo-compatible key). */

import { MANAGED_BY_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import type { DesiredTraffic } from '../desired-traffic.js';
import { listOf } from '../json.js';
import type { EditResult, RouteIssue } from '../router.js';
import type { IstioDestinationRuleRef } from './route-select.js';
import type { DestinationRule, DrSubset } from './types.js';

/** Options of `editDestinationRule`. */
export interface DestinationRuleEditOptions {
  /** Rollout name written to the `managed-by-rollouts` annotation; omitted → annotations untouched. */
  managedBy?: string;
}

function withHash(subset: DrSubset, hash: string | undefined): DrSubset {
  const { [POD_TEMPLATE_HASH_LABEL]: _old, ...others } = subset.labels ?? {};
  const labels = hash === undefined ? others : { ...others, [POD_TEMPLATE_HASH_LABEL]: hash };
  const { labels: _labels, ...rest } = subset;
  if (Object.keys(labels).length === 0) return rest;
  return { ...rest, labels };
}

function missingSubsets(dr: DestinationRule, spec: IstioDestinationRuleRef): RouteIssue[] {
  const names = listOf(dr.spec?.subsets).map((s) => s.name);
  const object = { kind: 'DestinationRule', name: dr.metadata?.name ?? '' };
  const ref = dr.metadata?.namespace === undefined ? object : { ...object, namespace: dr.metadata.namespace };
  return [spec.canarySubsetName, spec.stableSubsetName]
    .filter((name) => !names.includes(name))
    .map((name) => ({
      reason: 'SubsetNotFound' as const,
      object: ref,
      path: 'spec.subsets',
      message: `subset "${name}" not found in DestinationRule "${object.name}"`,
    }));
}

/**
 * The subsets after the Experiment Services of `desired`: a subset named after each routed Service carries
 * its ReplicaSet's hash (appended when missing, as Argo's `UpdateHash` does), and the subsets of retired
 * Experiment Services are removed. Other subsets are kept as they are.
 */
function withExperimentSubsets(subsets: readonly DrSubset[], desired: DesiredTraffic): DrSubset[] {
  const retired = listOf(desired.retiredExperimentServices);
  const hashes = new Map(listOf(desired.experimentWeights).map((w) => [w.serviceName, w.podTemplateHash]));
  const kept = subsets.flatMap((subset): DrSubset[] => {
    const name = subset.name ?? '';
    if (hashes.has(name)) {
      const hash = hashes.get(name);
      hashes.delete(name);
      return [withHash(subset, hash)];
    }
    return retired.includes(name) ? [] : [subset];
  });
  for (const [name, hash] of hashes) kept.push(withHash({ name }, hash));
  return kept;
}

/**
 * Pure edit of the DestinationRule of a subset-level split: the canary subset's
 * `rollouts-pod-template-hash` label becomes `desired.canaryHash` and the stable subset's
 * `desired.stableHash` (an undefined hash removes the label, and an emptied `labels` map, as in clean-up);
 * each Experiment Service of `desired.experimentWeights` has a subset of its name labelled with its hash,
 * and those of `desired.retiredExperimentServices` are removed. Invariants: other subsets, labels and
 * fields stay deep-equal; the input is not mutated; a missing canary or stable subset is an issue and the
 * input is returned unchanged.
 */
export function editDestinationRule(
  dr: DestinationRule,
  spec: IstioDestinationRuleRef,
  desired: DesiredTraffic,
  options: DestinationRuleEditOptions = {},
): EditResult<DestinationRule> {
  const issues = missingSubsets(dr, spec);
  if (issues.length > 0) return { object: dr, issues };
  const split = listOf(dr.spec?.subsets).map((subset) => {
    if (subset.name === spec.canarySubsetName) return withHash(subset, desired.canaryHash);
    if (subset.name === spec.stableSubsetName) return withHash(subset, desired.stableHash);
    return subset;
  });
  const subsets = withExperimentSubsets(split, desired);
  const next: DestinationRule = { ...dr, spec: { ...dr.spec, subsets } };
  if (options.managedBy !== undefined) {
    const annotations = { ...dr.metadata?.annotations, [MANAGED_BY_ANNOTATION]: options.managedBy };
    next.metadata = { ...dr.metadata, annotations };
  }
  return { object: next, issues: [] };
}
