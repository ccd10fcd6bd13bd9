import type { SyncEphemeralMetadataAction } from '../../../src/rollout/core/actions.js';
import type { ReplicaSetView } from '../../../src/rollout/core/snapshot.js';

function without(
  values: Record<string, string> | undefined,
  keys: readonly string[],
): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([key]) => !keys.includes(key)));
}

/**
 * The fake ReplicaSet after `syncEphemeralMetadata`: its pod template carries the action's labels and
 * annotations (minus the removed keys) and the record annotation is set. The fake's pods share the template.
 */
export function withEphemeral(view: ReplicaSetView, action: SyncEphemeralMetadataAction): ReplicaSetView {
  const template = structuredClone(view.template ?? {});
  const labels = { ...without(template.metadata?.labels, action.removeLabels), ...action.labels };
  const annotations = {
    ...without(template.metadata?.annotations, action.removeAnnotations),
    ...action.annotations,
  };
  template.metadata = { ...template.metadata, labels, annotations };
  const record = { 'rollout.argoproj.io/ephemeral-metadata': action.record };
  return { ...view, template, annotations: { ...view.annotations, ...record } };
}
