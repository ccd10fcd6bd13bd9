import { POD_TEMPLATE_HASH_LABEL } from './argo-constants.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import type { RolloutSpec } from './rollout-spec.js';

function metadataFields(spec: RolloutSpec): [FieldPath, Record<string, string> | undefined][] {
  const { canary, blueGreen } = spec.strategy;
  const at = (strategy: string, field: string): FieldPath => ['spec', 'strategy', strategy, field, 'labels'];
  return [
    [at('canary', 'canaryMetadata'), canary?.canaryMetadata?.labels],
    [at('canary', 'stableMetadata'), canary?.stableMetadata?.labels],
    [at('blueGreen', 'previewMetadata'), blueGreen?.previewMetadata?.labels],
    [at('blueGreen', 'activeMetadata'), blueGreen?.activeMetadata?.labels],
  ];
}

/**
 * Issues of the ephemeral pod labels (`canaryMetadata`/`stableMetadata`, `previewMetadata`/`activeMetadata`):
 * none may set `rollouts-pod-template-hash` (pods would leave their ReplicaSet) or a `spec.selector.matchLabels`
 * key to another value (the ReplicaSet's template would no longer match its selector). Stricter than Argo,
 * which lets the API server reject the writes later. Pure.
 */
export function ephemeralLabelIssues(spec: RolloutSpec): Issue[] {
  const selector = spec.selector?.matchLabels ?? {};
  const issues: Issue[] = [];
  for (const [path, labels] of metadataFields(spec)) {
    for (const [key, value] of Object.entries(labels ?? {})) {
      if (key === POD_TEMPLATE_HASH_LABEL)
        issues.push(
          invalid([...path, key], `must not set ${POD_TEMPLATE_HASH_LABEL}: the controller owns it`),
        );
      else if (selector[key] !== undefined && selector[key] !== value)
        issues.push(invalid([...path, key], `must not change the selector label ${key}=${selector[key]}`));
    }
  }
  return issues;
}
