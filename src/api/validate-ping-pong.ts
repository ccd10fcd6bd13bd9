import type { CanaryStrategy } from './canary.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import { GATEWAY_API_PLUGIN } from './traffic-routing.js';

const ROUTER_NAMES = { nginx: 'NGINX', smi: 'SMI', traefik: 'Traefik' } as const;

function routerIssues(canary: CanaryStrategy, canaryPath: FieldPath): Issue[] {
  const routing = canary.trafficRouting;
  const path = [...canaryPath, 'pingPong'];
  const needs =
    'pingPong needs trafficRouting with istio (host-level split), alb or plugins["argoproj-labs/gatewayAPI"]';
  if (routing === undefined) return [invalid(path, needs)];
  const gatewayApi = routing.plugins?.[GATEWAY_API_PLUGIN] !== undefined;
  if (routing.istio === undefined && routing.alb === undefined && !gatewayApi) return [invalid(path, needs)];
  const issues: Issue[] = [];
  if (routing.alb !== undefined && !routing.alb.rootService) {
    const why =
      'is required with pingPong: the ALB action is written for this Service, which the ping and pong Services share';
    issues.push(invalid([...canaryPath, 'trafficRouting', 'alb', 'rootService'], why));
  }
  if (routing.istio?.destinationRule !== undefined) {
    issues.push(
      invalid(
        [...canaryPath, 'trafficRouting', 'istio', 'destinationRule'],
        'pingPong splits traffic between the ping and pong Service hosts; it cannot be combined with a DestinationRule subset split',
      ),
    );
  }
  for (const key of ['nginx', 'smi', 'traefik'] as const) {
    if (routing[key] === undefined) continue;
    issues.push(
      invalid(
        [...canaryPath, 'trafficRouting', key],
        `the ${ROUTER_NAMES[key]} router needs canaryService and stableService; it cannot be combined with pingPong`,
      ),
    );
  }
  for (const key of ['ambassador', 'appMesh', 'apisix'] as const) {
    if (routing[key] === undefined) continue;
    const message = `the ${key} router needs canaryService and stableService; it cannot be combined with pingPong`;
    issues.push(invalid([...canaryPath, 'trafficRouting', key], message));
  }
  return issues;
}

function nameIssues(canary: CanaryStrategy, path: FieldPath): Issue[] {
  const { pingService, pongService } = canary.pingPong ?? { pingService: '', pongService: '' };
  const issues: Issue[] = [];
  if (pingService === '') issues.push(invalid([...path, 'pingService'], 'must name a Service'));
  if (pongService === '') issues.push(invalid([...path, 'pongService'], 'must name a Service'));
  if (pingService !== '' && pingService === pongService) {
    issues.push(invalid([...path, 'pongService'], `must differ from pingService ("${pingService}")`));
  }
  return issues;
}

function exclusionIssues(canary: CanaryStrategy, canaryPath: FieldPath): Issue[] {
  return (['canaryService', 'stableService'] as const)
    .filter((field) => canary[field] !== undefined && canary[field] !== '')
    .map((field) =>
      invalid(
        [...canaryPath, field],
        `${field} cannot be combined with pingPong: the ping and pong Services take the canary and stable roles`,
      ),
    );
}

/**
 * Checks `spec.strategy.canary.pingPong` (the canary strategy is at `canaryPath`); `[]` when it is not set.
 * Both Services are named and differ; trafficRouting uses Istio's host-level split, ALB (with
 * `rootService`, as Argo requires) or the Gateway API plugin (no DestinationRule, no NGINX, SMI or Traefik); `canaryService`/`stableService` are not set (Argo accepts both and
 * then lets the router pick one pair, #3628; Vireo asks for one). Every issue has the offending field path.
 */
export function validatePingPong(canary: CanaryStrategy, canaryPath: FieldPath): Issue[] {
  if (canary.pingPong === undefined) return [];
  const path = [...canaryPath, 'pingPong'];
  return [
    ...nameIssues(canary, path),
    ...routerIssues(canary, canaryPath),
    ...exclusionIssues(canary, canaryPath),
  ];
}
