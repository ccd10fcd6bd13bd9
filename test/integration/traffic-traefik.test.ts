import { Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { describeRouterScenario, type RoutedWeights } from './support/router-scenario.js';
import type { TrafficEnv } from './support/traffic.js';

type TraefikService = KubeObject & {
  spec?: { weighted?: { services?: { name: string; port?: number; weight?: number }[] } };
};

/** A weighted TraefikService as a user writes it: stable 100, canary 0, sticky cookies. */
function weightedService(name: string): KubeObject {
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'TraefikService',
    metadata: { name },
    spec: {
      weighted: {
        sticky: { cookie: { name: 'lvl1' } },
        services: [
          { name: `${name}-stable`, port: 80, weight: 100 },
          { name: `${name}-canary`, port: 80, weight: 0 },
        ],
      },
    },
  } as KubeObject;
}

async function serviceWeights(t: TrafficEnv, name: string): Promise<RoutedWeights> {
  const ts = await t.client.get<TraefikService>(Resources.traefikServices, t.namespace, name);
  const of = (service: string) => ts.spec?.weighted?.services?.find((s) => s.name === service)?.weight;
  return { canary: of(`${name}-canary`), stable: of(`${name}-stable`) };
}

describeRouterScenario({
  name: 'traefik',
  trafficRouting: (name) => ({ traefik: { weightedTraefikServiceName: name } }),
  setup: async (t, name) => {
    await t.client.create(Resources.traefikServices, t.namespace, weightedService(name));
  },
  weights: serviceWeights,
  handEdit: async (t, name) => {
    const ops = [
      { op: 'replace' as const, path: '/spec/weighted/services/0/weight', value: 50 },
      { op: 'replace' as const, path: '/spec/weighted/services/1/weight', value: 50 },
    ];
    await t.client.patch(Resources.traefikServices, { namespace: t.namespace, name }, { type: 'json', ops });
  },
  cleanedUp: async (t, name) => {
    const w = await serviceWeights(t, name);
    const ts = await t.client.get<TraefikService>(Resources.traefikServices, t.namespace, name);
    return w.canary === 0 && w.stable === 100 && ts.spec?.weighted !== undefined;
  },
  invalid: {
    name: 'traefik-missing',
    routing: { traefik: { weightedTraefikServiceName: 'no-such-service' } },
    message:
      'InvalidSpec: spec.strategy.canary.trafficRouting.traefik: TraefikService "no-such-service" not found',
  },
});
