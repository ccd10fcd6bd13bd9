import { routedRollout } from './analysis.js';

/**
 * What a malformed Rollout must produce: the API server's refusal naming the field (`api`), or the
 * controller's `InvalidSpec` condition naming the field path (`condition`). `lint` (when set) is what
 * `kubectl vireo lint` prints for the same manifest, after the line number.
 */
export interface BadRollout {
  name: string;
  edit: (r: Rollout) => void;
  api?: RegExp;
  condition?: RegExp;
  lint?: RegExp;
}

// biome-ignore lint/suspicious/noExplicitAny: the cases break the shape on purpose
export type Rollout = Record<string, any>;

const canary = (r: Rollout) => r.spec.strategy.canary;
const steps =
  (...s: object[]) =>
  (r: Rollout) => {
    canary(r).steps = s;
  };
const nested = (depth: number): unknown => (depth === 0 ? 'x' : { deeper: [nested(depth - 1)] });

/** The malformed Rollouts, one per way of being wrong. */
export const BAD_ROLLOUTS: BadRollout[] = [
  { name: 'weight-negative', edit: steps({ setWeight: -10 }), condition: /steps\[0\]\.setWeight/ },
  { name: 'weight-over-100', edit: steps({ setWeight: 150 }), condition: /steps\[0\]\.setWeight/ },
  { name: 'weight-string', edit: steps({ setWeight: 'fifty' }), api: /setWeight/ },
  { name: 'weight-float', edit: steps({ setWeight: 12.5 }), api: /setWeight/ },
  {
    name: 'unknown-step-kind',
    edit: steps({ setWeight: 10 }, { teleport: { to: 'prod' } }),
    condition: /steps\[1\]/,
  },
  { name: 'two-kinds-in-a-step', edit: steps({ setWeight: 10, pause: {} }), condition: /steps\[0\]/ },
  {
    name: 'pause-bad-duration',
    edit: steps({ pause: { duration: 'soon' } }),
    condition: /steps\[0\]\.pause\.duration/,
  },
  {
    name: 'pause-negative',
    edit: steps({ pause: { duration: '-5s' } }),
    condition: /steps\[0\]\.pause\.duration/,
  },
  {
    name: 'steps-not-a-list',
    edit: (r) => {
      canary(r).steps = 'all of them';
    },
    api: /steps/,
  },
  {
    name: 'replicas-negative',
    edit: (r) => {
      r.spec.replicas = -1;
    },
    api: /\.spec\.replicas: Invalid value: -1/,
    condition: /spec\.replicas/,
  },
  {
    name: 'replicas-string',
    edit: (r) => {
      r.spec.replicas = 'four';
    },
    api: /replicas/,
  },
  {
    name: 'no-strategy',
    edit: (r) => {
      r.spec.strategy = {};
    },
    condition: /spec\.strategy/,
  },
  {
    name: 'both-strategies',
    edit: (r) => {
      r.spec.strategy.blueGreen = { activeService: 'x' };
    },
    condition: /spec\.strategy/,
  },
  {
    name: 'selector-mismatch',
    edit: (r) => {
      r.spec.selector = { matchLabels: { app: 'other' } };
    },
    condition: /spec\.template\.metadata\.labels/,
  },
  {
    name: 'selector-bad-operator',
    edit: (r) => {
      r.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Like', values: ['a'] }] };
    },
    condition: /spec\.selector\.matchExpressions\[0\]\.operator/,
  },
  {
    name: 'no-containers',
    edit: (r) => {
      r.spec.template.spec.containers = [];
    },
    condition: /containers/,
  },
  {
    name: 'deadline-below-min-ready',
    edit: (r) => Object.assign(r.spec, { minReadySeconds: 30, progressDeadlineSeconds: 10 }),
    condition: /spec\.progressDeadlineSeconds/,
  },
  {
    name: 'max-surge-junk',
    edit: (r) => {
      canary(r).maxSurge = 'lots%';
    },
    condition: /maxSurge/,
  },
  {
    name: 'both-surge-zero',
    edit: (r) => Object.assign(canary(r), { maxSurge: 0, maxUnavailable: 0 }),
    condition: /maxUnavailable|maxSurge/,
  },
  {
    name: 'canary-scale-over-100',
    edit: steps({ setCanaryScale: { weight: 500 } }),
    condition: /steps\[0\]\.setCanaryScale/,
  },
  {
    name: 'analysis-no-templates',
    edit: steps({ analysis: { templates: [] } }),
    condition: /steps\[0\]\.analysis/,
  },
  {
    name: 'missing-service',
    edit: (r) => {
      canary(r).canaryService = 'ghost-svc';
    },
    condition: /canaryService.*"ghost-svc"/,
  },
  {
    name: 'missing-virtualservice',
    edit: (r) => {
      canary(r).trafficRouting.istio.virtualService.name = 'ghost-vs';
    },
    condition: /trafficRouting\.istio.*VirtualService "ghost-vs" not found/,
  },
  {
    name: 'routing-without-services',
    edit: (r) => {
      delete canary(r).canaryService;
      delete canary(r).stableService;
    },
    condition: /canaryService|stableService/,
  },
  {
    name: 'vireo-failure-action-unknown',
    edit: (r) => {
      r.metadata.annotations = { 'vireo.dev/analysis-failure-action': 'rollback' };
    },
    condition: /metadata\.annotations\["vireo\.dev\/analysis-failure-action"\]: must be "abort" or "pause"/,
  },
  {
    name: 'vireo-capacity-not-boolean',
    edit: (r) => {
      r.metadata.annotations = { 'vireo.dev/capacity-aware-rollback': 'yes' };
    },
    condition: /metadata\.annotations\["vireo\.dev\/capacity-aware-rollback"\]: must be "true" or "false"/,
  },
  { name: 'deep-junk-weight', edit: steps({ setWeight: nested(40) }), api: /setWeight/ },
  {
    name: 'odd-unicode-route',
    edit: (r) => {
      canary(r).trafficRouting.istio.virtualService.routes = ['\u202eyrammirp\u0000'];
    },
    condition: /trafficRouting\.istio.*VirtualService ".*steady"/,
  },
];

/**
 * The manifest of case `c`: an Istio-routed canary Rollout `bad-<name>` pointing at the steady app's
 * Services and VirtualService (so a wrong write would show on them), broken by the case's edit.
 */
export function badRolloutManifest(c: BadRollout): Rollout {
  const copy = structuredClone(
    routedRollout(`bad-${c.name}`, 'registry.local/bad:1.0.0', [{ setWeight: 20 }, { pause: {} }]),
  ) as Rollout;
  copy.spec.strategy.canary.canaryService = 'steady-canary';
  copy.spec.strategy.canary.stableService = 'steady-stable';
  copy.spec.strategy.canary.trafficRouting.istio.virtualService.name = 'steady';
  c.edit(copy);
  return copy;
}
