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
 * Pure edit of the DestinationRule of a subset-level split: the canary subset's
 * `rollouts-pod-template-hash` label becomes `desired.canaryHash` and the stable subset's
 * `desired.stableHash` (an undefined hash removes the label, and an emptied `labels` map, as in clean-up). Invariants: other subsets,
 * labels and fields stay deep-equal; the input is not mutated; a missing canary or stable subset is an
 * issue and the input is returned unchanged.
 */
export function editDestinationRule(
  dr: DestinationRule,
  spec: IstioDestinationRuleRef,
  desired: DesiredTraffic,
  options: DestinationRuleEditOptions = {},
): EditResult<DestinationRule> {
  const issues = missingSubsets(dr, spec);
  if (issues.length > 0) return { object: dr, issues };
  const subsets = listOf(dr.spec?.subsets).map((subset) => {
    if (subset.name === spec.canarySubsetName) return withHash(subset, desired.canaryHash);
    if (subset.name === spec.stableSubsetName) return withHash(subset, desired.stableHash);
    return subset;
  });
  const next: DestinationRule = { ...dr, spec: { ...dr.spec, subsets } };
  if (options.managedBy !== undefined) {
    const annotations = { ...dr.metadata?.annotations, [MANAGED_BY_ANNOTATION]: options.managedBy };
    next.metadata = { ...dr.metadata, annotations };
  }
  return { object: next, issues: [] };
}
