import type { DesiredHeaderRoute, HeaderMatch } from '../desired-traffic.js';
import { listOf } from '../json.js';
import type { EditResult, RouteIssue } from '../router.js';
import { type ApisixRouteEditSpec, apisixRouteRef, splitRuleIndexes } from './apisix-route.js';
import type { ApisixBackend, ApisixExpr, ApisixHttpRule, ApisixRoute } from './types.js';

/**
 * The `match.exprs` of one header match, as Argo writes them: `exact` → `Equal`, `regex` → `RegexMatch`,
 * `prefix: v1` → `RegexMatch` `^v1.*` (the prefix as written, not escaped, as in Argo); one expression per
 * value given.
 */
export function headerExprs(match: HeaderMatch): ApisixExpr[] {
  const subject = { scope: 'Header', name: match.headerName };
  const value = match.headerValue;
  const exprs: ApisixExpr[] = [];
  if (value?.exact) exprs.push({ subject, op: 'Equal', value: value.exact });
  if (value?.regex) exprs.push({ subject, op: 'RegexMatch', value: value.regex });
  if (value?.prefix) exprs.push({ subject, op: 'RegexMatch', value: `^${value.prefix}.*` });
  return exprs;
}

function toCanaryOnly(rule: ApisixHttpRule, spec: ApisixRouteEditSpec, exprs: ApisixExpr[]): ApisixHttpRule {
  const backends = listOf(rule.backends)
    .filter((b) => b.serviceName !== spec.stableService)
    .map((b): ApisixBackend => (b.serviceName === spec.canaryService ? { ...b, weight: 100 } : b));
  return { ...rule, priority: (rule.priority ?? 0) + 1, match: { ...rule.match, exprs }, backends };
}

function copiedMetadata(main: ApisixRoute, name: string): NonNullable<ApisixRoute['metadata']> {
  const { namespace, labels, annotations } = main.metadata ?? {};
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    ...(labels === undefined ? {} : { labels }),
    ...(annotations === undefined ? {} : { annotations }),
  };
}

/**
 * The ApisixRoute of one header route (Argo's `setHeaderRoute` for APISIX): a copy of the main ApisixRoute
 * named after the managed route, with its labels and annotations, in which every split rule sends requests
 * matching the step's headers (`match.exprs`, replacing any others) only to the canary Service (weight 100,
 * the stable backend removed) at one priority above the main rule. Other rules are copied as they are, as Argo
 * does. The main route's issues (a missing rule or backend), or a match without any value, are issues.
 */
export function buildHeaderRoute(
  main: ApisixRoute,
  spec: ApisixRouteEditSpec,
  header: DesiredHeaderRoute,
): EditResult<ApisixRoute | undefined> {
  const { indexes, issues } = splitRuleIndexes(main, spec);
  const exprs = header.match.flatMap(headerExprs);
  if (header.match.some((m) => headerExprs(m).length === 0)) {
    const message = `header route "${header.name}" needs an exact, prefix or regex value for every header`;
    issues.push({
      reason: 'InvalidMatch',
      object: apisixRouteRef(main),
      path: 'spec.http',
      message,
    } as RouteIssue);
  }
  if (issues.length > 0) return { object: undefined, issues };
  const split = new Set(indexes);
  const http = listOf(main.spec?.http).map((rule, i) =>
    split.has(i) ? toCanaryOnly(rule, spec, exprs) : rule,
  );
  const route: ApisixRoute = {
    ...(main.apiVersion === undefined ? {} : { apiVersion: main.apiVersion }),
    ...(main.kind === undefined ? {} : { kind: main.kind }),
    metadata: copiedMetadata(main, header.name),
    spec: { ...main.spec, http },
  };
  return { object: route, issues: [] };
}
