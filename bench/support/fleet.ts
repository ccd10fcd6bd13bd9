import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { pollUntil } from '../../harness/wait.js';
import type { RolloutObject } from '../../test/integration/support/rollouts.js';
import { isSettledHealthy } from './bench-env.js';

/** Pods per fleet Rollout. */
export const FLEET_REPLICAS = 2;

/** The canary steps of every fleet Rollout. */
export const FLEET_STEPS = [
  { setWeight: 20 },
  { pause: { duration: '1s' } },
  { setWeight: 50 },
  { pause: { duration: '1s' } },
  { setWeight: 80 },
];

const ISTIO = { group: 'networking.istio.io', version: 'v1beta1', plural: 'virtualservices' };
const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };

/** The name of the i-th fleet Rollout (and of its VirtualService): `fleet-0042`. */
export function fleetName(i: number): string {
  return `fleet-${String(i).padStart(4, '0')}`;
}

/** The image of fleet revision `revision`. */
export function fleetImage(revision: number): string {
  return `registry.example/fleet:1.${revision}.0`;
}

/**
 * A headless Service (no cluster IP to allocate: the harness's service range is a /24) selecting the
 * Rollout's pods; Vireo adds the pod-template-hash to its selector.
 */
export function fleetService(name: string, app: string): object {
  return { metadata: { name }, spec: { clusterIP: 'None', selector: { app }, ports: [{ port: 80 }] } };
}

/** A VirtualService `name` whose route `primary` splits host `<name>` between the stable and canary Services. */
export function fleetVirtualService(name: string): object {
  const route = [
    { destination: { host: `${name}-stable` }, weight: 100 },
    { destination: { host: `${name}-canary` }, weight: 0 },
  ];
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name },
    spec: { hosts: [name], http: [{ name: 'primary', route }] },
  };
}

/** A canary Rollout with Istio host-split traffic routing over its two Services and {@link FLEET_STEPS}. */
export function fleetRollout(name: string, revision: number): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas: FLEET_REPLICAS,
      revisionHistoryLimit: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: fleetImage(revision) }] },
      },
      strategy: {
        canary: {
          canaryService: `${name}-canary`,
          stableService: `${name}-stable`,
          trafficRouting: { istio: { virtualService: { name, routes: ['primary'] } } },
          steps: FLEET_STEPS,
        },
      },
    },
  };
}

/** Runs `fn` over `items` with at most `limit` calls in flight; rejects with the first failure. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Creates fleet members `from` … `to − 1` (two Services, a VirtualService, a Rollout on `revision` each),
 * `limit` members at a time.
 */
export async function createFleet(
  kc: KubeConfig,
  namespace: string,
  range: { from: number; to: number; revision: number },
  limit = 16,
) {
  const { from, to, revision } = range;
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const indexes = Array.from({ length: to - from }, (_, k) => from + k);
  await mapLimit(indexes, limit, async (i) => {
    const name = fleetName(i);
    await core.createNamespacedService({ namespace, body: fleetService(`${name}-stable`, name) });
    await core.createNamespacedService({ namespace, body: fleetService(`${name}-canary`, name) });
    await custom.createNamespacedCustomObject({ ...ISTIO, namespace, body: fleetVirtualService(name) });
    await custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: fleetRollout(name, revision) });
  });
}

/** Lists the namespace's Rollouts from the API server's watch cache (resourceVersion 0: cheap, may lag). */
export async function listRollouts(kc: KubeConfig, namespace: string): Promise<RolloutObject[]> {
  const list = (await kc
    .makeApiClient(CustomObjectsApi)
    .listNamespacedCustomObject({ ...ROLLOUTS, namespace, resourceVersion: '0' })) as {
    items: RolloutObject[];
  };
  return list.items;
}

/** Lists the namespace's VirtualServices' `primary` routes as `{ stable, canary }` weights by name. */
export async function fleetWeights(kc: KubeConfig, namespace: string) {
  type Route = { destination: { host: string }; weight?: number };
  type Vs = { metadata: { name: string }; spec: { http: { name?: string; route: Route[] }[] } };
  const list = (await kc
    .makeApiClient(CustomObjectsApi)
    .listNamespacedCustomObject({ ...ISTIO, namespace })) as {
    items: Vs[];
  };
  return list.items.map((vs) => {
    const route = vs.spec.http.find((r) => r.name === 'primary')?.route ?? [];
    const weight = (suffix: string) => route.find((d) => d.destination.host.endsWith(suffix))?.weight ?? 0;
    return { name: vs.metadata.name, stable: weight('-stable'), canary: weight('-canary') };
  });
}

/** Merge-patches the image of fleet members `0 … count − 1` to `revision`, `limit` at a time. */
export async function updateFleet(
  kc: KubeConfig,
  namespace: string,
  count: number,
  revision: number,
  limit = 16,
) {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const body = {
    spec: { template: { spec: { containers: [{ name: 'app', image: fleetImage(revision) }] } } },
  };
  const names = Array.from({ length: count }, (_, i) => fleetName(i));
  await mapLimit(names, limit, (name) =>
    custom.patchNamespacedCustomObject(
      { ...ROLLOUTS, namespace, name, body },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ),
  );
}

/** A fleet member counts as done when settled Healthy on the wanted image's revision. */
function done(r: RolloutObject, image: string): boolean {
  const spec = r.spec as { template?: { spec?: { containers?: { image?: string }[] } } };
  return spec.template?.spec?.containers?.[0]?.image === image && isSettledHealthy(r, FLEET_REPLICAS);
}

/** How far a fleet got: the seconds from `t0` at which each member was first seen done, and whether all were. */
export interface FleetProgress {
  times: number[];
  complete: boolean;
}

/**
 * Polls (every `intervalMs`) until `count` fleet Rollouts are settled Healthy on `image` or `timeoutMs` has
 * passed; returns the seconds from `t0` (`performance.now()`) at which each was first seen so (poll
 * resolution), and whether all got there, so a run that cannot finish still reports how far it came.
 */
export async function waitFleetHealthy(
  kc: KubeConfig,
  namespace: string,
  options: { count: number; image: string; t0: number; timeoutMs: number; intervalMs?: number },
): Promise<FleetProgress> {
  const seen = new Map<string, number>();
  let lastLog = performance.now();
  const complete = await pollUntil(
    async () => {
      const now = (performance.now() - options.t0) / 1000;
      for (const r of await listRollouts(kc, namespace)) {
        if (!seen.has(r.metadata.name) && done(r, options.image)) seen.set(r.metadata.name, now);
      }
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        process.stderr.write(`bench: ${seen.size}/${options.count} Healthy after ${now.toFixed(0)} s\n`);
      }
      return seen.size >= options.count;
    },
    { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs ?? 1000, description: 'the fleet' },
  ).then(
    () => true,
    () => false,
  );
  return { times: [...seen.values()], complete };
}

/** Pods one kwok Node takes (the allocatable count the harness's Stage gives every Node). */
export const PODS_PER_NODE = 110;

/**
 * Makes sure the control plane has at least `count` kwok Nodes (`kwok-node-<i>`, shaped like the harness's
 * own, which kwok manages because it manages all Nodes) and waits, with a deadline, until they are Ready.
 */
export async function ensureKwokNodes(kc: KubeConfig, count: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const existing = new Set((await core.listNode()).items.map((n) => n.metadata?.name));
  const missing = Array.from({ length: count }, (_, i) => `kwok-node-${i}`).filter((n) => !existing.has(n));
  await mapLimit(missing, 8, (name) =>
    core.createNode({
      body: {
        metadata: {
          name,
          labels: { type: 'kwok', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
          annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        },
        status: { allocatable: { cpu: '32', memory: '256Gi', pods: String(PODS_PER_NODE) } },
      },
    }),
  );
  const ready = (n: { status?: { conditions?: { type: string; status: string }[] } }) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  await pollUntil(async () => (await core.listNode()).items.filter(ready).length >= count, {
    timeoutMs: 60_000,
    intervalMs: 500,
    description: `${count} Ready kwok Nodes`,
  });
}
