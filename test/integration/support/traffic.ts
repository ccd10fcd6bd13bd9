import type { KubeConfig } from '@kubernetes/client-node';
import type { Rollout } from '../../../src/api/index.js';
import { ClientNodeKubeClient, Resources } from '../../../src/kube/client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createTrafficRouters } from '../../../src/traffic/create-routers.js';
import type { TrafficRouter } from '../../../src/traffic/router.js';
import { adminKubeConfig } from './cluster.js';
import { createNamespace } from './objects.js';

/** A one-replica Rollout `name` splitting between `web-canary` and `web-stable` through `trafficRouting`. */
export function trafficRollout(name: string, trafficRouting: object): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'registry.example/web:1' }] },
      },
      strategy: { canary: { canaryService: 'web-canary', stableService: 'web-stable', trafficRouting } },
    },
  } as KubeObject;
}

/** The metadata fields the API server sets on every object. */
export const SERVER_FIELDS = ['resourceVersion', 'generation', 'managedFields', 'creationTimestamp', 'uid'];

/** A copy of `object` without the fields the API server sets. */
export function withoutServerFields<T extends KubeObject>(object: T): T {
  const copy = structuredClone(object);
  const metadata = copy.metadata as Record<string, unknown> | undefined;
  for (const key of SERVER_FIELDS) delete metadata?.[key];
  return copy;
}

/** The admin connection and a fresh namespace a traffic test works in. */
export interface TrafficEnv {
  kc: KubeConfig;
  client: ClientNodeKubeClient;
  namespace: string;
}

/** Connects as the cluster admin and creates a namespace named after `prefix`. */
export async function openTrafficEnv(prefix: string): Promise<TrafficEnv> {
  const kc = adminKubeConfig();
  return { kc, client: new ClientNodeKubeClient(kc), namespace: await createNamespace(kc, prefix) };
}

/** The traffic view of an engine environment: its admin connection and namespace. */
export function trafficEnvOf(env: { kc: KubeConfig; namespace: string }): TrafficEnv {
  return { kc: env.kc, client: new ClientNodeKubeClient(env.kc), namespace: env.namespace };
}

/** The traffic routers of a Rollout object as the API server returned it. */
export function routersOf(client: ClientNodeKubeClient, object: KubeObject): TrafficRouter[] {
  return createTrafficRouters(client, object as unknown as Rollout);
}

/** A named split route of a VirtualService: `stable` → 100, `canary` → 0 (as a user starts it). */
export function splitRoute(name: string, stable: string, canary: string): object {
  return {
    name,
    route: [
      { destination: { host: stable }, weight: 100 },
      { destination: { host: canary }, weight: 0 },
    ],
  };
}

/** A VirtualService `name` for host `name` with the given HTTP routes. */
export function virtualService(name: string, http: object[]): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name },
    spec: { hosts: [name], http },
  } as KubeObject;
}

/** An HTTPRoute `name` whose one rule splits between `stable` (100) and `canary` (0). */
export function splitHttpRoute(name: string, stable: string, canary: string): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name },
    spec: {
      parentRefs: [{ name: 'gw' }],
      rules: [
        {
          backendRefs: [
            { name: stable, port: 80, weight: 100 },
            { name: canary, port: 80, weight: 0 },
          ],
        },
      ],
    },
  } as KubeObject;
}

/** Creates one ClusterIP Service per name, selecting `app`. */
export async function createServices(
  client: ClientNodeKubeClient,
  namespace: string,
  app: string,
  names: string[],
) {
  for (const name of names) {
    await client.create(Resources.services, namespace, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app }, ports: [{ port: 80 }] },
    } as KubeObject);
  }
}

interface WeightedRoute {
  name?: string;
  route?: { destination: { host: string }; weight?: number }[];
}

/** The weights of the HTTP route `route` of VirtualService `name`, by destination host. */
export async function vsWeights(
  env: TrafficEnv,
  name: string,
  route: string,
): Promise<Record<string, number>> {
  const vs = await env.client.get<KubeObject & { spec: { http: WeightedRoute[] } }>(
    Resources.virtualServices,
    env.namespace,
    name,
  );
  const found = vs.spec.http.find((r) => r.name === route);
  return Object.fromEntries((found?.route ?? []).map((d) => [d.destination.host, d.weight ?? 0]));
}

/** The weights of the first rule of HTTPRoute `name`, by backend name. */
export async function httpRouteWeights(env: TrafficEnv, name: string): Promise<Record<string, number>> {
  const route = await env.client.get<
    KubeObject & { spec: { rules: { backendRefs?: { name: string; weight?: number }[] }[] } }
  >(Resources.httpRoutes, env.namespace, name);
  return Object.fromEntries((route.spec.rules[0]?.backendRefs ?? []).map((b) => [b.name, b.weight ?? 1]));
}

/** The `rollouts-pod-template-hash` a Service selects, if any. */
export async function selectedHash(env: TrafficEnv, service: string): Promise<string | undefined> {
  const svc = await env.client.get<KubeObject & { spec?: { selector?: Record<string, string> } }>(
    Resources.services,
    env.namespace,
    service,
  );
  return svc.spec?.selector?.['rollouts-pod-template-hash'];
}
