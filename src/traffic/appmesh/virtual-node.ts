import { MANAGED_BY_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import type { DesiredTraffic } from '../desired-traffic.js';
import type { VirtualNode } from './types.js';

export type { VirtualNode } from './types.js';

/**
 * The pod-template hash Argo gives the canary VirtualNode while there is no canary of its own (no canary
 * hash, or the same as stable): App Mesh refuses two VirtualNodes with the same pod selector.
 */
export const CANARY_HASH_PLACEHOLDER = 'canary-hash';

/** The pod-template hash Argo gives the stable VirtualNode while there is no stable ReplicaSet yet. */
export const STABLE_HASH_PLACEHOLDER = 'stable-hash';

/** What to do with one managed field: a string sets it, `null` removes it, `undefined` leaves it. */
export interface VirtualNodeEdit {
  podHash?: string | null;
  managedBy?: string | null;
}

/**
 * The pod hashes of the stable and canary VirtualNodes for `desired` (Argo's `UpdateHash`): a placeholder for a
 * missing stable hash, and for a canary without a hash of its own.
 */
export function virtualNodeHashes(desired: DesiredTraffic): { stable: string; canary: string } {
  const stable = desired.stableHash || STABLE_HASH_PLACEHOLDER;
  const canary = desired.canaryHash;
  const own = canary !== undefined && canary !== '' && canary !== stable;
  return { stable, canary: own ? canary : CANARY_HASH_PLACEHOLDER };
}

/** `map` with `key` set to `value` (`null`: removed); the same object when that changes nothing. */
function withKey(map: Record<string, string> | undefined, key: string, value: string | null | undefined) {
  if (value === undefined || map?.[key] === value) return map;
  if (value === null) {
    if (map === undefined || !(key in map)) return map;
    const { [key]: _removed, ...rest } = map;
    return rest;
  }
  return { ...map, [key]: value };
}

/**
 * Pure edit of a VirtualNode: `spec.podSelector.matchLabels[rollouts-pod-template-hash]` and the
 * `argo-rollouts.argoproj.io/managed-by-rollouts` annotation set, removed or left as `edit` says. Every other
 * label, annotation and field stays deep-equal; an edit that changes nothing returns the input itself.
 */
export function editVirtualNode(node: VirtualNode, edit: VirtualNodeEdit): VirtualNode {
  let result = node;
  const labels = node.spec?.podSelector?.matchLabels;
  const matchLabels = withKey(labels, POD_TEMPLATE_HASH_LABEL, edit.podHash);
  if (matchLabels !== labels) {
    const podSelector = { ...node.spec?.podSelector, matchLabels };
    result = { ...result, spec: { ...node.spec, podSelector } };
  }
  const annotations = withKey(node.metadata?.annotations, MANAGED_BY_ANNOTATION, edit.managedBy);
  if (annotations !== node.metadata?.annotations)
    result = { ...result, metadata: { ...node.metadata, annotations } };
  return result;
}
