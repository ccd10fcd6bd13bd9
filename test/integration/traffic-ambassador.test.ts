import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { Resources } from '../../src/kube/client.js';
import { isApiError } from '../../src/kube/errors.js';
import type { Mapping } from '../../src/traffic/ambassador/mapping.js';
import { describeRouterScenario, patchByHand } from './support/route-scenario.js';
import type { TrafficEnv } from './support/traffic.js';

const NAME = 'amb';

/** The Mapping `name`, or undefined when there is none. */
async function mapping(t: TrafficEnv, name: string): Promise<Mapping | undefined> {
  return t.client.get<Mapping>(Resources.ambassadorMappings, t.namespace, name).catch((err: unknown) => {
    if (isApiError(err, 'NotFound')) return undefined;
    throw err;
  });
}

/** The base Mapping as the user wrote it (Emissary's Mapping CRD, getambassador.io/v2). */
const base = {
  apiVersion: 'getambassador.io/v2',
  kind: 'Mapping',
  metadata: { name: NAME, labels: { team: 'web' } },
  spec: { prefix: '/', service: `${NAME}-stable:80`, timeout_ms: 3000 },
};

describeRouterScenario({
  name: NAME,
  trafficRouting: { ambassador: { mappings: [NAME] } },
  setup: async (t) => {
    await t.client.create(Resources.ambassadorMappings, t.namespace, base);
  },
  canaryWeight: async (t) => (await mapping(t, `${NAME}-canary`))?.spec?.weight ?? 0,
  handEdit: (t) => patchByHand(t, Resources.ambassadorMappings, `${NAME}-canary`, { '/spec/weight': 70 }),
  checkAt20: async (t) => {
    const canary = await mapping(t, `${NAME}-canary`);
    expect(canary?.spec).toEqual({ prefix: '/', service: `${NAME}-canary:80`, timeout_ms: 3000, weight: 20 });
    expect((await mapping(t, NAME))?.spec).toEqual(base.spec);
  },
  missing: {
    trafficRouting: { ambassador: { mappings: ['absent'] } },
    message:
      /^InvalidSpec: spec\.strategy\.canary\.trafficRouting\.ambassador: Mapping "absent" not found in namespace/,
  },
  cleanedUp: async (t) =>
    (await mapping(t, `${NAME}-canary`)) === undefined &&
    isDeepStrictEqual((await mapping(t, NAME))?.spec, base.spec),
});
