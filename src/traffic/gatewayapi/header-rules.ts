import type { DesiredHeaderRoute, HeaderMatch } from '../desired-traffic.js';
import type { RouteIssue, RouteObjectRef } from '../router.js';
import type { BackendRef, HeaderMatchRule, HttpRouteRule } from './types.js';

const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A `setHeaderRoute` match as a Gateway API header match: `exact` → Exact; `regex` → RegularExpression;
 * `prefix: v1` → RegularExpression `^v1.*` (the prefix escaped). No value → undefined.
 */
export function headerMatchRule(match: HeaderMatch): HeaderMatchRule | undefined {
  const value = match.headerValue;
  if (value?.exact !== undefined && value.exact !== '')
    return { type: 'Exact', name: match.headerName, value: value.exact };
  if (value?.regex !== undefined && value.regex !== '') {
    return { type: 'RegularExpression', name: match.headerName, value: value.regex };
  }
  if (value?.prefix !== undefined && value.prefix !== '') {
    return { type: 'RegularExpression', name: match.headerName, value: `^${escapeRegex(value.prefix)}.*` };
  }
  return undefined;
}

/** Inputs of `headerRule`. */
export interface HeaderRuleInput {
  route: DesiredHeaderRoute;
  /** The first split rule (after re-weighting); its matches, filters and canary port are reused. */
  split: HttpRouteRule;
  canaryRef: BackendRef;
  object: RouteObjectRef;
}

/**
 * The rule of one header route: named after the managed route, the split rule's matches each narrowed by
 * the step's headers (ANDed with any headers already matched), its filters, and one backendRef to the
 * canary Service. Invalid rule names or header values give issues instead.
 */
export function headerRule(input: HeaderRuleInput): { rule?: HttpRouteRule; issues: RouteIssue[] } {
  const { route, split, canaryRef, object } = input;
  if (!SECTION_NAME.test(route.name) || route.name.length > 253) {
    const message = `managed route "${route.name}" is not a valid HTTPRoute rule name (lowercase DNS label)`;
    return { issues: [{ reason: 'InvalidRouteName', object, path: 'spec.rules', message }] };
  }
  const headers = route.match.map(headerMatchRule);
  if (headers.some((h) => h === undefined)) {
    const message = `header route "${route.name}" needs an exact, prefix or regex value for every header`;
    return { issues: [{ reason: 'InvalidMatch', object, path: 'spec.rules', message }] };
  }
  const added = headers.filter((h): h is HeaderMatchRule => h !== undefined);
  const matches = (split.matches ?? [{}]).map((m) => ({ ...m, headers: [...(m.headers ?? []), ...added] }));
  const backend: BackendRef = { group: '', kind: 'Service', name: canaryRef.name ?? '' };
  if (canaryRef.port !== undefined) backend.port = canaryRef.port;
  const rule: HttpRouteRule = { name: route.name, matches, backendRefs: [backend] };
  if (split.filters !== undefined) rule.filters = split.filters;
  return { rule, issues: [] };
}
