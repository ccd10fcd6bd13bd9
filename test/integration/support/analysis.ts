import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { canaryRollout } from './canary.js';
import { clusterInfo } from './cluster.js';
import type { EngineEnv, RolloutObject } from './rollouts.js';

/** The parts of an AnalysisRun the analysis scenarios read. */
export interface RunObject {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { name: string }[];
  };
  spec: { terminate?: boolean };
  status?: {
    phase?: string;
    message?: string;
    dryRunSummary?: { failed?: number };
    runSummary?: { successful?: number };
    metricResults?: {
      name: string;
      phase: string;
      count?: number;
      failed?: number;
      error?: number;
      measurements?: {
        phase: string;
        value?: string;
        finishedAt?: string;
        metadata?: Record<string, string>;
      }[];
    }[];
  };
}

const argo = (namespace: string, plural: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural,
});
const istio = (namespace: string) => ({
  group: 'networking.istio.io',
  version: 'v1beta1',
  namespace,
  plural: 'virtualservices',
});

/** Services `<name>-stable`/`<name>-canary` and VirtualService `<name>` with route `primary` (100/0). */
export async function createRoutedApp(env: Pick<EngineEnv, 'kc' | 'namespace'>, name: string): Promise<void> {
  const core = env.kc.makeApiClient(CoreV1Api);
  for (const service of [`${name}-stable`, `${name}-canary`]) {
    await core.createNamespacedService({
      namespace: env.namespace,
      body: { metadata: { name: service }, spec: { selector: { app: name }, ports: [{ port: 80 }] } },
    });
  }
  const route = [
    { destination: { host: `${name}-stable` }, weight: 100 },
    { destination: { host: `${name}-canary` }, weight: 0 },
  ];
  await env.kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    ...istio(env.namespace),
    body: {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name },
      spec: { hosts: [name], http: [{ name: 'primary', route }] },
    },
  });
}

/** The weights of route `primary` of VirtualService `name`, by role. */
export async function routeWeights(
  env: EngineEnv,
  name: string,
): Promise<{ stable: number; canary: number }> {
  const vs = (await env.kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
    ...istio(env.namespace),
    name,
  })) as { spec: { http: { name?: string; route: { destination: { host: string }; weight?: number }[] }[] } };
  const route = vs.spec.http.find((r) => r.name === 'primary')?.route ?? [];
  const weight = (host: string) => route.find((d) => d.destination.host === host)?.weight ?? 0;
  const w = { stable: weight(`${name}-stable`), canary: weight(`${name}-canary`) };
  expect(w.stable + w.canary).toBe(100);
  return w;
}

/** An Istio-routed canary Rollout `name` with `steps` and extra `canary` fields. */
export function routedRollout(name: string, image: string, steps: object[], canary: object = {}): object {
  return canaryRollout(name, image, {
    replicas: 2,
    steps,
    canary: {
      canaryService: `${name}-canary`,
      stableService: `${name}-stable`,
      trafficRouting: { istio: { virtualService: { name, routes: ['primary'] } } },
      ...canary,
    },
  });
}

/** A Prometheus metric on the shared server (or `address`) with `query`, measured every second. */
export function promMetric(name: string, query: string, extra: object = {}, address?: string): object {
  return {
    name,
    interval: '1s',
    successCondition: 'result[0] < 0.05',
    provider: { prometheus: { address: address ?? clusterInfo().prometheusUrl, query } },
    ...extra,
  };
}

/** Creates AnalysisTemplate `name` with `spec` (metrics, args, dryRun…) and `annotations` in `target.namespace`. */
export async function createTemplate(
  target: { kc: KubeConfig; namespace: string },
  name: string,
  spec: object,
  annotations?: Record<string, string>,
): Promise<void> {
  const metadata = annotations === undefined ? { name } : { name, annotations };
  await target.kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    ...argo(target.namespace, 'analysistemplates'),
    body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata, spec },
  });
}

/** The AnalysisRuns controlled by Rollout `rollout`, oldest name first. */
export async function runsOf(env: EngineEnv, rollout: string): Promise<RunObject[]> {
  const list = (await env.kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
    ...argo(env.namespace, 'analysisruns'),
  })) as { items: RunObject[] };
  return list.items
    .filter((r) => r.metadata.ownerReferences?.some((o) => o.name === rollout))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** Creates Rollout `name` and waits until its first deploy is Healthy with all traffic on stable. */
export async function deployHealthy(env: EngineEnv, rollout: object, name: string): Promise<RolloutObject> {
  await env.api.create(rollout);
  const healthy = await env.api.waitFor(name, `${name} Healthy`, (r) => r.status?.phase === 'Healthy');
  expect(await routeWeights(env, name)).toEqual({ stable: 100, canary: 0 });
  return healthy;
}
