import { MANAGED_ALB_ANNOTATIONS_ANNOTATION } from '../../api/index.js';
import type { DesiredTraffic } from '../desired-traffic.js';
import { isRecord, listOf } from '../json.js';
import type { Ingress, IngressPath, IngressRule } from '../nginx/ingress-types.js';
import type { EditResult, RouteIssue } from '../router.js';
import {
  type AlbEditSpec,
  actionKey,
  actionWeights,
  albActionService,
  conditionKey,
  forwardAction,
  headerRouteAction,
  headerRouteConditions,
} from './actions.js';

/** Rollout name → the annotation keys that Rollout manages on the Ingress (Argo's JSON map). */
export type ManagedAlbAnnotations = Record<string, string[]>;

function serviceOf(path: IngressPath): string | undefined {
  return path.backend?.service?.name ?? path.backend?.serviceName;
}

function rulesOf(ingress: Ingress): readonly IngressRule[] {
  return listOf(ingress.spec?.rules);
}

/** True when some rule of `ingress` has a path whose backend is the Service `name`. */
export function hasPathTo(ingress: Ingress, name: string): boolean {
  return rulesOf(ingress).some((rule) => listOf(rule.http?.paths).some((p) => serviceOf(p) === name));
}

/**
 * The managed-annotations map of `ingress` (`rollouts.argoproj.io/managed-alb-annotations`); `{}` when
 * absent, undefined when it is not a JSON object of string lists.
 */
export function managedAlbAnnotations(ingress: Ingress): ManagedAlbAnnotations | undefined {
  const text = ingress.metadata?.annotations?.[MANAGED_ALB_ANNOTATIONS_ANNOTATION];
  if (text === undefined || text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed)) return undefined;
    const lists = Object.values(parsed);
    const valid = lists.every((l) => Array.isArray(l) && l.every((k) => typeof k === 'string'));
    return valid ? (parsed as ManagedAlbAnnotations) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON Argo writes for the map: keys sorted (Go's map order), compact. */
function serializeManaged(map: ManagedAlbAnnotations): string {
  const sorted = Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k]]),
  );
  return JSON.stringify(sorted);
}

/** The path a header route adds to every rule: `/*` to the route's name, whose port says `use-annotation`. */
export function annotationPath(name: string): IngressPath {
  return {
    path: '/*',
    pathType: 'ImplementationSpecific',
    backend: { service: { name, port: { name: 'use-annotation' } } },
  };
}

function managedNames(spec: AlbEditSpec): string[] {
  return listOf(spec.managedRoutes).map((r) => r.name);
}

/** Annotations with the root action, the header routes in force and the Rollout's managed-keys entry. */
function editedAnnotations(
  ingress: Ingress,
  spec: AlbEditSpec,
  desired: DesiredTraffic,
  managed: ManagedAlbAnnotations,
): Record<string, string> {
  const annotations: Record<string, string> = { ...ingress.metadata?.annotations };
  const rootKey = actionKey(spec.alb, albActionService(spec));
  annotations[rootKey] = forwardAction(spec, desired);
  const keys = [rootKey];
  for (const name of managedNames(spec)) {
    const route = desired.headerRoutes.find((r) => r.name === name);
    const [action, condition] = [actionKey(spec.alb, name), conditionKey(spec.alb, name)];
    if (route === undefined) {
      delete annotations[action];
      delete annotations[condition];
      continue;
    }
    annotations[action] = headerRouteAction(spec);
    annotations[condition] = headerRouteConditions(route);
    keys.push(action, condition);
  }
  annotations[MANAGED_ALB_ANNOTATIONS_ANNOTATION] = serializeManaged({
    ...managed,
    [spec.rolloutName]: keys,
  });
  return annotations;
}

/**
 * Rules whose paths to managed routes match the routes in force: a missing route gets `/*` at the front of
 * every rule (as Argo, only when no rule has a path to it yet), a route no longer in force loses its paths,
 * and managed paths are ordered as `managedRoutes` ahead of the others (a stable sort: user paths keep
 * their order).
 */
function editedRules(ingress: Ingress, spec: AlbEditSpec, desired: DesiredTraffic): IngressRule[] {
  const names = managedNames(spec);
  const inForce = new Set(desired.headerRoutes.map((r) => r.name).filter((n) => names.includes(n)));
  const added = [...inForce].filter((name) => !hasPathTo(ingress, name));
  const rank = (p: IngressPath) => {
    const index = names.indexOf(serviceOf(p) ?? '');
    return index < 0 ? names.length : index;
  };
  return rulesOf(ingress).map((rule) => {
    if (rule.http === undefined) return rule;
    const kept = listOf(rule.http.paths).filter((p) => {
      const service = serviceOf(p) ?? '';
      return !names.includes(service) || inForce.has(service);
    });
    const paths = [...added.map(annotationPath), ...kept];
    if (names.length > 0) paths.sort((a, b) => rank(a) - rank(b));
    return { ...rule, http: { ...rule.http, paths } };
  });
}

function issue(ingress: Ingress, reason: RouteIssue['reason'], path: string, message: string): RouteIssue {
  const { name = '', namespace } = ingress.metadata ?? {};
  return { reason, object: { kind: 'Ingress', name, ...(namespace ? { namespace } : {}) }, path, message };
}

/**
 * Pure edit of one ALB Ingress (Argo's `SetWeight`, `SetHeaderRoute` and `RemoveManagedRoutes` in one
 * absolute state): the action annotation of `rootService` (default `stableService`) forwards `desired`'s
 * weights; each managed route in `desired.headerRoutes` has its `actions.`/`conditions.` annotations and a
 * `/*` path to it, each other managed route has none; the Rollout's entry of
 * `rollouts.argoproj.io/managed-alb-annotations` lists the keys it manages (other Rollouts' entries kept).
 * Every other annotation, rule and path is kept. Issues (the Ingress returned unchanged): no path to the
 * action's Service (`BackendNotFound`), a managed-annotations value that is not a JSON map of key lists
 * (`MalformedObject`).
 */
export function editAlbIngress(
  ingress: Ingress,
  spec: AlbEditSpec,
  desired: DesiredTraffic,
): EditResult<Ingress> {
  const service = albActionService(spec);
  if (!hasPathTo(ingress, service)) {
    const message = `no rule has a path to Service "${service}" (the ALB action is written for it)`;
    return { object: ingress, issues: [issue(ingress, 'BackendNotFound', 'spec.rules', message)] };
  }
  const managed = managedAlbAnnotations(ingress);
  if (managed === undefined) {
    const path = `metadata.annotations["${MANAGED_ALB_ANNOTATIONS_ANNOTATION}"]`;
    const message = 'is not a JSON object of annotation-key lists; fix or remove it';
    return { object: ingress, issues: [issue(ingress, 'MalformedObject', path, message)] };
  }
  const annotations = editedAnnotations(ingress, spec, desired, managed);
  const metadata = { ...ingress.metadata, annotations };
  const edited = { ...ingress.spec, rules: editedRules(ingress, spec, desired) };
  return { object: { ...ingress, metadata, spec: edited }, issues: [] };
}

/** What one ALB Ingress shows: the root action's weights and the managed routes whose annotations exist. */
export function observedAlbIngress(
  ingress: Ingress,
  spec: AlbEditSpec,
): { canaryWeight: number | undefined; stableWeight: number | undefined; headerRoutes: string[] } {
  const annotations = ingress.metadata?.annotations ?? {};
  const weights = actionWeights(annotations[actionKey(spec.alb, albActionService(spec))], spec);
  const headerRoutes = managedNames(spec).filter(
    (name) => actionKey(spec.alb, name) in annotations && conditionKey(spec.alb, name) in annotations,
  );
  return { ...weights, headerRoutes };
}
