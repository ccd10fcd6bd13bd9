import {
  type AnalysisTemplateSpec,
  type Argument,
  carriedConsecutiveFailureLimits,
  type Rollout,
  type RolloutAnalysis,
  type RolloutAnalysisArg,
  type TemplateSource,
  VIREO_ANNOTATION,
} from '../../api/index.js';
import { mergeTemplates } from './merge-templates.js';
import type { Result } from './types.js';

/** Everything one AnalysisRun is built from; `templates` are already fetched, namespaced ones first. */
export interface RunBuildInput {
  rollout: Pick<Rollout, 'metadata' | 'spec'>;
  name: string;
  labels: Record<string, string>;
  analysis: RolloutAnalysis;
  templates: readonly AnalysisTemplateSpec[];
  stableHash: string | undefined;
  latestHash: string;
  /** Annotations the templates hand on to the run (`carriedRunAnnotations`); `analysisRunMetadata` wins. */
  carried?: Readonly<Record<string, string>>;
}

/**
 * The annotations an AnalysisRun inherits from the templates it is made of: only Vireo's
 * `vireo.dev/consecutive-failure-limit` rule, merged over all templates (`carriedConsecutiveFailureLimits`);
 * Argo copies no template metadata. An error names the template whose annotation does not parse.
 */
export function carriedRunAnnotations(templates: readonly TemplateSource[]): Result<Record<string, string>> {
  const limits = carriedConsecutiveFailureLimits(templates);
  if (!limits.ok) return limits;
  const key = VIREO_ANNOTATION.consecutiveFailureLimit;
  return { ok: true, value: limits.value === undefined ? {} : { [key]: limits.value } };
}

/** The AnalysisRun object to create (plain JSON). */
export interface AnalysisRunObject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'AnalysisRun';
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences: {
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller: boolean;
      blockOwnerDeletion: boolean;
    }[];
  };
  spec: ReturnType<typeof mergeTemplates> extends Result<infer S> ? S : never;
}

const FIELD_PATH = /^([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\['[^']*'\]|\["[^"]*"\])*)$/;

/**
 * The value at a Kubernetes-style field path of the Rollout (`metadata.name`, `metadata.labels['app']`,
 * `spec.replicas`), as text; undefined when absent or not a scalar.
 */
export function fieldPathValue(root: unknown, path: string): string | undefined {
  const match = FIELD_PATH.exec(path);
  if (!match) return undefined;
  const rest = match[2] ?? '';
  const keys = [
    match[1] as string,
    ...[...rest.matchAll(/\.([A-Za-z0-9_]+)|\['([^']*)'\]|\["([^"]*)"\]/g)].map(
      (m) => m[1] ?? m[2] ?? m[3] ?? '',
    ),
  ];
  let value: unknown = root;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/** What Rollout-side arguments are resolved against: the Rollout and its stable and latest pod hashes. */
export type RolloutArgSource = Pick<RunBuildInput, 'rollout' | 'stableHash' | 'latestHash'>;

function resolveRolloutArg(input: RolloutArgSource, arg: RolloutAnalysisArg): Result<Argument> {
  const from = arg.valueFrom;
  if (!from)
    return { ok: true, value: { name: arg.name, ...(arg.value === undefined ? {} : { value: arg.value }) } };
  if (from.podTemplateHashValue !== undefined) {
    const hash = from.podTemplateHashValue === 'Stable' ? input.stableHash : input.latestHash;
    if (hash === undefined)
      return { ok: false, error: `argument "${arg.name}": the Rollout has no stable ReplicaSet yet` };
    return { ok: true, value: { name: arg.name, value: hash } };
  }
  const path = from.fieldRef?.fieldPath ?? '';
  const value = fieldPathValue(input.rollout, path);
  if (value === undefined)
    return { ok: false, error: `argument "${arg.name}": field "${path}" not found on the Rollout` };
  return { ok: true, value: { name: arg.name, value } };
}

/**
 * Argo `BuildArgumentsForRolloutAnalysisRun`: each argument's literal value, or its `podTemplateHashValue`
 * (Stable → `stableHash`, Latest → `latestHash`), or its `fieldRef` read from the Rollout. The first that
 * cannot be resolved is the error.
 */
export function resolveRolloutArgs(
  source: RolloutArgSource,
  args: readonly RolloutAnalysisArg[],
): Result<Argument[]> {
  const resolved: Argument[] = [];
  for (const arg of args) {
    const one = resolveRolloutArg(source, arg);
    if (!one.ok) return one;
    resolved.push(one.value);
  }
  return { ok: true, value: resolved };
}

/**
 * Argo's AnalysisRun for a Rollout analysis: templates merged (`mergeTemplates`), Rollout arguments
 * resolved (`podTemplateHashValue` Stable/Latest, `fieldRef` on the Rollout, literal values), the
 * templates' carried annotations and then the Rollout's `analysisRunMetadata` applied, and the Rollout as controlling owner so deleting it removes
 * the run. Errors are data, never thrown.
 */
export function buildAnalysisRun(input: RunBuildInput): Result<AnalysisRunObject> {
  const args = resolveRolloutArgs(input, input.analysis.args ?? []);
  if (!args.ok) return args;
  const spec = mergeTemplates({
    templates: input.templates,
    args: args.value,
    dryRun: input.analysis.dryRun,
    measurementRetention: input.analysis.measurementRetention,
  });
  if (!spec.ok) return spec;
  const meta = input.rollout.metadata;
  const annotations = { ...input.carried, ...input.analysis.analysisRunMetadata?.annotations };
  return {
    ok: true,
    value: analysisRunObject({
      name: input.name,
      namespace: meta.namespace,
      labels: input.labels,
      annotations,
      owner: { kind: 'Rollout', name: meta.name ?? '', uid: meta.uid ?? '' },
      spec: spec.value,
    }),
  };
}

/** The parts of an AnalysisRun object that vary with who creates it. */
export interface RunObjectInput {
  name: string;
  namespace: string | undefined;
  labels: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  /** The controlling owner (`argoproj.io/v1alpha1`): a Rollout or an Experiment. */
  owner: { kind: 'Rollout' | 'Experiment'; name: string; uid: string };
  spec: AnalysisRunObject['spec'];
}

/** An AnalysisRun object controlled by `input.owner`, so deleting the owner deletes the run. */
export function analysisRunObject(input: RunObjectInput): AnalysisRunObject {
  const annotations = input.annotations;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: input.name,
      ...(input.namespace === undefined ? {} : { namespace: input.namespace }),
      labels: { ...input.labels },
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          ...input.owner,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: input.spec,
  };
}
