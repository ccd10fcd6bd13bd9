import type { LabelSelector } from './primitives.js';

type Requirement = NonNullable<LabelSelector['matchExpressions']>[number];

/** True when the selector has neither matchLabels nor matchExpressions (it would select everything). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}

function requirementMatches(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/**
 * Kubernetes label-selector semantics: every matchLabels pair and every matchExpressions requirement
 * (In, NotIn, Exists, DoesNotExist) must hold; an unknown operator never matches.
 */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {});
  if (!pairs.every(([key, value]) => labels[key] === value)) return false;
  return (selector.matchExpressions ?? []).every((req) => requirementMatches(req, labels));
}

/** Operators Kubernetes accepts in `matchExpressions`. */
export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
