import { describe, expect, it } from 'vitest';
import type { CanaryStep, Rollout } from '../../../src/api/index.js';
import type { ObservedAnalysisTemplates, RolloutSnapshot } from '../../../src/rollout/core/snapshot.js';
import { analysisPreflightIssues } from '../../../src/rollout/plan/analysis-preflight.js';
import { planWithReferences, REFERENCE_RECHECK_MS } from '../../../src/rollout/plan/reference-check.js';
import { aRollout } from './fixtures.js';
import { deployed, update } from './scenario-setup.js';

const PROM = { prometheus: { address: 'http://127.0.0.1:9090', query: 'vector(0)' } };

// biome-ignore lint/suspicious/noExplicitAny: templates are raw objects, some malformed on purpose
type Raw = Record<string, any>;

function template(name: string, spec: Raw): Raw {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name }, spec };
}

const metric = (extra: Raw = {}): Raw => ({
  name: 'm',
  successCondition: 'result[0] < 1',
  provider: PROM,
  ...extra,
});
const good = (name = 'good') => template(name, { metrics: [metric()] });

function observed(templates: Raw[], cluster?: Raw[]): ObservedAnalysisTemplates {
  const byName = (list: Raw[]) => new Map<string, unknown>(list.map((t) => [t.metadata.name, t]));
  return { namespaced: byName(templates), ...(cluster ? { cluster: byName(cluster) } : {}) };
}

const stepAnalysis = (templateName: string, extra: Raw = {}): CanaryStep => ({
  analysis: { templates: [{ templateName }], ...extra },
});

function canary(steps: CanaryStep[], background?: Raw): Rollout {
  const rollout = aRollout({ steps });
  if (background && rollout.spec.strategy.canary) rollout.spec.strategy.canary.analysis = background;
  return rollout;
}

const summary = (rollout: Rollout, seen: ObservedAnalysisTemplates) =>
  analysisPreflightIssues(rollout, seen).map((i) => `${i.kind} ${i.path}: ${i.message}`);

describe('analysis pre-flight', () => {
  it('accepts templates that exist and pass the lint check', () => {
    expect(summary(canary([stepAnalysis('good')]), observed([good()]))).toEqual([]);
  });

  it("reports a missing template at its reference, in Argo's words", () => {
    expect(summary(canary([{ setWeight: 10 }, stepAnalysis('nope')]), observed([]))).toEqual([
      'reference spec.strategy.canary.steps[1].analysis.templates: Invalid value: "nope": AnalysisTemplate \'nope\' not found',
    ]);
  });

  it("reports a missing background template in Argo's words (its e2e TestFixInvalidSpec)", () => {
    const background = { templates: [{ templateName: 'doesnt-exist-yet' }] };
    expect(summary(canary([], background), observed([]))).toEqual([
      'reference spec.strategy.canary.analysis.templates: Invalid value: "doesnt-exist-yet": AnalysisTemplate \'doesnt-exist-yet\' not found',
    ]);
  });

  it('leaves a scope it cannot read unchecked (ClusterAnalysisTemplates in a namespaced install)', () => {
    const rollout = canary([{ analysis: { templates: [{ templateName: 'c', clusterScope: true }] } }]);
    expect(summary(rollout, observed([]))).toEqual([]);
    expect(summary(rollout, observed([], []))).toEqual([
      'reference spec.strategy.canary.steps[0].analysis.templates: Invalid value: "c": ClusterAnalysisTemplate \'c\' not found',
    ]);
    expect(analysisPreflightIssues(rollout, undefined)).toEqual([]);
  });

  it.each<[string, Raw, RegExp]>([
    [
      'an unsupported provider',
      { datadog: { query: 'x' } },
      /^unsupported .*templates\[0\]: AnalysisTemplate 't': spec\.metrics\[0\]\.provider\.datadog is not supported by Vireo/,
    ],
    [
      'sigv4',
      { prometheus: { ...PROM.prometheus, authentication: { sigv4: { region: 'eu' } } } },
      /^unsupported .*spec\.metrics\[0\]\.provider\.prometheus\.authentication\.sigv4 is not supported/,
    ],
    [
      'web basicAuth',
      { web: { url: 'http://127.0.0.1/x', authentication: { basicAuth: { username: 'u', password: 'p' } } } },
      /^unsupported .*provider\.web\.authentication\.basicAuth is not supported/,
    ],
    [
      'an invalid judge configuration',
      { plugin: { 'vireo.dev/judge': {} } },
      /^reference .*AnalysisTemplate 't': spec\.metrics\[0\]\.provider\.plugin\["vireo\.dev\/judge"\]/,
    ],
  ])('reports %s with the template field path', (_name, provider, expected) => {
    const t = template('t', { metrics: [{ name: 'm', provider }] });
    const issues = summary(canary([stepAnalysis('t')]), observed([t]));
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue).toMatch(expected);
  });

  it('reports a condition that does not compile, with its position', () => {
    const t = template('t', { metrics: [metric({ successCondition: 'result[0] <' })] });
    expect(summary(canary([stepAnalysis('t')]), observed([t]))).toEqual([
      expect.stringMatching(
        /^reference spec\.strategy\.canary\.steps\[0\]\.analysis\.templates\[0\]: AnalysisTemplate 't': spec\.metrics\[0\]\.successCondition: .*\(line 1, column \d+\)$/,
      ),
    ]);
  });

  it("reports an argument nothing supplies in Argo's words; a Rollout value or valueFrom supplies it", () => {
    const t = template('t', { args: [{ name: 'svc' }], metrics: [metric()] });
    const seen = observed([t]);
    expect(summary(canary([stepAnalysis('t')]), seen)).toEqual([
      'reference spec.strategy.canary.steps[0].analysis.templates: Invalid value: "templateNames: [t]": args.svc was not resolved',
    ]);
    const value = stepAnalysis('t', { args: [{ name: 'svc', value: 'web' }] });
    const hash = stepAnalysis('t', {
      args: [{ name: 'svc', valueFrom: { podTemplateHashValue: 'Latest' } }],
    });
    expect(summary(canary([value, hash]), seen)).toEqual([]);
  });

  it('reports metrics named twice across the templates of one analysis', () => {
    const rollout = canary([{ analysis: { templates: [{ templateName: 'a' }, { templateName: 'b' }] } }]);
    expect(summary(rollout, observed([good('a'), good('b')]))).toEqual([
      `reference spec.strategy.canary.steps[0].analysis.templates: Invalid value: "templateNames: [a b]": two metrics have the same name 'm'`,
    ]);
  });

  it('follows spec.templates, naming the composing template', () => {
    const outer = template('outer', { templates: [{ templateName: 'inner' }] });
    expect(summary(canary([stepAnalysis('outer')]), observed([outer]))).toEqual([
      "reference spec.strategy.canary.steps[0].analysis.templates[0].templateName: AnalysisTemplate 'inner' not found (spec.templates[0] of AnalysisTemplate 'outer')",
    ]);
    const bad = template('inner', { metrics: [metric({ failureCondition: 'frobnicate(result)' })] });
    expect(summary(canary([stepAnalysis('outer')]), observed([outer, bad]))).toEqual([
      expect.stringContaining(
        "templates[0]: AnalysisTemplate 'inner' (spec.templates[0] of AnalysisTemplate 'outer'): spec.metrics[0].failureCondition",
      ),
    ]);
  });

  it('reports a template once however many analyses use it', () => {
    const t = template('t', { metrics: [metric({ successCondition: 'result <<' })] });
    const rollout = canary([stepAnalysis('t'), stepAnalysis('t')], { templates: [{ templateName: 't' }] });
    expect(analysisPreflightIssues(rollout, observed([t])).map((i) => i.path)).toEqual([
      'spec.strategy.canary.steps[0].analysis.templates[0]',
    ]);
  });

  it('refuses a step metric that runs indefinitely, as Argo; background analysis may', () => {
    const endless = template('endless', { metrics: [metric({ interval: '5s' })] });
    const seen = observed([endless]);
    expect(summary(canary([], { templates: [{ templateName: 'endless' }] }), seen)).toEqual([]);
    expect(summary(canary([stepAnalysis('endless')]), seen)).toEqual([
      'reference spec.strategy.canary.steps[0].analysis.templates: Invalid value: "endless": AnalysisTemplate endless has metric m which runs indefinitely. Invalid value for count: <nil>',
    ]);
    const counted = template('endless', {
      metrics: [metric({ interval: '5s', count: '{{args.n}}' })],
      args: [{ name: 'n', value: '3' }],
    });
    expect(summary(canary([stepAnalysis('endless')]), observed([counted]))).toEqual([]);
  });

  it('checks blue-green pre/post-promotion and experiment-step analyses', () => {
    const blueGreen = aRollout();
    blueGreen.spec.strategy = {
      blueGreen: {
        activeService: 'a',
        prePromotionAnalysis: { templates: [{ templateName: 'pre' }] },
        postPromotionAnalysis: { templates: [{ templateName: 'good' }] },
      },
    };
    expect(summary(blueGreen, observed([good()]))).toEqual([
      'reference spec.strategy.blueGreen.prePromotionAnalysis.templates: Invalid value: "pre": AnalysisTemplate \'pre\' not found',
    ]);
    const experiment: CanaryStep = {
      experiment: {
        templates: [{ name: 'canary', specRef: 'canary' }],
        analyses: [
          { name: 'a', templateName: 'good' },
          { name: 'b', templateName: 'exp', clusterScope: true },
        ],
      },
    };
    expect(summary(canary([experiment]), observed([good()], []))).toEqual([
      "reference spec.strategy.canary.steps[0].experiment.analyses[1].templateName: ClusterAnalysisTemplate 'exp' not found",
    ]);
  });
});

describe('pre-flight in the plan', () => {
  const steps = [{ setWeight: 20 }, stepAnalysis('t'), { pause: {} }];
  const withTemplates = (s: RolloutSnapshot, list: Raw[]): RolloutSnapshot => ({
    ...s,
    analysisTemplates: observed(list),
  });

  it('holds a first deploy before any ReplicaSet exists, and proceeds once the template exists', () => {
    const world = deployed(aRollout({ steps: [] }));
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, strategy: { canary: { steps } } } };
    const snapshot = { ...world.snapshot(), replicaSets: [], analysisTemplates: observed([]) };
    const held = planWithReferences(snapshot);
    expect(held.actions).toEqual([]);
    expect(held.requeueAfterMs).toBe(REFERENCE_RECHECK_MS);
    expect(held.status.phase).toBe('Degraded');
    expect(held.status.message).toBe(
      'InvalidSpec: spec.strategy.canary.steps[1].analysis.templates: Invalid value: "t": AnalysisTemplate \'t\' not found',
    );
    const fixed = planWithReferences(
      withTemplates({ ...snapshot, rollout: { ...snapshot.rollout, status: held.status } }, [good('t')]),
    );
    expect(fixed.actions.map((a) => a.kind)).toContain('createReplicaSet');
    expect(fixed.status.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
  });

  it('freezes an update in progress when a template turns bad (no scaling, no step), as Argo', () => {
    const world = deployed(aRollout({ steps }));
    update(world, 'demo:v2');
    const bad = template('t', { metrics: [metric({ provider: { newRelic: { query: 'x' } } })] });
    const plan = planWithReferences(withTemplates(world.snapshot(), [bad]));
    expect(plan.actions).toEqual([]);
    expect(plan.status.message).toMatch(
      /^InvalidSpec: spec\.strategy\.canary\.steps\[1\]\.analysis\.templates\[0\]: .*newRelic is not supported/,
    );
  });
});
