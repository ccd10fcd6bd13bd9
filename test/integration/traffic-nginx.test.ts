import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { type ClientNodeKubeClient, Resources } from '../../src/kube/client.js';
import { isApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import { desiredTrafficOf } from '../../src/traffic/desired-traffic.js';
import type { Ingress } from '../../src/traffic/nginx/canary-ingress.js';
import type { TrafficRouter } from '../../src/traffic/router.js';
import { applyTrafficToAll } from '../../src/traffic/router-set.js';
import { deleteNamespace } from './support/objects.js';
import { openTrafficEnv, routersOf, trafficRollout, withoutServerFields } from './support/traffic.js';

const PREFIX = 'nginx.ingress.kubernetes.io';
const traffic = (canaryWeight: number) => desiredTrafficOf({ canaryWeight });

const rollout = (name: string, stableIngress: string) => trafficRollout(name, { nginx: { stableIngress } });

const backend = (name: string) => ({ service: { name, port: { number: 80 } } });

/** The stable Ingress as a user writes it: a class, TLS, a path to the stable Service, unrelated paths. */
const stableIngress: Ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'web-ing',
    annotations: { [`${PREFIX}/proxy-body-size`]: '8m' },
    labels: { team: 'web' },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
    rules: [
      {
        host: 'web.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: backend('web-stable') },
            { path: '/static', pathType: 'Prefix', backend: backend('static-files') },
          ],
        },
      },
      {
        host: 'other.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('other') }] },
      },
    ],
  },
};

describe('NGINX router against the real API server', () => {
  let kc: KubeConfig;
  let client: ClientNodeKubeClient;
  let namespace = '';
  let router: TrafficRouter;
  let owner: KubeObject;
  let originalStable: Ingress;

  const read = (name: string) => client.get<Ingress>(Resources.ingresses, namespace, name);
  const readOptional = (name: string) =>
    read(name).catch((err: unknown) => {
      if (isApiError(err, 'NotFound')) return undefined;
      throw err;
    });
  const routerFor = (object: KubeObject) => {
    const [r] = routersOf(client, object) as [TrafficRouter];
    return r;
  };

  beforeAll(async () => {
    ({ kc, client, namespace } = await openTrafficEnv('traffic-nginx'));
    originalStable = await client.create(Resources.ingresses, namespace, stableIngress);
    owner = await client.create(Resources.rollouts, namespace, rollout('web', 'web-ing'));
    router = routerFor(owner);
    expect(router.type).toBe('nginx');
  });

  afterAll(async () => {
    await deleteNamespace(kc, namespace);
  });

  it('creates the canary Ingress owned by the Rollout and moves its weight 0 → 20 → 50 → 100', async () => {
    for (const weight of [0, 20, 50, 100]) {
      expect((await applyTrafficToAll([router], traffic(weight))).issues).toEqual([]);
      const canary = await read('web-web-ing-canary');
      expect(canary.metadata?.annotations).toEqual({
        [`${PREFIX}/canary`]: 'true',
        [`${PREFIX}/canary-weight`]: String(weight),
      });
      expect(canary.metadata?.ownerReferences).toEqual([
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: 'web',
          uid: owner.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(canary.spec).toEqual({
        ingressClassName: 'nginx',
        tls: stableIngress.spec?.tls,
        rules: [
          {
            host: 'web.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web-canary') }] },
          },
        ],
      });
      expect(withoutServerFields(await read('web-ing'))).toEqual(withoutServerFields(originalStable));
      expect(await applyTrafficToAll([router], traffic(weight))).toEqual({ changed: false, issues: [] });
      expect((await read('web-web-ing-canary')).metadata?.resourceVersion).toBe(
        canary.metadata?.resourceVersion,
      );
      const observed = await router.observe();
      expect([observed.canaryWeight, observed.stableWeight]).toEqual([weight, 100 - weight]);
    }
  });

  it('heals a hand-edited weight and keeps annotations others added', async () => {
    const ref = { namespace, name: 'web-web-ing-canary' };
    const body = { metadata: { annotations: { [`${PREFIX}/canary-weight`]: '7', 'example.com/note': 'x' } } };
    await client.patch(Resources.ingresses, ref, { type: 'merge', body });
    expect(await applyTrafficToAll([router], traffic(50))).toEqual({ changed: true, issues: [] });
    const annotations = (await read('web-web-ing-canary')).metadata?.annotations;
    expect(annotations?.[`${PREFIX}/canary-weight`]).toBe('50');
    expect(annotations?.['example.com/note']).toBe('x');
  });

  it('writes canary-weight-total for another total and removes it when back to 100', async () => {
    await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 250, maxTrafficWeight: 1000 }));
    const annotations = (await read('web-web-ing-canary')).metadata?.annotations;
    expect(annotations?.[`${PREFIX}/canary-weight`]).toBe('250');
    expect(annotations?.[`${PREFIX}/canary-weight-total`]).toBe('1000');
    const observed = await router.observe();
    expect([observed.canaryWeight, observed.stableWeight]).toEqual([250, 750]);
    await applyTrafficToAll([router], traffic(30));
    const after = (await read('web-web-ing-canary')).metadata?.annotations ?? {};
    expect(after[`${PREFIX}/canary-weight`]).toBe('30');
    expect(`${PREFIX}/canary-weight-total` in after).toBe(false);
  });

  it('clean-up deletes the canary Ingress and leaves the stable Ingress alone', async () => {
    expect(await router.cleanup()).toEqual({ changed: true, issues: [] });
    await pollUntil(async () => (await readOptional('web-web-ing-canary')) === undefined, {
      timeoutMs: 10_000,
      description: 'the canary Ingress to be deleted',
    });
    expect(withoutServerFields(await read('web-ing'))).toEqual(withoutServerFields(originalStable));
    expect(await router.cleanup()).toEqual({ changed: false, issues: [] });
  });

  it('never touches a same-named Ingress it does not control; a missing stable Ingress is an issue', async () => {
    const foreign: Ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'other-web-ing-canary' },
      spec: {
        rules: [
          {
            host: 'x.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('x') }] },
          },
        ],
      },
    };
    const created = await client.create(Resources.ingresses, namespace, foreign);
    const other = routerFor(await client.create(Resources.rollouts, namespace, rollout('other', 'web-ing')));
    const result = await applyTrafficToAll([other], traffic(20));
    expect(result).toEqual({
      changed: false,
      issues: [expect.objectContaining({ reason: 'NotControlled' })],
    });
    expect(await other.cleanup()).toEqual({ changed: false, issues: [] });
    const after = await read('other-web-ing-canary');
    expect(after.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    const missing = routerFor(
      await client.create(Resources.rollouts, namespace, rollout('lost', 'absent-ing')),
    );
    const lost = await applyTrafficToAll([missing], traffic(20));
    expect(lost).toEqual({ changed: false, issues: [expect.objectContaining({ reason: 'ObjectNotFound' })] });
  });
});
