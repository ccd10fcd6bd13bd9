import { describe, expect, it } from 'vitest';
import { Resources } from '../../../src/kube/client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { AmbassadorTrafficRouter } from '../../../src/traffic/ambassador/router.js';
import { ApisixTrafficRouter } from '../../../src/traffic/apisix/router.js';
import { FakeKubeClient } from './fake-kube-client.js';
import { desired } from './helpers.js';

const rollout = { name: 'web', namespace: 'ns', uid: 'rollout-uid' };
const services = { canaryService: 'web-canary', stableService: 'web-stable' };

const apisixRoute = (name: string, extra: object = {}): KubeObject =>
  ({
    apiVersion: 'apisix.apache.org/v2',
    kind: 'ApisixRoute',
    metadata: { name, namespace: 'ns', ...extra },
    spec: {
      http: [
        {
          name: 'web',
          match: { paths: ['/*'] },
          backends: [
            { serviceName: 'web-stable', servicePort: 80, weight: 100 },
            { serviceName: 'web-canary', servicePort: 80, weight: 0 },
          ],
        },
      ],
    },
  }) as KubeObject;

const beta = { name: 'beta', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] };

describe('ApisixTrafficRouter', () => {
  const routerOn = (client: FakeKubeClient) =>
    new ApisixTrafficRouter({
      client,
      rollout,
      apisix: { route: { name: 'web' } },
      ...services,
      managedRoutes: [{ name: 'beta' }],
    });

  it('creates the header route owned by the Rollout, writes nothing the second time, deletes it on clean-up', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.apisixRoutes, apisixRoute('web'));
    const router = routerOn(client);
    const traffic = desired({ canaryWeight: 10, headerRoutes: [beta] });
    expect(await (await router.prepare(traffic)).commit()).toBe(true);
    expect(client.writes).toEqual([
      'replace apisix.apache.org/apisixroutes/ns/web',
      'create apisix.apache.org/apisixroutes/ns/beta',
    ]);
    expect((await router.observe()).headerRoutes).toEqual(['beta']);
    expect((await router.prepare(traffic)).pendingWrites).toBe(0);
    expect(await router.cleanup()).toEqual({ changed: true, issues: [] });
    expect(client.writes.slice(2)).toEqual([
      'replace apisix.apache.org/apisixroutes/ns/web',
      'delete apisix.apache.org/apisixroutes/ns/beta',
    ]);
  });

  it('never touches an ApisixRoute of the managed route’s name that another owner controls', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.apisixRoutes, apisixRoute('web'));
    client.seed(Resources.apisixRoutes, apisixRoute('beta'));
    const staged = await routerOn(client).prepare(desired({ canaryWeight: 10, headerRoutes: [beta] }));
    expect(staged.issues).toEqual([
      expect.objectContaining({ reason: 'NotControlled', path: 'metadata.ownerReferences' }),
    ]);
    await routerOn(client).cleanup();
    expect(client.writes.filter((w) => w.includes('beta'))).toEqual([]);
  });
});

describe('AmbassadorTrafficRouter', () => {
  it('creates, re-weights and deletes the canary Mapping; the base Mapping is never written', async () => {
    const client = new FakeKubeClient();
    const base = {
      apiVersion: 'getambassador.io/v2',
      kind: 'Mapping',
      metadata: { name: 'm', namespace: 'ns' },
    };
    client.seed(Resources.ambassadorMappings, {
      ...base,
      spec: { prefix: '/', service: 'web-stable:80' },
    } as KubeObject);
    const router = new AmbassadorTrafficRouter({
      client,
      rollout,
      ambassador: { mappings: ['m'] },
      ...services,
    });
    for (const canaryWeight of [20, 50, 0]) await (await router.prepare(desired({ canaryWeight }))).commit();
    expect(client.writes).toEqual([
      'create getambassador.io/mappings/ns/m-canary',
      'replace getambassador.io/mappings/ns/m-canary',
      'delete getambassador.io/mappings/ns/m-canary',
    ]);
    expect((await router.observe()).canaryWeight).toBe(0);
    expect(await router.cleanup()).toEqual({ changed: false, issues: [] });
  });
});
