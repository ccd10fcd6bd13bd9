import { type FieldPath, type Issue, invalid, parseObject } from './issues.js';
import {
  type AlbTrafficRouting,
  type AmbassadorTrafficRouting,
  type ApisixTrafficRouting,
  type AppMeshTrafficRouting,
  GATEWAY_API_PLUGIN,
  GatewayApiConfigSchema,
  type IstioTrafficRouting,
  type NginxTrafficRouting,
  TRAFFIC_ROUTER_KEYS,
  type TrafficRouterKey,
  type TrafficRouting,
} from './traffic-routing.js';
import { isSupported, supportedText, unsupportedIn } from './unsupported.js';
import { nameIssues } from './validate-analysis-ref.js';

/** The router keys set in `trafficRouting` (`plugins` counts only when it has at least one plugin). */
export function configuredRouters(routing: TrafficRouting): TrafficRouterKey[] {
  return TRAFFIC_ROUTER_KEYS.filter((key) =>
    key === 'plugins' ? Object.keys(routing.plugins ?? {}).length > 0 : routing[key] !== undefined,
  );
}

/** Routers that always split between `canaryService` and `stableService` (Argo requires both for them). */
const SERVICE_ROUTERS = ['alb', 'smi', 'traefik', 'ambassador', 'appMesh', 'apisix'] as const;

/**
 * True when the canary needs `canaryService` and `stableService` (Istio host split, NGINX, Gateway API,
 * ALB, SMI, Traefik, Ambassador, App Mesh, APISIX); with `pingPong` the ping and pong Services take that
 * role instead.
 */
export function requiresCanaryServices(routing: TrafficRouting | undefined): boolean {
  if (routing === undefined) return false;
  const istioHostSplit = routing.istio !== undefined && routing.istio.destinationRule === undefined;
  const gatewayApi = routing.plugins?.[GATEWAY_API_PLUGIN] !== undefined;
  const others = SERVICE_ROUTERS.some((key) => routing[key] !== undefined);
  return istioHostSplit || routing.nginx !== undefined || gatewayApi || others;
}

function istioIssues(istio: IstioTrafficRouting, path: FieldPath): Issue[] {
  const single = istio.virtualService !== undefined;
  const list = istio.virtualServices ?? [];
  if (single === list.length > 0) {
    return [invalid(path, 'set exactly one of virtualService or virtualServices (a non-empty list)')];
  }
  const services = single && istio.virtualService ? [istio.virtualService] : list;
  const base = single ? [...path, 'virtualService'] : [...path, 'virtualServices'];
  const issues = services.flatMap((vs, i) => {
    const at = single ? base : [...base, i];
    return vs.name === '' ? [invalid([...at, 'name'], 'VirtualService name must not be empty')] : [];
  });
  const dr = istio.destinationRule;
  if (dr !== undefined && dr.canarySubsetName === dr.stableSubsetName) {
    issues.push(
      invalid([...path, 'destinationRule', 'stableSubsetName'], 'must differ from canarySubsetName'),
    );
  }
  if (dr?.name === '') issues.push(invalid([...path, 'destinationRule', 'name'], 'must not be empty'));
  return issues;
}

function nginxIssues(nginx: NginxTrafficRouting, path: FieldPath): Issue[] {
  const single = nginx.stableIngress !== undefined && nginx.stableIngress !== '';
  const list = nginx.stableIngresses ?? [];
  if (single === list.length > 0) {
    return [invalid(path, 'set exactly one of stableIngress or stableIngresses (a non-empty list)')];
  }
  return [];
}

/** AWS's valid range of `TargetGroupStickinessConfig.DurationSeconds` (1 s to 7 days). */
const MAX_STICKINESS_SECONDS = 604_800;

function albIssues(alb: AlbTrafficRouting, path: FieldPath): Issue[] {
  const single = alb.ingress !== undefined && alb.ingress !== '';
  const list = alb.ingresses ?? [];
  const issues: Issue[] = [];
  if (single === list.length > 0) {
    issues.push(invalid(path, 'set exactly one of ingress or ingresses (a non-empty list)'));
  }
  list.forEach((name, i) => {
    if (name === '') issues.push(invalid([...path, 'ingresses', i], 'must name an Ingress'));
  });
  if (alb.servicePort <= 0) issues.push(invalid([...path, 'servicePort'], 'must be a port number > 0'));
  const sticky = alb.stickinessConfig;
  if (sticky?.enabled && (sticky.durationSeconds < 1 || sticky.durationSeconds > MAX_STICKINESS_SECONDS)) {
    const message = `must be between 1 and ${MAX_STICKINESS_SECONDS} seconds (7 days), got ${sticky.durationSeconds}`;
    issues.push(invalid([...path, 'stickinessConfig', 'durationSeconds'], message));
  }
  return issues;
}

/** Issues for empty or repeated names in a list of names (`mappings[1]: duplicate Mapping "web"`). */
function nameListIssues(names: readonly string[], path: FieldPath, what: string): Issue[] {
  return names.flatMap((name, i) => {
    if (name === '') return [invalid([...path, i], `${what} name must not be empty`)];
    return names.indexOf(name) < i ? [invalid([...path, i], `duplicate ${what} "${name}"`)] : [];
  });
}

function ambassadorIssues(ambassador: AmbassadorTrafficRouting, path: FieldPath): Issue[] {
  const at = [...path, 'mappings'];
  if (ambassador.mappings.length === 0) return [invalid(at, 'must name at least one Mapping')];
  return nameListIssues(ambassador.mappings, at, 'Mapping');
}

function appMeshIssues(appMesh: AppMeshTrafficRouting, path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  if (appMesh.virtualService === undefined || appMesh.virtualService.name === '') {
    issues.push(invalid([...path, 'virtualService', 'name'], 'must name the App Mesh VirtualService'));
  }
  const group = appMesh.virtualNodeGroup;
  if (group === undefined) {
    issues.push(invalid([...path, 'virtualNodeGroup'], 'must name the canary and stable VirtualNodes'));
    return issues;
  }
  const at = [...path, 'virtualNodeGroup'];
  const { canaryVirtualNodeRef: canary, stableVirtualNodeRef: stable } = group;
  if (canary.name === '') issues.push(invalid([...at, 'canaryVirtualNodeRef', 'name'], 'must not be empty'));
  if (stable.name === '') issues.push(invalid([...at, 'stableVirtualNodeRef', 'name'], 'must not be empty'));
  if (stable.name !== '' && stable.name === canary.name) {
    const message = `must differ from canaryVirtualNodeRef.name ("${canary.name}")`;
    issues.push(invalid([...at, 'stableVirtualNodeRef', 'name'], message));
  }
  return issues;
}

function apisixIssues(apisix: ApisixTrafficRouting, path: FieldPath): Issue[] {
  if (apisix.route === undefined || apisix.route.name === '') {
    return [invalid([...path, 'route', 'name'], 'must name the ApisixRoute')];
  }
  return nameListIssues(apisix.route.rules ?? [], [...path, 'route', 'rules'], 'ApisixRoute rule');
}

function gatewayApiIssues(config: unknown, path: FieldPath): Issue[] {
  const parsed = parseObject(GatewayApiConfigSchema, config, path);
  if (!parsed.ok) return parsed.issues;
  const cfg = parsed.value;
  const issues = Object.keys(cfg)
    .filter((key) => !isSupported('gatewayApiConfigKeys', key))
    .map((key) => unsupportedIn('gatewayApiConfigKeys', [...path, key]));
  const routes = cfg.httpRoutes ?? [];
  if ((cfg.httpRoute !== undefined && cfg.httpRoute !== '') === routes.length > 0) {
    issues.push(invalid(path, 'set exactly one of httpRoute or httpRoutes (a non-empty list)'));
  }
  issues.push(
    ...nameIssues(
      routes.map((r) => r.name),
      [...path, 'httpRoutes'],
      'HTTPRoute',
    ),
  );
  return issues;
}

function pluginIssues(plugins: TrafficRouting['plugins'], path: FieldPath): Issue[] {
  return Object.entries(plugins ?? {}).flatMap(([name, config]) => {
    const at = [...path, name];
    if (!isSupported('trafficRouterPlugins', name)) return [unsupportedIn('trafficRouterPlugins', at)];
    return name === GATEWAY_API_PLUGIN ? gatewayApiIssues(config, at) : [];
  });
}

/**
 * Checks `spec.strategy.canary.trafficRouting`: at least one router; routers Vireo lacks are `unsupported`;
 * Istio, NGINX, ALB, Traefik, Gateway API, Ambassador, App Mesh and APISIX settings are well-formed;
 * `maxTrafficWeight` only with NGINX or plugins.
 */
export function validateTrafficRouting(routing: TrafficRouting, path: FieldPath): Issue[] {
  const routers = configuredRouters(routing);
  const issues: Issue[] = [];
  if (routers.length === 0) {
    issues.push(invalid(path, `configure a traffic router (supported: ${supportedText('trafficRouters')})`));
  }
  for (const key of routers) {
    if (!isSupported('trafficRouters', key)) issues.push(unsupportedIn('trafficRouters', [...path, key]));
  }
  if (routing.istio) issues.push(...istioIssues(routing.istio, [...path, 'istio']));
  if (routing.nginx) issues.push(...nginxIssues(routing.nginx, [...path, 'nginx']));
  if (routing.alb) issues.push(...albIssues(routing.alb, [...path, 'alb']));
  if (routing.traefik?.weightedTraefikServiceName === '') {
    issues.push(invalid([...path, 'traefik', 'weightedTraefikServiceName'], 'must name a TraefikService'));
  }
  if (routing.ambassador) issues.push(...ambassadorIssues(routing.ambassador, [...path, 'ambassador']));
  if (routing.appMesh) issues.push(...appMeshIssues(routing.appMesh, [...path, 'appMesh']));
  if (routing.apisix) issues.push(...apisixIssues(routing.apisix, [...path, 'apisix']));
  issues.push(...pluginIssues(routing.plugins, [...path, 'plugins']));
  issues.push(...maxWeightIssues(routing, [...path, 'maxTrafficWeight']));
  const managed = routing.managedRoutes ?? [];
  issues.push(
    ...nameIssues(
      managed.map((r) => r.name),
      [...path, 'managedRoutes'],
      'managed route',
    ),
  );
  return issues;
}

function maxWeightIssues(routing: TrafficRouting, path: FieldPath): Issue[] {
  const max = routing.maxTrafficWeight;
  if (max === undefined) return [];
  if (routing.nginx === undefined && Object.keys(routing.plugins ?? {}).length === 0) {
    return [invalid(path, 'maxTrafficWeight can only be used with nginx or plugins traffic routing')];
  }
  return max > 0 ? [] : [invalid(path, `must be greater than 0, got ${max}`)];
}
