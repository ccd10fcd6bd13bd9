import { EXPERIMENT_DEFAULTS, type ExperimentTemplate, type TemplateStatus } from '../../api/index.js';
import type { ExperimentAction, TemplateReplicaSetView } from './model.js';
import { templateReplicaSet, templateService } from './objects.js';
import type { PassContext } from './pass-context.js';
import { desiredReplicas, isoSeconds, isTemplateCompleted, templateStatusOf } from './rules.js';

/** One template's part of the draft: its actions, its next status, and a pending scale-down time. */
export interface TemplatePlan {
  readonly actions: ExperimentAction[];
  readonly status: TemplateStatus;
  readonly scaleDownAt?: number;
}

interface Work {
  readonly ctx: PassContext;
  readonly template: ExperimentTemplate;
  readonly desired: number;
  readonly actions: ExperimentAction[];
  status: TemplateStatus;
  scaleDownAt?: number;
}

/** Argo `createTemplateService`: ensure the template's Service exists (only when its pods expose ports). */
function ensureService(w: Work, rs: TemplateReplicaSetView): void {
  const name = w.template.service?.name || rs.name;
  const found = w.ctx.snapshot.services[w.template.name];
  if (rs.ports.length === 0) return;
  if (found !== undefined && !found.owned) {
    const why = `service ${name} already exists and is not owned by experiment template ${w.template.name}`;
    w.status = {
      ...w.status,
      status: 'Error',
      message: `Failed to create Service ${name} for template '${w.template.name}': ${why}`,
    };
    return;
  }
  if (found === undefined) {
    const service = templateService(w.ctx.experiment, w.template.name, name, rs.labels, rs.ports);
    w.actions.push({ kind: 'createService', template: w.template.name, service });
  }
  w.status = {
    ...w.status,
    serviceName: name,
    ...(rs.podTemplateHash ? { podTemplateHash: rs.podTemplateHash } : {}),
  };
}

/** Argo `deleteTemplateService`: remove the template's own Service and forget it in status. */
function removeService(w: Work): void {
  const found = w.ctx.snapshot.services[w.template.name];
  if (found === undefined || !found.owned) return;
  w.actions.push({ kind: 'deleteService', template: w.template.name, name: found.name });
  const { serviceName: _name, podTemplateHash: _hash, ...rest } = w.status;
  w.status = rest;
}

/** Argo `addScaleDownDelay`: the deadline the ReplicaSet will carry, setting or removing the annotation. */
function scaleDownDeadline(w: Work, rs: TemplateReplicaSetView): number | undefined {
  const delay = w.ctx.scaleDownDelaySeconds;
  const set = (deadline: string | null) =>
    w.actions.push({ kind: 'setScaleDownDeadline', template: w.template.name, name: rs.name, deadline });
  if (delay === 0) {
    if (rs.scaleDownDeadline !== undefined) set(null);
    return undefined;
  }
  if (rs.scaleDownDeadline !== undefined) {
    const at = Date.parse(rs.scaleDownDeadline);
    return Number.isNaN(at) ? undefined : at;
  }
  const deadline = w.ctx.nowMs + delay * 1000;
  set(isoSeconds(deadline));
  return deadline;
}

/** Argo's scaling of an existing template ReplicaSet, scale-down delay first. */
function scale(w: Work, rs: TemplateReplicaSetView): void {
  const deadline = w.desired === 0 ? scaleDownDeadline(w, rs) : undefined;
  if (rs.replicas === w.desired) return;
  let target = w.desired;
  if (w.desired === 0 && deadline !== undefined && deadline > w.ctx.nowMs) {
    target = w.template.replicas ?? EXPERIMENT_DEFAULTS.replicas;
    w.scaleDownAt = deadline;
  }
  if (target !== rs.replicas) {
    w.actions.push({
      kind: 'scaleReplicaSet',
      template: w.template.name,
      name: rs.name,
      from: rs.replicas,
      replicas: target,
    });
  }
  w.status = { ...w.status, lastTransitionTime: w.ctx.nowIso };
}

function reconcileReplicaSet(w: Work): TemplateReplicaSetView | undefined {
  const rs = w.ctx.snapshot.replicaSets[w.template.name];
  if (rs === undefined) {
    const replicaSet = templateReplicaSet(w.ctx.experiment, w.template, w.desired, w.status.collisionCount);
    w.actions.push({ kind: 'createReplicaSet', template: w.template.name, replicaSet });
    w.status = { ...w.status, lastTransitionTime: w.ctx.nowIso };
    return undefined;
  }
  if (w.template.service !== undefined) {
    if (w.desired !== 0) ensureService(w, rs);
    else if (rs.availableReplicas === 0) removeService(w);
  }
  scale(w, rs);
  return rs;
}

function withCounts(w: Work, previous: TemplateStatus, rs: TemplateReplicaSetView | undefined): void {
  const counts = {
    replicas: rs?.statusReplicas ?? 0,
    updatedReplicas: rs?.statusReplicas ?? 0,
    readyReplicas: rs?.readyReplicas ?? 0,
    availableReplicas: rs?.availableReplicas ?? 0,
  };
  const changed = (Object.keys(counts) as (keyof typeof counts)[]).some(
    (k) => (previous[k] ?? 0) !== counts[k],
  );
  w.status = { ...w.status, ...counts, ...(changed ? { lastTransitionTime: w.ctx.nowIso } : {}) };
}

/** Argo's template status code rules; a completed code never changes. */
function withCode(w: Work): void {
  const s = w.status;
  if (isTemplateCompleted(s.status)) return;
  if (w.desired === (s.availableReplicas ?? 0)) {
    w.status = { ...s, status: w.ctx.passed || w.ctx.terminating ? 'Successful' : 'Running' };
    return;
  }
  const from = s.lastTransitionTime === undefined ? w.ctx.nowMs : Date.parse(s.lastTransitionTime);
  const deadline = w.ctx.progressDeadlineSeconds;
  if (w.ctx.nowMs > from + deadline * 1000) {
    const message = `Template '${w.template.name}' exceeded its progressDeadlineSeconds (${deadline})`;
    w.status = { ...s, status: 'Failed', message };
  } else {
    w.status = { ...s, status: w.ctx.terminating ? 'Successful' : 'Progressing' };
  }
}

/**
 * Argo `reconcileTemplate`, pure: creates the template's ReplicaSet when missing (with the replicas the
 * Experiment wants now), otherwise keeps its Service (templates with `service`, while pods are wanted; it is
 * deleted once no pod is available) and its scale (to 0 only after `scaleDownDelaySeconds`, tracked by the
 * `scale-down-deadline` annotation), copies its counts into the status, and derives the status code: the
 * wanted pods available → Running (Successful once the duration passed or the Experiment terminates);
 * otherwise Failed after `progressDeadlineSeconds` without a transition, else Progressing (Successful when
 * terminating). A completed code never changes.
 */
export function planTemplate(ctx: PassContext, template: ExperimentTemplate): TemplatePlan {
  const previous = templateStatusOf(ctx.experiment.status, template.name) ?? { name: template.name };
  const desired = desiredReplicas(ctx.experiment, ctx.experiment.status, template);
  const w: Work = { ctx, template, desired, actions: [], status: { ...previous } };
  const rs = reconcileReplicaSet(w);
  withCounts(w, previous, rs);
  withCode(w);
  return {
    actions: w.actions,
    status: w.status,
    ...(w.scaleDownAt === undefined ? {} : { scaleDownAt: w.scaleDownAt }),
  };
}
