/**
 * Pure canary core: pod-template hashing, ReplicaSet roles, replica math, steps, conditions, phase and the
 * planner `planRollout(snapshot) → { actions, status, requeueAfterMs }`. No I/O and no clock.
 */
export * from './actions.js';
export * from './commands.js';
export * from './conditions.js';
export * from './constants.js';
export * from './phase.js';
export { invalidSpecMessage, planInvalidSpec, planRollout } from './plan.js';
export { finishPlan, selectorString } from './plan-status.js';
export * from './pod-template-hash.js';
export * from './replica-counts.js';
export * from './replicasets.js';
export * from './snapshot.js';
export * from './steps.js';
