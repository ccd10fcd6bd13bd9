import { Resources } from '../../src/kube/client.js';
import { ApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import { describeRouterScenario, type RoutedWeights } from './support/router-scenario.js';
import type { TrafficEnv } from './support/traffic.js';

/** The TrafficSplit collection the pinned smi-sdk-go CRD serves (v1alpha4 only). */
const SPLITS = { ...Resources.trafficSplits, version: 'v1alpha4' };

type TrafficSplit = KubeObject & {
  spec?: { service?: string; backends?: { service: string; weight: number }[] };
};

async function splitWeights(t: TrafficEnv, name: string): Promise<RoutedWeights> {
  let split: TrafficSplit;
  try {
    split = await t.client.get<TrafficSplit>(SPLITS, t.namespace, name);
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return { canary: undefined, stable: undefined };
    throw err;
  }
  const of = (service: string) => split.spec?.backends?.find((b) => b.service === service)?.weight;
  return { canary: of(`${name}-canary`), stable: of(`${name}-stable`) };
}

describeRouterScenario({
  name: 'smi',
  controllerArgs: ['--traffic-split-api-version=v1alpha4'],
  trafficRouting: () => ({ smi: {} }),
  setup: async () => {},
  weights: splitWeights,
  handEdit: async (t, name) => {
    const backends = [
      { service: `${name}-canary`, weight: 50 },
      { service: `${name}-stable`, weight: 50 },
    ];
    const body = { spec: { backends } };
    await t.client.patch(SPLITS, { namespace: t.namespace, name }, { type: 'merge', body });
  },
  cleanedUp: async (t, name) => {
    const w = await splitWeights(t, name);
    return w.canary === undefined || (w.canary === 0 && w.stable === 100);
  },
  invalid: {
    name: 'smi-foreign',
    prepare: async (t) => {
      const split = {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { name: 'shared-split' },
        spec: { service: 'elsewhere', backends: [{ service: 'elsewhere', weight: 100 }] },
      } as KubeObject;
      await t.client.create(SPLITS, t.namespace, split);
    },
    routing: { smi: { trafficSplitName: 'shared-split' } },
    message: 'InvalidSpec: spec.strategy.canary.trafficRouting.smi: TrafficSplit',
  },
});
