/**
 * The valid and malformed fixtures of the API unit tests (validate-rollout, validate-analysis, unsupported)
 * as data, for the compatibility oracle: each case is the baseline `aRollout()` / `aTemplate()` with a set
 * of field edits. Names match the table tests they mirror.
 */
import { aHeaderRouteStep, aRollout, aTemplate, type Json } from './fixtures.js';

/**
 * Field edits applied in order: a dotted path (numbers index lists) to its new value; `undefined`
 * deletes the field.
 */
export type Edits = Readonly<Record<string, unknown>>;

/** What our validator says about a fixture: nothing, or at least one issue of this kind. */
export type Expected = 'valid' | 'invalid' | 'unsupported';

/** One fixture: a name, the baseline it starts from, its edits and our expected verdict. */
export interface Case {
  name: string;
  base: () => Json;
  edits: Edits;
  expected: Expected;
}

/** Applies `edits` to a deep copy of `base`. */
export function applyEdits(base: Json, edits: Edits): Json {
  const copy = structuredClone(base);
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let target: Json = copy;
    for (const key of keys) target = target[key];
    if (value === undefined) delete target[last];
    else target[last] = structuredClone(value);
  }
  return copy;
}

const c = (path: string): string => `spec.strategy.canary.${path}`;
const m = (path: string): string => `spec.metrics.0.${path}`;
const onlyStep = { [c('steps')]: [{ setWeight: 5 }] };
const gateway = (config: Json): Edits => ({
  [c('trafficRouting')]: { plugins: { 'argoproj-labs/gatewayAPI': config } },
  ...onlyStep,
});
const headerStep = aHeaderRouteStep();
const router = (name: string, config: Json): Edits => ({ [c(`trafficRouting.${name}`)]: config });

const pingPong = {
  [c('pingPong')]: { pingService: 'a', pongService: 'b' },
  [c('canaryService')]: undefined,
  [c('stableService')]: undefined,
};

const validRollouts: Record<string, Edits> = {
  'valid baseline': {},
  ALB: router('alb', { ingress: 'i', servicePort: 80 }),
  SMI: router('smi', { rootService: 'x' }),
  Traefik: router('traefik', { weightedTraefikServiceName: 'x' }),
  Ambassador: router('ambassador', { mappings: ['m'] }),
  APISIX: router('apisix', { route: { name: 'r' } }),
  AppMesh: router('appMesh', {
    virtualService: { name: 'x' },
    virtualNodeGroup: { canaryVirtualNodeRef: { name: 'c' }, stableVirtualNodeRef: { name: 's' } },
  }),
  pingPong,
  'pingPong with the Gateway API plugin': { ...pingPong, ...gateway({ httpRoute: 'h' }) },
  rollbackWindow: { 'spec.rollbackWindow': { revisions: 3 } },
  'dynamicStableScale: false': { [c('dynamicStableScale')]: false },
  dynamicStableScale: { [c('dynamicStableScale')]: true },
  scaleDownDelayRevisionLimit: { [c('scaleDownDelayRevisionLimit')]: 1 },
  replicaProgressThreshold: { [c('replicaProgressThreshold')]: { type: 'Percent', value: 90 } },
  'replicaProgressThreshold in pods': { [c('replicaProgressThreshold')]: { type: 'Pods', value: 2 } },
  antiAffinity: { [c('antiAffinity')]: { requiredDuringSchedulingIgnoredDuringExecution: {} } },
  'preferred antiAffinity': {
    [c('antiAffinity')]: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } },
  },
  'minPodsPerReplicaSet with dynamicStableScale': {
    [c('dynamicStableScale')]: true,
    [c('minPodsPerReplicaSet')]: 2,
  },
  'background analysis': {
    [c('analysis')]: { templates: [{ templateName: 'error-rate' }], startingStep: 2 },
  },
  'setHeaderRoute step': { [c('steps.4')]: headerStep },
  'setMirrorRoute step': { [c('steps.4')]: { setMirrorRoute: { name: 'header', percentage: 10 } } },
  'experiment step': {
    [c('steps.4')]: {
      experiment: {
        duration: '1m',
        templates: [
          { name: 'baseline', specRef: 'stable', weight: 5 },
          { name: 'canary', specRef: 'canary', weight: 5, replicas: 1 },
        ],
        analyses: [{ name: 'check', templateName: 'error-rate', args: [{ name: 'a', value: 'b' }] }],
      },
    },
  },
  'blueGreen previewMetadata and activeMetadata': {
    'spec.strategy': {
      blueGreen: {
        activeService: 'a',
        previewMetadata: { labels: { role: 'preview' } },
        activeMetadata: { labels: { role: 'active' }, annotations: { 'example.com/tier': 'live' } },
      },
    },
  },
  workloadRef: {
    'spec.template': undefined,
    'spec.workloadRef': { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', scaleDown: 'progressively' },
  },
  'workloadRef without selector': {
    'spec.template': undefined,
    'spec.selector': undefined,
    'spec.workloadRef': { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs' },
  },
};

/** validate-rollout.test.ts */
const malformedRollouts: Record<string, Edits> = {
  'appMesh without virtualNodeGroup': router('appMesh', { virtualService: { name: 'x' } }),
  'pingPong with canaryService and stableService': {
    [c('pingPong')]: { pingService: 'a', pongService: 'b' },
  },
  'pingPong with the same Service twice': {
    ...pingPong,
    [c('pingPong')]: { pingService: 'a', pongService: 'a' },
  },
  'dynamicStableScale without trafficRouting': {
    [c('trafficRouting')]: undefined,
    [c('steps')]: [{ setWeight: 50 }],
    [c('dynamicStableScale')]: true,
  },
  'dynamicStableScale with scaleDownDelaySeconds': {
    [c('dynamicStableScale')]: true,
    [c('scaleDownDelaySeconds')]: 30,
  },
  'antiAffinity with both members': {
    [c('antiAffinity')]: {
      requiredDuringSchedulingIgnoredDuringExecution: {},
      preferredDuringSchedulingIgnoredDuringExecution: { weight: 1 },
    },
  },
  'antiAffinity weight above 100': {
    [c('antiAffinity')]: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 101 } },
  },
  'scaleDownDelayRevisionLimit above revisionHistoryLimit': {
    'spec.revisionHistoryLimit': 2,
    [c('scaleDownDelayRevisionLimit')]: 3,
  },
  'replicaProgressThreshold of an unknown type': {
    [c('replicaProgressThreshold')]: { type: 'Ratio', value: 1 },
  },
  'workloadRef with a template': {
    'spec.workloadRef': { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
  },
  'workloadRef of an unsupported kind': {
    'spec.template': undefined,
    'spec.workloadRef': { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'd' },
  },
  'workloadRef with an unknown scaleDown': {
    'spec.template': undefined,
    'spec.workloadRef': { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', scaleDown: 'always' },
  },
  'header route not in managedRoutes': {
    [c('steps.4')]: { setHeaderRoute: { ...headerStep.setHeaderRoute, name: 'other' } },
  },
  'header match with two string matches': {
    [c('steps.4')]: headerStep,
    [c('steps.4.setHeaderRoute.match.0.headerValue')]: { exact: 'a', prefix: 'b' },
  },
  'header route with nginx': {
    [c('trafficRouting')]: { nginx: { stableIngress: 'demo' }, managedRoutes: [{ name: 'header' }] },
    [c('steps.4')]: headerStep,
  },
  'mirror percentage above 100': { [c('steps.4')]: { setMirrorRoute: { name: 'header', percentage: 150 } } },
  'setWeight as a string': { [c('steps.2.setWeight')]: '40' },
  'setWeight above 100': { [c('steps.2.setWeight')]: 120 },
  'negative setWeight': { [c('steps.0.setWeight')]: -5 },
  'replicas as an object': { 'spec.replicas': { count: 3 } },
  'negative replicas': { 'spec.replicas': -1 },
  'step with two kinds': { [c('steps.1')]: { setWeight: 10, pause: {} } },
  'empty step': { [c('steps.1')]: {} },
  'pause duration without a valid unit': { [c('steps.1.pause.duration')]: '5 minutes' },
  'pause duration as a boolean': { [c('steps.1.pause.duration')]: true },
  'no strategy': { 'spec.strategy': {} },
  'missing strategy': { 'spec.strategy': undefined },
  'missing selector': { 'spec.selector': undefined },
  'empty selector': { 'spec.selector': {} },
  'selector not matching template labels': { 'spec.selector.matchLabels.app': 'other' },
  'bad selector operator': { 'spec.selector.matchExpressions': [{ key: 'app', operator: 'Equals' }] },
  'missing template': { 'spec.template': undefined },
  'template without containers': { 'spec.template.spec.containers': [] },
  'progressDeadlineSeconds not above minReadySeconds': { 'spec.minReadySeconds': 700 },
  'canaryService equals stableService': { [c('canaryService')]: 'demo-stable' },
  'istio host split without canaryService': { [c('canaryService')]: undefined },
  'maxSurge not a percentage': { [c('maxSurge')]: 'lots' },
  'maxSurge as a float': { [c('maxSurge')]: 1.5 },
  'maxSurge and maxUnavailable both zero': { [c('maxSurge')]: 0, [c('maxUnavailable')]: '0%' },
  'scaleDownDelaySeconds without trafficRouting': {
    [c('trafficRouting')]: undefined,
    [c('steps')]: [{ setWeight: 50 }],
    [c('scaleDownDelaySeconds')]: 10,
  },
  'setCanaryScale without trafficRouting': {
    [c('trafficRouting')]: undefined,
    [c('steps')]: [{ setCanaryScale: { replicas: 1 } }],
  },
  'setCanaryScale with two members': { [c('steps.4')]: { setCanaryScale: { weight: 10, replicas: 2 } } },
  'maxTrafficWeight with istio': { [c('trafficRouting.maxTrafficWeight')]: 1000 },
  'both virtualService and virtualServices': { [c('trafficRouting.istio.virtualServices')]: [{ name: 'x' }] },
  'same canary and stable subset': {
    [c('trafficRouting.istio.destinationRule')]: { name: 'dr', canarySubsetName: 's', stableSubsetName: 's' },
  },
  'nginx without stableIngress': { [c('trafficRouting')]: { nginx: {} }, ...onlyStep },
  'empty trafficRouting': { [c('trafficRouting')]: {}, ...onlyStep },
  'analysis step without templates': { [c('steps.3.analysis.templates')]: [] },
  'duplicate analysis arg': {
    [c('steps.3.analysis.args')]: [
      { name: 'a', value: '1' },
      { name: 'a', value: '2' },
    ],
  },
  'bad podTemplateHashValue': {
    [c('steps.3.analysis.args')]: [{ name: 'h', valueFrom: { podTemplateHashValue: 'Newest' } }],
  },
  'background analysis startingStep out of range': {
    [c('analysis')]: { templates: [{ templateName: 'x' }], startingStep: 9 },
  },
  'gatewayAPI plugin without route': gateway({ namespace: 'x' }),
  'gatewayAPI httpRoutes entry without name': gateway({ httpRoutes: [{ useHeaderRoutes: true }] }),
  'wrong apiVersion': { apiVersion: 'argoproj.io/v1' },
};

/** unsupported.test.ts */
const unsupportedRollouts: Record<string, Edits> = {
  'another router plugin': router('plugins', { 'argoproj-labs/contour': { httpProxy: 'x' } }),
  'gatewayAPI grpcRoute': gateway({ httpRoute: 'h', grpcRoute: 'g' }),
  'plugin step': { [c('steps.4')]: { plugin: { name: 'argoproj-labs/step-exec', config: {} } } },
};

const metric0 = aTemplate().spec.metrics[0];

const validTemplates: Record<string, Edits> = {
  'valid baseline': {},
  rollbackWindow: { 'spec.rollbackWindow': { revisions: 3 } },
  ClusterAnalysisTemplate: { kind: 'ClusterAnalysisTemplate' },
  '{{args}} placeholders': {
    [m('count')]: '{{args.count}}',
    [m('failureLimit')]: '{{args.limit}}',
    [m('initialDelay')]: '{{args.delay}}',
  },
  'failureLimit -1 with consecutiveSuccessLimit': {
    [m('failureLimit')]: -1,
    [m('consecutiveSuccessLimit')]: 3,
  },
  'dry-run rule with composed templates': {
    'spec.templates': [{ templateName: 'base' }],
    'spec.dryRun': [{ metricName: 'from-base' }],
  },
};

/** validate-analysis.test.ts */
const malformedTemplates: Record<string, Edits> = {
  'no metrics': { 'spec.metrics': [] },
  'duplicate metric names': { 'spec.metrics.1': metric0 },
  'metric without provider': { [m('provider')]: undefined },
  'two providers': { [m('provider.web')]: { url: 'http://x' } },
  'interval without unit': { [m('interval')]: '60' },
  'count above 1 without interval': { [m('interval')]: undefined },
  'count below failureLimit': { [m('failureLimit')]: 7 },
  'count not an integer string': { [m('count')]: 'five' },
  'count as a float': { [m('count')]: 2.5 },
  'failureLimit -1 without consecutiveSuccessLimit': { [m('failureLimit')]: -1 },
  'negative inconclusiveLimit': { [m('inconclusiveLimit')]: -2 },
  'prometheus without query': { [m('provider.prometheus.query')]: undefined },
  'web with a bad method': { [m('provider')]: { web: { url: 'http://x', method: 'DELETE' } } },
  'web body with GET': { [m('provider')]: { web: { url: 'http://x', body: '{}' } } },
  'web without url': { [m('provider')]: { web: { method: 'GET' } } },
  'job without pod template': { [m('provider')]: { job: { spec: { backoffLimit: 1 } } } },
  'argument with value and valueFrom': {
    'spec.args': [{ name: 'a', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
  },
  'dryRun rule matching no metric': { 'spec.dryRun': [{ metricName: 'latency' }] },
  'negative measurementRetention limit': {
    'spec.measurementRetention': [{ metricName: 'error-rate', limit: -1 }],
  },
};

/** validate-analysis.test.ts: unsupported metric providers */
const unsupportedTemplates: Record<string, Edits> = {
  datadog: { [m('provider')]: { datadog: { query: 'avg:x' } } },
  newRelic: { [m('provider')]: { newRelic: { query: 'SELECT 1' } } },
  cloudWatch: { [m('provider')]: { cloudWatch: { metricDataQueries: [] } } },
  kayenta: { [m('provider')]: { kayenta: { address: 'http://k' } } },
  plugin: { [m('provider')]: { plugin: { 'argoproj-labs/sample': {} } } },
};

function cases(base: () => Json, tables: Record<Expected, Record<string, Edits>>): Case[] {
  return Object.entries(tables).flatMap(([expected, table]) =>
    Object.entries(table).map(([name, edits]) => ({ name, base, edits, expected: expected as Expected })),
  );
}

/** Rollout fixtures: the baseline, the malformed table and the unsupported-feature table. */
export const rolloutCases: Case[] = cases(aRollout, {
  valid: validRollouts,
  invalid: malformedRollouts,
  unsupported: unsupportedRollouts,
});

/** (Cluster)AnalysisTemplate fixtures: valid variants, the malformed table and unsupported providers. */
export const templateCases: Case[] = cases(aTemplate, {
  valid: validTemplates,
  invalid: malformedTemplates,
  unsupported: unsupportedTemplates,
});
