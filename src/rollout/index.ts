/**
 * Pure canary core: pod-template hashing, ReplicaSet roles, replica math, steps, conditions, phase and the
 * planner `planRollout(snapshot) → { actions, status, requeueAfterMs }`. No I/O and no clock.
 */

export * from './commands.js';
export * from './core/actions.js';
export * from './core/conditions.js';
export * from './core/constants.js';
export * from './core/phase.js';
export * from './core/pod-template-hash.js';
export * from './core/replica-counts.js';
export * from './core/replicasets.js';
export * from './core/snapshot.js';
export * from './core/steps.js';
export { finishPlan, selectorString } from './plan/finish.js';
export { invalidSpecMessage, planInvalidSpec, planRollout } from './plan/plan-rollout.js';
