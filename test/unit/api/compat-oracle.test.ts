/**
 * Compatibility oracle: every Argo manifest under examples/ and every fixture of the API unit tests goes
 * through our validator and through `@kubernetes-models/argo-rollouts` (models generated from the Go types
 * of Argo Rollouts v1.9; `validate()` checks JSON types and required fields, nothing semantic).
 *
 * Rules:
 * - what Argo's model rejects, we reject too;
 * - what Argo's model accepts, we accept, unless we report it `unsupported` (a feature Vireo lacks) or it
 *   is listed below as a deliberate difference with a one-line reason;
 * - every rejection carries a reason: a field path and a message.
 *
 * Reasons are prefixed: `argo:` Argo's controller rejects it too (InvalidSpec from validation.go, or
 * ValidateMetrics / a measurement error for analysis), a semantic rule the model cannot express;
 * `vireo:` Vireo is stricter than Argo on purpose.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { ClusterAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/ClusterAnalysisTemplate';
import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { describe, expect, it } from 'vitest';
import { checkAnalysisTemplate, checkRollout, type Issue } from '../../../src/api/index.js';
import { applyEdits, type Case, rolloutCases, templateCases } from './compat-cases.js';
import { type Json, loadYaml, repoRoot } from './fixtures.js';

/** Rollout fixtures that Argo's model accepts and Vireo rejects as `invalid`. */
const deliberateRollout: Readonly<Record<string, string>> = {
  'background analysis startingStep out of range':
    'vireo: a startingStep past the last step would never start the background run',
  'setWeight above 100': 'argo: InvalidSetWeightMessage (0..maxTrafficWeight); the model has no bounds',
  'negative setWeight': 'argo: InvalidSetWeightMessage (0..maxTrafficWeight); the model has no bounds',
  'negative replicas': 'argo: ValidateNonnegativeField(spec.replicas); the model has no minimum',
  'step with two kinds': 'argo: InvalidStepMessage (exactly one kind per step)',
  'empty step': 'argo: InvalidStepMessage (a step needs one kind)',
  'pause duration without a valid unit': 'argo: InvalidDurationMessage (DurationSeconds() is -1)',
  'no strategy': 'argo: MissingFieldMessage (.spec.strategy.canary or .spec.strategy.blueGreen)',
  'missing strategy': 'argo: MissingFieldMessage (canary or blueGreen); optional in the model',
  'missing selector': 'argo: MissingFieldMessage(.spec.selector); optional in the model for workloadRef',
  'empty selector': 'argo: "empty selector is invalid for deployment"',
  'selector not matching template labels': 'argo: ValidatePodTemplateSpecForReplicaSet (selector must match)',
  'bad selector operator': 'argo: ValidateLabelSelector; the model types the operator as a free string',
  'missing template': 'argo: ValidatePodTemplateSpecForReplicaSet; optional in the model for workloadRef',
  'template without containers': 'argo: ValidatePodTemplateSpecForReplicaSet (containers required)',
  'progressDeadlineSeconds not above minReadySeconds': 'argo: "must be greater than minReadySeconds"',
  'canaryService equals stableService': 'argo: DuplicatedServicesCanaryMessage',
  'appMesh without virtualNodeGroup':
    "vireo: Argo's App Mesh router needs both VirtualNodes (a nil group fails at reconcile); optional in the model",
  'pingPong with canaryService and stableService':
    'vireo: Argo accepts both pairs and lets each router pick one (#3628); Vireo asks for one',
  'pingPong with the same Service twice': 'argo: DuplicatedPingPongServicesMessage',
  'istio host split without canaryService':
    'argo: InvalidTrafficRoutingMessage (requireCanaryStableServices)',
  'maxSurge not a percentage':
    'vireo: int-or-string in the model; "lots" is neither a count nor a percentage',
  'maxSurge and maxUnavailable both zero': 'argo: InvalidMaxSurgeMaxUnavailable',
  'scaleDownDelaySeconds without trafficRouting': 'argo: InvalidCanaryScaleDownDelay',
  'setCanaryScale without trafficRouting': 'argo: InvalidSetCanaryScaleTrafficPolicy',
  'setCanaryScale with two members': 'vireo: ambiguous; Argo silently lets one member win',
  'maxTrafficWeight with istio': 'argo: InvalidCanaryMaxWeightOnlySupportInNginxAndPlugins',
  'both virtualService and virtualServices': 'argo: ValidateRolloutVirtualServicesConfig (references)',
  'same canary and stable subset': 'vireo: one subset for both sides cannot split traffic',
  'nginx without stableIngress': 'argo: "Either StableIngress or StableIngresses must be configured"',
  'empty trafficRouting': 'vireo: trafficRouting without a router would route nothing',
  'analysis step without templates': 'vireo: an analysis step without templates has nothing to measure',
  'duplicate analysis arg': 'argo: MergeArgs fails at AnalysisRun creation ("specified multiple times")',
  'bad podTemplateHashValue': 'vireo: only Stable and Latest exist; the model types it as a free string',
  'gatewayAPI plugin without route':
    'vireo: plugin config is opaque JSON to the model; the plugin needs a route',
  'gatewayAPI httpRoutes entry without name': 'vireo: plugin config is opaque JSON to the model',
  'header route not in managedRoutes': 'argo: the step name must be listed in trafficRouting.managedRoutes',
  'header match with two string matches': 'argo: InvalidStringMatchMultipleValuePolicy',
  'header route with nginx': 'argo: setHeaderRoute needs a router that supports it (istio, plugins)',
  'workloadRef with a template': 'argo: "template must be empty for workload reference rollout"',
  'workloadRef of an unsupported kind':
    'argo: InvalidWorkloadRef "workload of type apps/StatefulSet is not supported"',
  'workloadRef with an unknown scaleDown':
    'vireo: Argo treats an unknown scaleDown as never; the model types it as a free string',
  'mirror percentage above 100': 'vireo: a mirrored share above 100% means nothing; the model has no bounds',
  'dynamicStableScale without trafficRouting': 'argo: InvalidCanaryDynamicStableScale',
  'dynamicStableScale with scaleDownDelaySeconds': 'argo: InvalidCanaryDynamicStableScaleWithScaleDownDelay',
  'antiAffinity with both members': 'argo: InvalidAntiAffinityStrategyMessage (exactly one strategy)',
  'antiAffinity weight above 100': 'argo: InvalidAntiAffinityWeightMessage (1-100)',
  'scaleDownDelayRevisionLimit above revisionHistoryLimit': 'argo: ScaleDownLimitLargerThanRevisionLimit',
  'replicaProgressThreshold of an unknown type':
    'vireo: Argo treats an unknown type as Pods; the model types it as a free string',
};

/** (Cluster)AnalysisTemplate fixtures that Argo's model accepts and Vireo rejects as `invalid`. */
const deliberateTemplate: Readonly<Record<string, string>> = {
  'no metrics': 'argo: ValidateMetrics "no metrics specified"',
  'duplicate metric names': 'argo: ValidateMetrics "duplicate name"',
  'two providers': 'argo: ValidateMetric "multiple providers specified"',
  'interval without unit': 'argo: ValidateMetric "invalid interval string"',
  'count above 1 without interval': 'argo: ValidateMetric "interval must be specified when count > 1"',
  'count below failureLimit':
    'argo: ValidateMetric "count must be >= failureLimit + consecutiveSuccessLimit"',
  'count not an integer string': 'vireo: Argo\'s intstr IntValue() silently reads "five" as 0',
  'failureLimit -1 without consecutiveSuccessLimit': 'argo: ValidateMetric "cannot both be disabled"',
  'negative inconclusiveLimit': 'argo: ValidateMetric "inconclusiveLimit must be >= 0"',
  'prometheus without query':
    'vireo: a Prometheus metric without a query cannot measure; optional in the model',
  'web with a bad method': 'vireo: only GET, POST and PUT; the model types the method as a free string',
  'web body with GET': 'argo: measurement error "Body/JSONBody can only be used with POST or PUT"',
  'argument with value and valueFrom': 'vireo: ambiguous argument; the model cannot express one-of',
  'dryRun rule matching no metric': 'argo: GetDryRunMetrics "Rule didn\'t match any metric name(s)"',
  'negative measurementRetention limit':
    'vireo: a negative retention limit has no meaning; no minimum in the model',
};

type Model = { validate(): void };

const MODELS: Readonly<Record<string, (doc: Json) => Model>> = {
  Rollout: (doc) => new Rollout(doc as Rollout),
  AnalysisTemplate: (doc) => new AnalysisTemplate(doc as AnalysisTemplate),
  ClusterAnalysisTemplate: (doc) => new ClusterAnalysisTemplate(doc as ClusterAnalysisTemplate),
};

/** Argo's model verdict: `undefined` if it accepts `doc`, else its error message. */
function argoRejection(doc: Json): string | undefined {
  const make = MODELS[doc.kind];
  if (make === undefined) throw new Error(`no Argo model for kind ${String(doc.kind)}`);
  try {
    make(doc).validate();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function vireoIssues(doc: Json): Issue[] {
  return doc.kind === 'Rollout' ? checkRollout(doc).issues : checkAnalysisTemplate(doc).issues;
}

/** Applies the oracle rules to `doc`; `deliberate` is the reason it may differ from Argo's model, if any. */
function expectCompatible(doc: Json, deliberate: string | undefined): void {
  const argo = argoRejection(doc);
  const issues = vireoIssues(doc);
  for (const issue of issues) {
    expect(issue.path, JSON.stringify(issue)).not.toBe('');
    expect(issue.message.length, JSON.stringify(issue)).toBeGreaterThan(5);
  }
  const unsupported = issues.some((i) => i.kind === 'unsupported');
  if (argo !== undefined || unsupported) {
    expect(deliberate, 'stale allow-list entry: Argo rejects it too, or it is unsupported').toBeUndefined();
    if (argo !== undefined)
      expect(issues, `Argo's model rejects it (${argo}); Vireo must too`).not.toEqual([]);
    return;
  }
  if (deliberate === undefined) {
    expect(issues, "Argo's model accepts it: accept it, or list it as a deliberate difference").toEqual([]);
  } else {
    expect(issues.length, `stale allow-list entry (${deliberate}): Vireo accepts it now`).toBeGreaterThan(0);
    expect(issues.every((i) => i.kind !== 'reference')).toBe(true);
  }
}

/** Every Rollout / AnalysisTemplate / ClusterAnalysisTemplate in the YAML files under examples/. */
function exampleObjects(): { label: string; doc: Json }[] {
  const files = readdirSync(join(repoRoot, 'examples'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return files.flatMap((file) =>
    loadYaml(join('examples', file))
      .filter((doc) => !Array.isArray(doc) && String(doc.apiVersion).startsWith('argoproj.io/'))
      .map((doc) => ({ label: `examples/${file}: ${doc.kind}/${doc.metadata?.name}`, doc })),
  );
}

/** A ClusterAnalysisTemplate with the spec of an example AnalysisTemplate (examples ship none of their own). */
function asClusterTemplate(doc: Json): Json {
  return { ...doc, kind: 'ClusterAnalysisTemplate', metadata: { name: doc.metadata?.name } };
}

const examples = exampleObjects();
const derivedClusterTemplates = examples
  .filter(({ doc }) => doc.kind === 'AnalysisTemplate')
  .map(({ label, doc }) => ({ label: `${label} as ClusterAnalysisTemplate`, doc: asClusterTemplate(doc) }));

describe('compatibility oracle: examples', () => {
  it('finds the Argo objects of examples/, the kustomize base included', () => {
    const kinds = new Set(examples.map(({ doc }) => doc.kind));
    expect([...kinds].sort()).toEqual(['AnalysisTemplate', 'Rollout']);
    expect(examples.map((e) => e.label)).toContain('examples/kustomize/base/rollout.yaml: Rollout/shop');
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each([...examples, ...derivedClusterTemplates])('$label is accepted by both', ({ doc }) => {
    expect(argoRejection(doc)).toBeUndefined();
    expect(vireoIssues(doc)).toEqual([]);
    expectCompatible(doc, undefined);
  });
});

/** Our verdict must be the one the mirrored table test expects (the fixture still means what it says). */
function expectVerdict(doc: Json, c: Case): void {
  const issues = vireoIssues(doc);
  if (c.expected === 'valid') expect(issues).toEqual([]);
  else expect(issues.map((i) => i.kind)).toContain(c.expected);
}

describe('compatibility oracle: Rollout fixtures', () => {
  it.each(rolloutCases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const doc = applyEdits(c.base(), c.edits);
    expectVerdict(doc, c);
    expectCompatible(doc, deliberateRollout[name]);
  });
});

describe('compatibility oracle: AnalysisTemplate fixtures', () => {
  it.each(templateCases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const doc = applyEdits(c.base(), c.edits);
    expectVerdict(doc, c);
    expectCompatible(doc, deliberateTemplate[name]);
    if (doc.kind === 'AnalysisTemplate') expectCompatible(asClusterTemplate(doc), deliberateTemplate[name]);
  });
});

describe('compatibility oracle: allow-lists', () => {
  it.each([
    ['Rollout', deliberateRollout, rolloutCases],
    ['AnalysisTemplate', deliberateTemplate, templateCases],
  ] as const)('names only existing %s fixtures, each with a reason', (_kind, list, cases) => {
    const names = new Set(cases.map((c) => c.name));
    for (const [name, reason] of Object.entries(list)) {
      expect(names.has(name), `unknown fixture "${name}"`).toBe(true);
      expect(reason).toMatch(/^(argo|vireo): .{10,}$/);
    }
  });
});
