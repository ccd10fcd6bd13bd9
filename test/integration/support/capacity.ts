import type { KubeConfig } from '@kubernetes/client-node';
import { createRoutedApp, routedRollout } from './analysis.js';
import { imagePatch } from './canary.js';
import { available, hashOf, type RolloutApi, type RolloutObject } from './rollouts.js';

export { type RouteEvent, waitForRoute, watchRoute } from './route-watch.js';

/** The annotation that opts a Rollout into the capacity-aware return to stable. */
export const CAPACITY_AWARE = { 'vireo.dev/capacity-aware-rollback': 'true' };

/**
 * An Istio-routed `dynamicStableScale` canary of `replicas` pods whose pods become ready `readySeconds` after
 * they start (readinessProbe.initialDelaySeconds, played by the kwok stages), walking 25 → 50 → 75 % and pausing.
 */
export function capacityRollout(
  name: string,
  annotations: Record<string, string>,
  replicas: number,
  readySeconds: number,
) {
  const steps = [{ setWeight: 25 }, { setWeight: 50 }, { setWeight: 75 }, { pause: {} }];
  const manifest = routedRollout(name, 'registry.example/capacity:1', steps, {
    dynamicStableScale: true,
  }) as {
    metadata: Record<string, unknown>;
    spec: { replicas: number; template: { spec: { containers: Record<string, unknown>[] } } };
  };
  manifest.metadata = { name, annotations };
  manifest.spec.replicas = replicas;
  const probe = { exec: { command: ['true'] }, initialDelaySeconds: readySeconds, periodSeconds: 1 };
  for (const container of manifest.spec.template.spec.containers) container.readinessProbe = probe;
  return manifest;
}

/** Deploys `capacityRollout`, updates it and waits until the canary carries 75% with the stable at 25%. */
export async function atSeventyFivePercent(
  target: { kc: KubeConfig; namespace: string; api: RolloutApi },
  name: string,
  manifest: object,
): Promise<RolloutObject> {
  await createRoutedApp(target, name);
  await target.api.create(manifest);
  await target.api.waitFor(
    name,
    'a Healthy first deploy',
    (r) => r.status?.phase === 'Healthy',
    undefined,
    120_000,
  );
  await target.api.patchSpec(name, imagePatch('registry.example/capacity:2'));
  return target.api.waitFor(
    name,
    'the canary at 75% with the stable scaled to 25%',
    (r, sets) => {
      const stable = sets.find((rs) => hashOf(rs) === r.status?.stableRS);
      const replicas = Number(r.spec.replicas ?? 1);
      return r.status?.phase === 'Paused' && stable?.spec?.replicas === Math.ceil(replicas / 4);
    },
    undefined,
    180_000,
  );
}

/** The stable ReplicaSet's available pods of Rollout `name` now. */
export async function stableAvailable(api: RolloutApi, name: string): Promise<number> {
  const [r, sets] = [await api.get(name), await api.replicaSets(name)];
  const stable = sets.find((rs) => hashOf(rs) === r.status?.stableRS);
  return stable ? available(stable) : 0;
}
