import { GATEWAY_API_PLUGIN } from '../../api/index.js';
import type { KubeObject } from '../../kube/types.js';
import { objectKey } from '../../kube/types.js';
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
  | 'httproutes'
  | 'mappings'
  | 'virtualservices.appmesh.k8s.aws'
  | 'virtualrouters'
  | 'virtualnodes'
  | 'apisixroutes';

/** One object a Rollout refers to through its canary strategy. */
export interface TrafficRef {
  kind: TrafficKind;
  namespace: string;
  name: string;
}

type Loose = Record<string, unknown>;

function record(value: unknown): Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
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
 * Every object the raw Rollout `obj` refers to for traffic: `canaryService`/`stableService` and the
 * `pingPong` Services, Istio VirtualServices (`name.namespace` honoured) and DestinationRule, NGINX stable
 * Ingresses and the canary Ingresses Vireo derives from them, Gateway API HTTPRoutes, Ambassador Mappings and
 * their canary Mappings, the App Mesh VirtualService and VirtualNodes, the ApisixRoute and the ApisixRoutes
 * of its managed header routes. Reads the raw object defensively: a malformed field contributes nothing,
 * never an exception.
 */
export function trafficRefsOf(obj: KubeObject): TrafficRef[] {
  const namespace = obj.metadata?.namespace ?? 'default';
  const rollout = obj.metadata?.name ?? '';
  const canary = record(record(record((obj as Loose).spec).strategy).canary);
  const pingPong = record(canary.pingPong);
  const named = [canary.canaryService, canary.stableService, pingPong.pingService, pingPong.pongService];
  const services = named
    .map(text)
    .filter((n): n is string => n !== undefined)
    .map((name): TrafficRef => ({ kind: 'services', namespace, name }));
  const routing = record(canary.trafficRouting);
  return [
    ...services,
    ...istioRefs(record(routing.istio), namespace),
    ...nginxRefs(record(routing.nginx), rollout, namespace),
    ...gatewayRefs(record(record(routing.plugins)[GATEWAY_API_PLUGIN]), namespace),
    ...ambassadorRefs(record(routing.ambassador), namespace),
    ...appMeshRefs(record(routing.appMesh), namespace),
    ...apisixRefs(record(routing.apisix), routing.managedRoutes, namespace),
  ];
}

function refKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/**
 * Which Rollouts refer to which traffic objects, kept up to date from Rollout events. Invariant: after
 * `update(rollout)` the Rollout's key is listed exactly under the objects `trafficRefsOf(rollout)` names,
 * and after `remove` under none.
 */
export class TrafficRefIndex {
  private readonly byObject = new Map<string, Set<string>>();
  private readonly byRollout = new Map<string, string[]>();

  /** Records (or replaces) what the Rollout `obj` refers to. */
  update(obj: KubeObject): void {
    const key = objectKey(obj);
    this.removeKey(key);
    const refs = [...new Set(trafficRefsOf(obj).map((r) => refKey(r.kind, r.namespace, r.name)))];
    this.byRollout.set(key, refs);
    for (const ref of refs) {
      const keys = this.byObject.get(ref) ?? new Set<string>();
      keys.add(key);
      this.byObject.set(ref, keys);
    }
  }

  /** Forgets the Rollout `obj`. */
  remove(obj: KubeObject): void {
    this.removeKey(objectKey(obj));
  }

  /** The keys (`namespace/name`) of the Rollouts referring to `kind` `namespace/name`. */
  rolloutsReferring(kind: TrafficKind, namespace: string, name: string): string[] {
    return [...(this.byObject.get(refKey(kind, namespace, name)) ?? [])];
  }

  private removeKey(key: string): void {
    for (const ref of this.byRollout.get(key) ?? []) {
      const keys = this.byObject.get(ref);
      keys?.delete(key);
      if (keys?.size === 0) this.byObject.delete(ref);
    }
    this.byRollout.delete(key);
  }
}
