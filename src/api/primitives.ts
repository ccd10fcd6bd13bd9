import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { z } from 'zod';

/** Metadata key that marks a schema as Kubernetes int-or-string; `toCrdSchema` rewrites it to the exact form. */
export const INT_OR_STRING = 'x-kubernetes-int-or-string';
/** Metadata key that marks a schema as an opaque object whose unknown fields the API server keeps. */
export const PRESERVE_UNKNOWN = 'x-kubernetes-preserve-unknown-fields';

/**
 * A Kubernetes IntOrString: a 32-bit integer or any string (e.g. `1`, `"25%"`, `"{{args.count}}"`).
 * In the CRD it becomes `x-kubernetes-int-or-string: true` with `anyOf: [{type: integer}, {type: string}]`.
 */
export function intOrString() {
  return z.union([z.int32(), z.string()]).meta({ [INT_OR_STRING]: true });
}

/** The TypeScript type of every int-or-string field. */
export type IntOrString = z.infer<ReturnType<typeof intOrString>>;

/**
 * An object kept as-is (any fields), typed as `T` for TypeScript. Parsing only checks that it is an object;
 * in the CRD it becomes `type: object` with `x-kubernetes-preserve-unknown-fields: true`.
 */
export function preserveUnknown<T extends object = Record<string, unknown>>(): z.ZodType<T, T> {
  const schema = z.looseObject({}).meta({ [PRESERVE_UNKNOWN]: true });
  return schema as unknown as z.ZodType<T, T>;
}

/** A map of string to string (labels, annotations, headers). */
export const StringMapSchema = z.record(z.string(), z.string());

/** RFC 3339 timestamp as written by the API server; kept as a string so the schema stays JSON-only. */
export const TimeSchema = z.string();

/** `{labels, annotations}` injected into pods or child objects (canaryMetadata, analysisRunMetadata, …). */
export const PodMetadataSchema = z.object({
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
});
export type PodMetadata = z.infer<typeof PodMetadataSchema>;

/** One `matchExpressions` entry of a LabelSelector. */
export const LabelSelectorRequirementSchema = z.object({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
});

/** A metav1.LabelSelector. An empty selector is a validation error for Rollouts, not a parse error. */
export const LabelSelectorSchema = z.object({
  matchLabels: StringMapSchema.optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

/** Object metadata: owned by the API server, so it is not described in the CRD (only `type: object`). */
export const ObjectMetaSchema = preserveUnknown<ObjectMeta>();

/** A pod template: opaque to the CRD (the API server validates pods when ReplicaSets are created). */
export const PodTemplateSpecSchema = preserveUnknown<PodTemplateSpec>();

/** A status condition as Argo writes it (`lastUpdateTime` in addition to the usual fields). */
export const ConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastUpdateTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

/** `{name, value}` HTTP header, used by the Prometheus and Web providers. */
export const HeaderSchema = z.object({ key: z.string(), value: z.string() });
