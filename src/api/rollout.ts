import { z } from 'zod';
import { ObjectMetaSchema } from './primitives.js';
import { RolloutSpecSchema } from './rollout-spec.js';
import { RolloutStatusSchema } from './rollout-status.js';

/** API group of every Vireo (Argo Rollouts) kind. */
export const GROUP = 'argoproj.io';

/** The only served and stored version. */
export const VERSION = 'v1alpha1';
/** `apiVersion` of every Vireo object. */
export const API_VERSION = `${GROUP}/${VERSION}`;

/** A whole Rollout object (`argoproj.io/v1alpha1`, kind `Rollout`). */
export const RolloutSchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Rollout'),
  metadata: ObjectMetaSchema,
  spec: RolloutSpecSchema,
  status: RolloutStatusSchema.optional(),
});
export type Rollout = z.infer<typeof RolloutSchema>;
