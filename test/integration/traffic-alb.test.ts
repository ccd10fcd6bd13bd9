import { Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { describeRouterScenario, type RoutedWeights } from './support/router-scenario.js';
import type { TrafficEnv } from './support/traffic.js';

const PREFIX = 'alb.ingress.kubernetes.io';

/** An ALB Ingress as a user writes it: one rule whose `/*` path is the stable Service's action. */
function albIngress(name: string): KubeObject {
  const backend = { service: { name: `${name}-stable`, port: { name: 'use-annotation' } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, annotations: { [`${PREFIX}/scheme`]: 'internet-facing' } },
    spec: {
      ingressClassName: 'alb',
      rules: [{ http: { paths: [{ path: '/*', pathType: 'ImplementationSpecific', backend }] } }],
    },
  } as KubeObject;
}

interface TargetGroup {
  ServiceName: string;
  Weight?: number;
}

const annotationsOf = async (t: TrafficEnv, name: string) =>
  (await t.client.get(Resources.ingresses, t.namespace, name)).metadata?.annotations ?? {};

async function actionWeights(t: TrafficEnv, name: string): Promise<RoutedWeights> {
  const text = (await annotationsOf(t, name))[`${PREFIX}/actions.${name}-stable`];
  if (text === undefined) return { canary: undefined, stable: undefined };
  const groups = (JSON.parse(text) as { ForwardConfig: { TargetGroups: TargetGroup[] } }).ForwardConfig
    .TargetGroups;
  const of = (service: string) => groups.find((g) => g.ServiceName === service)?.Weight;
  return { canary: of(`${name}-canary`), stable: of(`${name}-stable`) };
}

function forward(name: string, canary: number): string {
  const group = (service: string, weight: number) => ({
    ServiceName: service,
    ServicePort: '80',
    Weight: weight,
  });
  const groups = [group(`${name}-canary`, canary), group(`${name}-stable`, 100 - canary)];
  return JSON.stringify({ Type: 'forward', ForwardConfig: { TargetGroups: groups } });
}

describeRouterScenario({
  name: 'alb',
  trafficRouting: (name) => ({ alb: { ingress: name, servicePort: 80 } }),
  setup: async (t, name) => {
    await t.client.create(Resources.ingresses, t.namespace, albIngress(name));
  },
  weights: actionWeights,
  handEdit: async (t, name) => {
    const body = { metadata: { annotations: { [`${PREFIX}/actions.${name}-stable`]: forward(name, 50) } } };
    await t.client.patch(Resources.ingresses, { namespace: t.namespace, name }, { type: 'merge', body });
  },
  cleanedUp: async (t, name) => {
    const w = await actionWeights(t, name);
    const annotations = await annotationsOf(t, name);
    return w.canary === 0 && w.stable === 100 && annotations[`${PREFIX}/scheme`] === 'internet-facing';
  },
  invalid: {
    name: 'alb-missing',
    routing: { alb: { ingress: 'no-such-ingress', servicePort: 80 } },
    message: 'InvalidSpec: spec.strategy.canary.trafficRouting.alb: Ingress "no-such-ingress" not found',
  },
});
