import { type GatewayApiConfig, ROUTER_CAPABILITIES } from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import type { KubeObject } from '../../kube/types.js';
import { type DesiredTraffic, stableOnlyTraffic } from '../desired-traffic.js';
import { listOf } from '../json.js';
import {
  combineObserved,
  commitBestEffort,
  type EditTarget,
  getOptional,
  notFoundIssue,
  stagedApply,
  stageEdits,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, StagedApply, TrafficRouter } from '../router.js';
import {
  editHTTPRoute,
  type HttpRouteEditSpec,
  type HttpRouteRef,
  httpRouteRefs,
  observedHttpRouteWeights,
} from './http-route.js';
import type { BackendRef, HTTPRoute, HttpRouteRule } from './types.js';

/** What the Gateway API router needs from the Rollout. */
export interface GatewayApiRouterOptions {
  client: KubeClient;
  /** The Rollout's namespace (the default namespace of the HTTPRoutes). */
  namespace: string;
  config: GatewayApiConfig;
  canaryService: string;
  stableService: string;
  managedRoutes?: readonly { name: string }[];
}

function backendWithDefaults(ref: BackendRef): BackendRef {
  return { group: '', kind: 'Service', weight: 1, ...ref };
}

function ruleWithDefaults(rule: HttpRouteRule): HttpRouteRule {
  const matches = listOf(rule.matches).map((m) => ({
    ...m,
    ...(m.headers === undefined ? {} : { headers: m.headers.map((h) => ({ type: 'Exact' as const, ...h })) }),
  }));
  return {
    ...rule,
    ...(rule.matches === undefined ? {} : { matches }),
    ...(rule.backendRefs === undefined
      ? {}
      : { backendRefs: listOf(rule.backendRefs).map(backendWithDefaults) }),
  };
}

/**
 * An HTTPRoute with the API server's defaults for the fields Vireo writes filled in (backendRef `group`
 * "", `kind` Service, `weight` 1; header match `type` Exact), so a freshly built header rule and the
 * defaulted copy the server returns compare equal and no write repeats on every pass.
 */
export function httpRouteWithDefaults(route: HTTPRoute): HTTPRoute {
  if (route.spec?.rules === undefined) return route;
  return { ...route, spec: { ...route.spec, rules: route.spec.rules.map(ruleWithDefaults) } };
}

/**
 * Gateway API adapter (`trafficRouting.plugins["argoproj-labs/gatewayAPI"]`): reads each configured
 * HTTPRoute, edits it with the pure `editHTTPRoute` and writes back (conditional replace) only the routes
 * whose edit differs. Any issue in any HTTPRoute → no write at all (apply).
 */
export class GatewayApiTrafficRouter implements TrafficRouter {
  readonly type = 'gatewayAPI';
  readonly capabilities = ROUTER_CAPABILITIES.gatewayAPI;

  constructor(private readonly options: GatewayApiRouterOptions) {}

  /** Weights of the first split rule, agreed across all HTTPRoutes; managed rules present as header routes. */
  async observe(): Promise<ObservedTraffic> {
    const { client, config, namespace } = this.options;
    const observed = await Promise.all(
      httpRouteRefs(config, namespace).map(async (ref): Promise<ObservedTraffic> => {
        const route = await getOptional<HTTPRoute>(client, Resources.httpRoutes, ref.namespace, ref.name);
        if (route === undefined) {
          const issues = [notFoundIssue('HTTPRoute', ref.namespace, ref.name)];
          return {
            canaryWeight: undefined,
            stableWeight: undefined,
            headerRoutes: [],
            mirrorRoutes: [],
            issues,
          };
        }
        const managed = new Set(listOf(this.options.managedRoutes).map((r) => r.name));
        const headerRoutes = listOf(route.spec?.rules).flatMap((r) =>
          r.name !== undefined && managed.has(r.name) ? [r.name] : [],
        );
        const weights = observedHttpRouteWeights(route, this.editSpec(ref));
        return { ...weights, headerRoutes, mirrorRoutes: [], issues: [] };
      }),
    );
    return combineObserved(observed);
  }

  /** Reads and edits every HTTPRoute; a missing one is an `ObjectNotFound` issue. Writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    return stagedApply(await stageEdits(this.options.client, this.targets(), desired, 'issue'));
  }

  /** 100% to the stable Service and managed rules removed, route by route; missing routes skipped. */
  async cleanup(): Promise<ApplyResult> {
    return commitBestEffort(
      await stageEdits(this.options.client, this.targets(), stableOnlyTraffic(), 'skip'),
    );
  }

  private editSpec(ref: HttpRouteRef): HttpRouteEditSpec {
    const { canaryService, stableService, managedRoutes } = this.options;
    const spec: HttpRouteEditSpec = { canaryService, stableService, useHeaderRoutes: ref.useHeaderRoutes };
    if (managedRoutes !== undefined) spec.managedRoutes = managedRoutes;
    return spec;
  }

  private targets(): EditTarget[] {
    const { config, namespace } = this.options;
    return httpRouteRefs(config, namespace).map((ref) => ({
      resource: Resources.httpRoutes,
      kind: 'HTTPRoute',
      namespace: ref.namespace,
      name: ref.name,
      edit: (object, desired) => {
        const result = editHTTPRoute(object as HTTPRoute, this.editSpec(ref), desired);
        return { object: result.object as KubeObject, issues: result.issues };
      },
      normalize: (object) => httpRouteWithDefaults(object as HTTPRoute),
    }));
  }
}
