import { describe, expect, it } from 'vitest';
import { checkRollout, type Issue, type IssueKind } from '../../../src/api/index.js';
import { aRollout, edited, type Json } from './fixtures.js';

type Case = [name: string, edit: (r: Json) => void, path: string, message: string | RegExp, kind?: IssueKind];

const canary = (r: Json): Json => r.spec.strategy.canary;

const malformed: Case[] = [
  [
    'setWeight as a string',
    (r) => {
      canary(r).steps[2].setWeight = '40';
    },
    'spec.strategy.canary.steps[2].setWeight',
    'must be a number, got the string "40"',
  ],
  [
    'setWeight above 100',
    (r) => {
      canary(r).steps[2].setWeight = 120;
    },
    'spec.strategy.canary.steps[2].setWeight',
    'must be between 0 and 100, got 120',
  ],
  [
    'negative setWeight',
    (r) => {
      canary(r).steps[0].setWeight = -5;
    },
    'spec.strategy.canary.steps[0].setWeight',
    'must be between 0 and 100, got -5',
  ],
  [
    'replicas as an object',
    (r) => {
      r.spec.replicas = { count: 3 };
    },
    'spec.replicas',
    'must be a number, got an object',
  ],
  [
    'negative replicas',
    (r) => {
      r.spec.replicas = -1;
    },
    'spec.replicas',
    'must not be negative, got -1',
  ],
  [
    'step with two kinds',
    (r) => {
      canary(r).steps[1] = { setWeight: 10, pause: {} };
    },
    'spec.strategy.canary.steps[1]',
    'found setWeight and pause',
  ],
  [
    'empty step',
    (r) => {
      canary(r).steps[1] = {};
    },
    'spec.strategy.canary.steps[1]',
    'found none',
  ],
  [
    'pause duration without a valid unit',
    (r) => {
      canary(r).steps[1].pause.duration = '5 minutes';
    },
    'spec.strategy.canary.steps[1].pause.duration',
    /duration such as "30s"/,
  ],
  [
    'pause duration as a boolean',
    (r) => {
      canary(r).steps[1].pause.duration = true;
    },
    'spec.strategy.canary.steps[1].pause.duration',
    'must be an integer or a string, got boolean true',
  ],
  [
    'no strategy',
    (r) => {
      r.spec.strategy = {};
    },
    'spec.strategy',
    'set exactly one of canary or blueGreen',
  ],
  [
    'missing strategy',
    (r) => {
      delete r.spec.strategy;
    },
    'spec.strategy',
    'is required (an object)',
  ],
  [
    'missing selector',
    (r) => {
      delete r.spec.selector;
    },
    'spec.selector',
    /is required/,
  ],
  [
    'empty selector',
    (r) => {
      r.spec.selector = {};
    },
    'spec.selector',
    /must not be empty/,
  ],
  [
    'selector not matching template labels',
    (r) => {
      r.spec.selector.matchLabels.app = 'other';
    },
    'spec.template.metadata.labels',
    'must match spec.selector',
  ],
  [
    'bad selector operator',
    (r) => {
      r.spec.selector.matchExpressions = [{ key: 'app', operator: 'Equals' }];
    },
    'spec.selector.matchExpressions[0].operator',
    /must be one of In, NotIn/,
  ],
  [
    'missing template',
    (r) => {
      delete r.spec.template;
    },
    'spec.template',
    /is required/,
  ],
  [
    'template without containers',
    (r) => {
      r.spec.template.spec.containers = [];
    },
    'spec.template.spec.containers',
    'at least one container is required',
  ],
  [
    'progressDeadlineSeconds not above minReadySeconds',
    (r) => {
      r.spec.minReadySeconds = 700;
    },
    'spec.progressDeadlineSeconds',
    'must be greater than minReadySeconds (700), got 600',
  ],
  [
    'canaryService equals stableService',
    (r) => {
      canary(r).canaryService = 'demo-stable';
    },
    'spec.strategy.canary.stableService',
    /must differ from canaryService/,
  ],
  [
    'istio host split without canaryService',
    (r) => {
      delete canary(r).canaryService;
    },
    'spec.strategy.canary.canaryService',
    /is required with this trafficRouting/,
  ],
  [
    'maxSurge not a percentage',
    (r) => {
      canary(r).maxSurge = 'lots';
    },
    'spec.strategy.canary.maxSurge',
    /percentage like "25%"/,
  ],
  [
    'maxSurge as a float',
    (r) => {
      canary(r).maxSurge = 1.5;
    },
    'spec.strategy.canary.maxSurge',
    'must be an integer or a string, got number 1.5',
  ],
  [
    'maxSurge and maxUnavailable both zero',
    (r) => {
      canary(r).maxSurge = 0;
      canary(r).maxUnavailable = '0%';
    },
    'spec.strategy.canary.maxUnavailable',
    'maxSurge and maxUnavailable cannot both be 0',
  ],
  [
    'scaleDownDelaySeconds without trafficRouting',
    (r) => {
      delete canary(r).trafficRouting;
      canary(r).steps = [{ setWeight: 50 }];
      canary(r).scaleDownDelaySeconds = 10;
    },
    'spec.strategy.canary.scaleDownDelaySeconds',
    'scaleDownDelaySeconds can only be used with trafficRouting',
  ],
  [
    'setCanaryScale without trafficRouting',
    (r) => {
      delete canary(r).trafficRouting;
      canary(r).steps = [{ setCanaryScale: { replicas: 1 } }];
    },
    'spec.strategy.canary.steps[0].setCanaryScale',
    'setCanaryScale requires spec.strategy.canary.trafficRouting',
  ],
  [
    'setCanaryScale with two members',
    (r) => {
      canary(r).steps.push({ setCanaryScale: { weight: 10, replicas: 2 } });
    },
    'spec.strategy.canary.steps[4].setCanaryScale',
    'set exactly one of weight, replicas or matchTrafficWeight: true',
  ],
  [
    'maxTrafficWeight with istio',
    (r) => {
      canary(r).trafficRouting.maxTrafficWeight = 1000;
    },
    'spec.strategy.canary.trafficRouting.maxTrafficWeight',
    'maxTrafficWeight can only be used with nginx or plugins traffic routing',
  ],
  [
    'both virtualService and virtualServices',
    (r) => {
      canary(r).trafficRouting.istio.virtualServices = [{ name: 'x' }];
    },
    'spec.strategy.canary.trafficRouting.istio',
    /exactly one of virtualService or virtualServices/,
  ],
  [
    'same canary and stable subset',
    (r) => {
      canary(r).trafficRouting.istio.destinationRule = {
        name: 'dr',
        canarySubsetName: 's',
        stableSubsetName: 's',
      };
    },
    'spec.strategy.canary.trafficRouting.istio.destinationRule.stableSubsetName',
    'must differ from canarySubsetName',
  ],
  [
    'nginx without stableIngress',
    (r) => {
      canary(r).trafficRouting = { nginx: {} };
      canary(r).steps = [{ setWeight: 5 }];
    },
    'spec.strategy.canary.trafficRouting.nginx',
    /exactly one of stableIngress or stableIngresses/,
  ],
  [
    'empty trafficRouting',
    (r) => {
      canary(r).trafficRouting = {};
      canary(r).steps = [{ setWeight: 5 }];
    },
    'spec.strategy.canary.trafficRouting',
    /configure a traffic router/,
  ],
  [
    'analysis step without templates',
    (r) => {
      canary(r).steps[3].analysis.templates = [];
    },
    'spec.strategy.canary.steps[3].analysis.templates',
    /at least one template/,
  ],
  [
    'duplicate analysis arg',
    (r) => {
      canary(r).steps[3].analysis.args = [
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ];
    },
    'spec.strategy.canary.steps[3].analysis.args[1].name',
    'duplicate argument name "a"',
  ],
  [
    'bad podTemplateHashValue',
    (r) => {
      canary(r).steps[3].analysis.args = [{ name: 'h', valueFrom: { podTemplateHashValue: 'Newest' } }];
    },
    'spec.strategy.canary.steps[3].analysis.args[0].valueFrom.podTemplateHashValue',
    'must be Stable or Latest, got "Newest"',
  ],
  [
    'background analysis startingStep out of range',
    (r) => {
      canary(r).analysis = { templates: [{ templateName: 'x' }], startingStep: 9 };
    },
    'spec.strategy.canary.analysis.startingStep',
    'must be between 0 and the number of steps (4), got 9',
  ],
  [
    'gatewayAPI plugin without route',
    (r) => {
      canary(r).trafficRouting = { plugins: { 'argoproj-labs/gatewayAPI': { namespace: 'x' } } };
      canary(r).steps = [{ setWeight: 5 }];
    },
    'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]',
    /exactly one of httpRoute or httpRoutes/,
  ],
  [
    'gatewayAPI httpRoutes entry without name',
    (r) => {
      canary(r).trafficRouting = {
        plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ useHeaderRoutes: true }] } },
      };
      canary(r).steps = [{ setWeight: 5 }];
    },
    'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoutes[0].name',
    'is required (a string)',
  ],
  [
    'wrong apiVersion',
    (r) => {
      r.apiVersion = 'argoproj.io/v1';
    },
    'apiVersion',
    'must be "argoproj.io/v1alpha1", got the string "argoproj.io/v1"',
  ],
];

function check(raw: Json): Issue[] {
  return checkRollout(raw).issues;
}

describe('validateRollout: malformed Rollouts', () => {
  it('accepts the valid baseline', () => {
    expect(check(aRollout())).toEqual([]);
  });

  it.each(malformed)('%s', (_name, edit, path, message, kind = 'invalid') => {
    const issues = check(edited(aRollout(), edit));
    const match = issues.find((i) => i.path === path);
    expect(match, `no issue at ${path}; got ${JSON.stringify(issues)}`).toBeDefined();
    expect(match?.kind).toBe(kind);
    if (typeof message === 'string') expect(match?.message).toContain(message);
    else expect(match?.message).toMatch(message);
  });

  it('has a table of at least 25 malformed Rollouts', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(25);
  });
});
