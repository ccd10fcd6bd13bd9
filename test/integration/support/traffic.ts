import type { KubeConfig } from '@kubernetes/client-node';
import type { Rollout } from '../../../src/api/index.js';
import { ClientNodeKubeClient } from '../../../src/kube/client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import type { TrafficRouter } from '../../../src/traffic/model.js';
import { createTrafficRouters } from '../../../src/traffic/routers.js';
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

/** The traffic routers of a Rollout object as the API server returned it. */
export function routersOf(client: ClientNodeKubeClient, object: KubeObject): TrafficRouter[] {
  return createTrafficRouters(client, object as unknown as Rollout);
}
