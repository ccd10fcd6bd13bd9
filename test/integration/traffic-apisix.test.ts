import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { Resources } from '../../src/kube/client.js';
import { isApiError } from '../../src/kube/errors.js';
import type { ApisixRoute } from '../../src/traffic/apisix/types.js';
import { describeRouterScenario, patchByHand } from './support/route-scenario.js';
import type { TrafficEnv } from './support/traffic.js';

const NAME = 'six';
const HEADER_ROUTE = 'six-beta';

async function route(t: TrafficEnv, name = NAME): Promise<ApisixRoute | undefined> {
  return t.client.get<ApisixRoute>(Resources.apisixRoutes, t.namespace, name).catch((err: unknown) => {
    if (isApiError(err, 'NotFound')) return undefined;
    throw err;
  });
}

const backendWeights = (r: ApisixRoute | undefined, rule = 1) =>
  Object.fromEntries((r?.spec?.http?.[rule]?.backends ?? []).map((b) => [b.serviceName, b.weight]));

/** An ApisixRoute as a user writes it: an unrelated rule first, then the split rule `six`. */
const userRoute = {
  apiVersion: 'apisix.apache.org/v2',
  kind: 'ApisixRoute',
  metadata: { name: NAME, labels: { team: 'web' } },
  spec: {
    http: [
      {
        name: 'static',
        match: { paths: ['/static/*'] },
        backends: [{ serviceName: 'static-files', servicePort: 80 }],
      },
      {
        name: NAME,
        match: { hosts: ['six.example.com'], paths: ['/*'] },
        backends: [
          { serviceName: `${NAME}-stable`, servicePort: 80, weight: 100 },
          { serviceName: `${NAME}-canary`, servicePort: 80, weight: 0 },
        ],
      },
    ],
  },
};

describeRouterScenario({
  name: NAME,
  trafficRouting: {
    managedRoutes: [{ name: HEADER_ROUTE }],
    apisix: { route: { name: NAME, rules: [NAME] } },
  },
  stepsAt20: [
    {
      setHeaderRoute: {
        name: HEADER_ROUTE,
        match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }],
      },
    },
  ],
  setup: async (t) => {
    await t.client.create(Resources.apisixRoutes, t.namespace, userRoute);
  },
  canaryWeight: async (t) => {
    const weights = backendWeights(await route(t));
    const canary = weights[`${NAME}-canary`] ?? -1;
    return canary + (weights[`${NAME}-stable`] ?? -1) === 100 ? canary : -1;
  },
  handEdit: (t) =>
    patchByHand(t, Resources.apisixRoutes, NAME, {
      '/spec/http/1/backends/0/weight': 10,
      '/spec/http/1/backends/1/weight': 90,
    }),
  checkAt20: async (t) => {
    const header = await route(t, HEADER_ROUTE);
    expect(header?.spec?.http?.[1]).toMatchObject({
      name: NAME,
      match: {
        paths: ['/*'],
        exprs: [{ subject: { scope: 'Header', name: 'x-beta' }, op: 'Equal', value: 'yes' }],
      },
      backends: [{ serviceName: `${NAME}-canary`, weight: 100 }],
    });
    expect(header?.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Rollout', name: NAME }),
    ]);
    expect((await route(t))?.spec?.http?.[0]).toEqual(userRoute.spec.http[0]);
  },
  checkPromoted: async (t) => {
    expect(await route(t, HEADER_ROUTE)).toBeUndefined();
  },
  missing: {
    trafficRouting: { managedRoutes: [{ name: HEADER_ROUTE }], apisix: { route: { name: 'absent' } } },
    message:
      /^InvalidSpec: spec\.strategy\.canary\.trafficRouting\.apisix: ApisixRoute "absent" not found in namespace/,
  },
  cleanedUp: async (t) => {
    const main = await route(t);
    const weights = backendWeights(main);
    return (
      (await route(t, HEADER_ROUTE)) === undefined &&
      weights[`${NAME}-stable`] === 100 &&
      weights[`${NAME}-canary`] === 0 &&
      isDeepStrictEqual(main?.spec?.http?.[0], userRoute.spec.http[0])
    );
  },
});
