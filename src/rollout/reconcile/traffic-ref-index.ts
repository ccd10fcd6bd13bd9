import { GATEWAY_API_PLUGIN } from '../../api/index.js';
import type { KubeObject } from '../../kube/types.js';
import { canaryMappingName } from '../../traffic/ambassador/mapping.js';

/**
 * The collections a Rollout's traffic routing refers to (plural resource names; App Mesh's VirtualService,
 * whose plural Istio's has too, by its qualified name).
 */
export type TrafficKind =
  | 'services'
  | 'virtualservices'
  | 'destinationrules'
  | 'ingresses'
  | 'trafficsplits'
  | 'traefikservices'
  | 'httproutes'
  | 'mappings'
  | 'virtualservices.appmesh.k8s.aws'
  | 'virtualrouters'
  | 'virtualnodes'
  | 'apisixroutes';

/** One object a Rollout refers to for traffic (its Services, its routed objects). */
export interface TrafficRef {
  kind: TrafficKind;
  namespace: string;
  name: string;
}

/** A raw object's field read defensively. */
export type Loose = Record<string, unknown>;

/** `value` when it is a plain object, else `{}`: reads a raw object's fields without trusting their shape. */
export function record(value: unknown): Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
}

/** The raw Rollout's `spec.strategy.canary` and `spec.strategy.blueGreen` (`{}` when absent or malformed). */
export function strategyOf(obj: KubeObject): { canary: Loose; blueGreen: Loose } {
  const strategy = record(record((obj as Loose).spec).strategy);
  return { canary: record(strategy.canary), blueGreen: record(strategy.blueGreen) };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text).filter((v): v is string => v !== undefined) : [];
}

/** `name` or `name.namespace`, as Argo's `virtualService.name` is written. */
function virtualServiceRef(name: string, namespace: string): TrafficRef {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { kind: 'virtualservices', namespace, name };
  return { kind: 'virtualservices', namespace: name.slice(dot + 1), name: name.slice(0, dot) };
}

function istioRefs(istio: Loose, namespace: string): TrafficRef[] {
  const single = text(record(istio.virtualService).name);
  const many = Array.isArray(istio.virtualServices)
    ? istio.virtualServices.map((vs) => text(record(vs).name))
    : [];
  const refs = [single, ...many]
    .filter((n): n is string => n !== undefined)
    .map((n) => virtualServiceRef(n, namespace));
  const rule = text(record(istio.destinationRule).name);
  if (rule !== undefined) refs.push({ kind: 'destinationrules', namespace, name: rule });
  return refs;
}

function nginxRefs(nginx: Loose, rollout: string, namespace: string): TrafficRef[] {
  const stable = [text(nginx.stableIngress), ...texts(nginx.stableIngresses)].filter(
    (n): n is string => n !== undefined,
  );
  return stable.flatMap((name): TrafficRef[] => [
    { kind: 'ingresses', namespace, name },
    { kind: 'ingresses', namespace, name: `${rollout}-${name}-canary` },
  ]);
}

function albRefs(alb: Loose, namespace: string): TrafficRef[] {
  const names = [text(alb.ingress), ...texts(alb.ingresses)].filter((n): n is string => n !== undefined);
  return names.map((name) => ({ kind: 'ingresses', namespace, name }));
}

/** The TrafficSplit of `smi` (set, even as `{}`): `trafficSplitName`, else the Rollout's name. */
function smiRefs(smi: unknown, rollout: string, namespace: string): TrafficRef[] {
  if (typeof smi !== 'object' || smi === null || Array.isArray(smi)) return [];
  return [{ kind: 'trafficsplits', namespace, name: text(record(smi).trafficSplitName) ?? rollout }];
}

function traefikRefs(traefik: Loose, namespace: string): TrafficRef[] {
  const name = text(traefik.weightedTraefikServiceName);
  return name === undefined ? [] : [{ kind: 'traefikservices', namespace, name }];
}

function gatewayRefs(config: Loose, namespace: string): TrafficRef[] {
  const ns = text(config.namespace) ?? namespace;
  const many = Array.isArray(config.httpRoutes) ? config.httpRoutes.map((r) => text(record(r).name)) : [];
  return [text(config.httpRoute), ...many]
    .filter((n): n is string => n !== undefined)
    .map((name) => ({ kind: 'httproutes', namespace: ns, name }));
}

function ambassadorRefs(ambassador: Loose, namespace: string): TrafficRef[] {
  return texts(ambassador.mappings).flatMap((name): TrafficRef[] => [
    { kind: 'mappings', namespace, name },
    { kind: 'mappings', namespace, name: canaryMappingName(name) },
  ]);
}

function appMeshRefs(appMesh: Loose, namespace: string): TrafficRef[] {
  const service = text(record(appMesh.virtualService).name);
  const group = record(appMesh.virtualNodeGroup);
  const nodes = [group.canaryVirtualNodeRef, group.stableVirtualNodeRef].map((ref) => text(record(ref).name));
  const refs = nodes
    .filter((n): n is string => n !== undefined)
    .map((name): TrafficRef => ({ kind: 'virtualnodes', namespace, name }));
  if (service !== undefined) refs.push({ kind: 'virtualservices.appmesh.k8s.aws', namespace, name: service });
  return refs;
}

function apisixRefs(apisix: Loose, managedRoutes: unknown, namespace: string): TrafficRef[] {
  const route = text(record(apisix.route).name);
  if (route === undefined) return [];
  const managed = Array.isArray(managedRoutes) ? managedRoutes.map((r) => text(record(r).name)) : [];
  return [route, ...managed]
    .filter((n): n is string => n !== undefined)
    .map((name) => ({ kind: 'apisixroutes', namespace, name }));
}

/**
 * The VirtualNodes an App Mesh VirtualRouter `obj` sends traffic to (each route's weighted targets, the
 * namespace defaulting to the router's): a router is found through the nodes a Rollout names, since the
 * Rollout names only its VirtualService. Malformed fields contribute nothing.
 */
export function virtualRouterTargets(obj: KubeObject): TrafficRef[] {
  const namespace = obj.metadata?.namespace ?? '';
  const routes = record((obj as Loose).spec).routes;
  return (Array.isArray(routes) ? routes : []).flatMap((route) =>
    Object.values(record(route)).flatMap((rule) => {
      const targets = record(record(rule).action).weightedTargets;
      return (Array.isArray(targets) ? targets : []).flatMap((target): TrafficRef[] => {
        const ref = record(record(target).virtualNodeRef);
        const name = text(ref.name);
        return name === undefined
          ? []
          : [{ kind: 'virtualnodes', namespace: text(ref.namespace) ?? namespace, name }];
      });
    }),
  );
}

/**
 * Every object the raw Rollout `obj` refers to for traffic: `canaryService`/`stableService`, the
 * `pingPong` Services and blue-green's `activeService`/`previewService`, Istio VirtualServices
 * (`name.namespace` honoured) and DestinationRule, NGINX stable Ingresses and the canary Ingresses Vireo
 * derives from them, ALB Ingresses, the SMI TrafficSplit, the Traefik TraefikService, Gateway API
 * HTTPRoutes. This is where a router registers the objects it routes through (and `WATCHED` in
 * `traffic-watch.ts` where they are watched); `RolloutReferences` indexes them.
 * Reads the raw object defensively: a malformed field contributes nothing, never an exception.
 */
export function trafficRefsOf(obj: KubeObject): TrafficRef[] {
  const namespace = obj.metadata?.namespace ?? 'default';
  const rollout = obj.metadata?.name ?? '';
  const { canary, blueGreen } = strategyOf(obj);
  const pingPong = record(canary.pingPong);
  const named = [
    canary.canaryService,
    canary.stableService,
    pingPong.pingService,
    pingPong.pongService,
    blueGreen.activeService,
    blueGreen.previewService,
  ];
  const services = named
    .map(text)
    .filter((n): n is string => n !== undefined)
    .map((name): TrafficRef => ({ kind: 'services', namespace, name }));
  const routing = record(canary.trafficRouting);
  return [
    ...services,
    ...istioRefs(record(routing.istio), namespace),
    ...nginxRefs(record(routing.nginx), rollout, namespace),
    ...albRefs(record(routing.alb), namespace),
    ...smiRefs(routing.smi, rollout, namespace),
    ...traefikRefs(record(routing.traefik), namespace),
    ...gatewayRefs(record(record(routing.plugins)[GATEWAY_API_PLUGIN]), namespace),
    ...ambassadorRefs(record(routing.ambassador), namespace),
    ...appMeshRefs(record(routing.appMesh), namespace),
    ...apisixRefs(record(routing.apisix), routing.managedRoutes, namespace),
  ];
}
