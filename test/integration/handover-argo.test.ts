import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '../../src/kube/client.js';
import { type ArgoRollouts, ensureArgoRollouts } from '../conformance/argo-rollouts.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import {
  creatorOf,
  type HandoverEnv,
  handOver,
  INSTANCE_LABEL,
  type Owner,
  snapshot,
  startHandoverEnv,
} from './support/handover.js';
import { RolloutApi, type RolloutObject } from './support/rollouts.js';
import { createServices, splitRoute, trafficEnvOf, virtualService } from './support/traffic.js';

let build: ArgoRollouts;
let env: HandoverEnv;
let api: RolloutApi;

beforeAll(async () => {
  build = ensureArgoRollouts();
  env = await startHandoverEnv(build);
  api = new RolloutApi(env.kc, env.namespace);
}, 3_600_000);

afterAll(async () => {
  await env?.stop();
});

function labelled(rollout: object, owner: Owner): object {
  const r = rollout as { metadata: { name: string } };
  return { ...r, metadata: { ...r.metadata, labels: { [INSTANCE_LABEL]: owner } } };
}

/** Waits until the Rollout is Healthy on the pod template of `image`, with the old revisions scaled to 0. */
async function healthyOn(name: string, image: string): Promise<RolloutObject> {
  return api.waitFor(
    name,
    `Healthy on ${image}`,
    (r, sets) => {
      const current = sets.find(
        (rs) => rs.metadata?.labels?.['rollouts-pod-template-hash'] === r.status?.currentPodHash,
      );
      const others = sets.filter((rs) => rs !== current);
      return (
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        current?.spec?.template?.spec?.containers[0]?.image === image &&
        others.every((rs) => (rs.spec?.replicas ?? 0) === 0)
      );
    },
    undefined,
    180_000,
  );
}

async function newestReplicaSet(name: string): Promise<V1ReplicaSet> {
  const sets = await api.replicaSets(name);
  const revision = (rs: V1ReplicaSet) =>
    Number(rs.metadata?.annotations?.['rollout.argoproj.io/revision'] ?? 0);
  const newest = sets.sort((a, b) => revision(b) - revision(a))[0];
  if (!newest?.metadata?.name) throw new Error(`no ReplicaSet of ${name}`);
  return newest;
}

/**
 * The hand-over scenario: Healthy under Argo, relabelled to Vireo (nothing changes), updated under Vireo,
 * relabelled back (nothing changes), updated under Argo. Each update's ReplicaSet is created by its owner.
 */
async function handOverBothWays(name: string): Promise<void> {
  await healthyOn(name, 'shop:v1');
  const argoCreator = await creatorOf(env, (await newestReplicaSet(name)).metadata?.name ?? '');

  const underArgo = await snapshot(env);
  await handOver(env, name, 'vireo');
  expect(await snapshot(env)).toEqual(underArgo);

  await api.patchSpec(name, imagePatch('shop:v2'));
  await healthyOn(name, 'shop:v2');
  const vireoCreator = await creatorOf(env, (await newestReplicaSet(name)).metadata?.name ?? '');
  expect(vireoCreator).toBeDefined();
  expect(vireoCreator).not.toBe(argoCreator);
  expect(await api.replicaSets(name)).toHaveLength(2);

  const underVireo = await snapshot(env);
  await handOver(env, name, 'argo');
  expect(await snapshot(env)).toEqual(underVireo);

  await api.patchSpec(name, imagePatch('shop:v3'));
  await healthyOn(name, 'shop:v3');
  expect(await creatorOf(env, (await newestReplicaSet(name)).metadata?.name ?? '')).toBe(argoCreator);
  expect(await api.replicaSets(name)).toHaveLength(3);
}

describe('hand-over between Argo Rollouts and Vireo by relabelling (both controllers running)', () => {
  it('hands a Healthy canary with Istio weights to Vireo and back: no pod, ReplicaSet, Service or weight changes', async () => {
    const traffic = trafficEnvOf({ kc: env.kc, namespace: env.namespace });
    await createServices(traffic.client, env.namespace, 'shop', ['shop-stable', 'shop-canary']);
    await traffic.client.create(
      Resources.virtualServices,
      env.namespace,
      virtualService('shop-vsvc', [splitRoute('primary', 'shop-stable', 'shop-canary')]),
    );
    const rollout = canaryRollout('shop', 'shop:v1', {
      replicas: 2,
      steps: [{ setWeight: 50 }, { pause: { duration: '1s' } }],
      canary: {
        canaryService: 'shop-canary',
        stableService: 'shop-stable',
        trafficRouting: { istio: { virtualService: { name: 'shop-vsvc', routes: ['primary'] } } },
      },
    });
    await api.create(labelled(rollout, 'argo'));
    await handOverBothWays('shop');
  });

  it('hands a Healthy blue-green Rollout to Vireo and back: no pod, ReplicaSet or Service changes', async () => {
    const traffic = trafficEnvOf({ kc: env.kc, namespace: env.namespace });
    await createServices(traffic.client, env.namespace, 'cart', ['cart-active', 'cart-preview']);
    const rollout = canaryRollout('cart', 'shop:v1', { replicas: 2 }) as {
      spec: { strategy: object };
    };
    rollout.spec.strategy = {
      blueGreen: { activeService: 'cart-active', previewService: 'cart-preview', scaleDownDelaySeconds: 5 },
    };
    await api.create(labelled(rollout, 'argo'));
    await handOverBothWays('cart');
  });
});
