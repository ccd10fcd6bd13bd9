import type { ResilientInformer } from '../../kube/informer.js';
import type { KubeObject } from '../../kube/types.js';
import { objectKey } from '../../kube/types.js';
import { type Loose, record, strategyOf, trafficRefsOf } from './traffic-ref-index.js';

/**
 * One object referred to: its collection (resource plural: `services`, `deployments`, `analysistemplates`…),
 * its namespace (`''` for a cluster-scoped object) and its name.
 */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/** The index key of an object. */
export function refKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/**
 * Who refers to what: referrer keys by the objects they name. Invariant: after `set(referrer, refs)` the
 * referrer is listed exactly under `refs`, and after `delete(referrer)` under nothing.
 */
export class ReferenceIndex {
  private readonly byTarget = new Map<string, Set<string>>();
  private readonly byReferrer = new Map<string, string[]>();

  /** Records (or replaces) what `referrer` names. */
  set(referrer: string, refs: readonly ObjectRef[]): void {
    this.delete(referrer);
    const targets = [...new Set(refs.map((r) => refKey(r.kind, r.namespace, r.name)))];
    if (targets.length === 0) return;
    this.byReferrer.set(referrer, targets);
    for (const target of targets) {
      const referrers = this.byTarget.get(target) ?? new Set<string>();
      this.byTarget.set(target, referrers.add(referrer));
    }
  }

  /** Forgets `referrer`. */
  delete(referrer: string): void {
    for (const target of this.byReferrer.get(referrer) ?? []) {
      const referrers = this.byTarget.get(target);
      referrers?.delete(referrer);
      if (referrers?.size === 0) this.byTarget.delete(target);
    }
    this.byReferrer.delete(referrer);
  }

  /** The keys of everything naming the object `kind` `namespace/name`. */
  referrersOf(kind: string, namespace: string, name: string): string[] {
    return [...(this.byTarget.get(refKey(kind, namespace, name)) ?? [])];
  }

  /** True when something names an object of `kind`. */
  refersTo(kind: string): boolean {
    return [...this.byTarget.keys()].some((target) => target.startsWith(`${kind}/`));
  }
}

function records(value: unknown): Loose[] {
  return Array.isArray(value) ? value.map(record) : [];
}

/** A `{templateName, clusterScope}` reference as an `ObjectRef` (ClusterAnalysisTemplates have no namespace). */
function templateRef(ref: Loose, namespace: string): ObjectRef[] {
  const name = ref.templateName;
  if (typeof name !== 'string' || name === '') return [];
  if (ref.clusterScope === true) return [{ kind: 'clusteranalysistemplates', namespace: '', name }];
  return [{ kind: 'analysistemplates', namespace, name }];
}

/**
 * The analysis templates a raw Rollout names directly: step, background, blue-green pre-/post-promotion and
 * experiment-step analyses. Defensive: a malformed field contributes nothing.
 */
export function analysisTemplateRefsOf(obj: KubeObject): ObjectRef[] {
  const namespace = obj.metadata?.namespace ?? '';
  const { canary, blueGreen } = strategyOf(obj);
  const steps = records(canary.steps);
  const analyses = [
    blueGreen.prePromotionAnalysis,
    blueGreen.postPromotionAnalysis,
    ...steps.map((step) => step.analysis),
    canary.analysis,
  ];
  const refs = [
    ...analyses.flatMap((analysis) => records(record(analysis).templates)),
    ...steps.flatMap((step) => records(record(step.experiment).analyses)),
  ];
  return refs.flatMap((ref) => templateRef(ref, namespace));
}

/** The templates a raw AnalysisTemplate or ClusterAnalysisTemplate composes (`spec.templates`). */
export function composedTemplateRefsOf(template: KubeObject): ObjectRef[] {
  const namespace = template.metadata?.namespace ?? '';
  return records(record((template as Loose).spec).templates).flatMap((ref) => templateRef(ref, namespace));
}

/** The object a raw Rollout's `spec.workloadRef` names (`deployments`, `replicasets`, `podtemplates`). */
export function workloadRefsOf(obj: KubeObject): ObjectRef[] {
  const ref = record(record((obj as Loose).spec).workloadRef);
  if (typeof ref.kind !== 'string' || typeof ref.name !== 'string' || ref.name === '') return [];
  const kind = `${ref.kind.toLowerCase()}s`;
  return [{ kind, namespace: obj.metadata?.namespace ?? '', name: ref.name }];
}

/**
 * Every object a raw Rollout refers to and must be reconciled again for when it appears or changes: the
 * traffic objects (`trafficRefsOf`: Services and routed objects), the `workloadRef` target and the analysis
 * templates it names.
 */
export function rolloutRefsOf(obj: KubeObject): ObjectRef[] {
  return [...trafficRefsOf(obj), ...workloadRefsOf(obj), ...analysisTemplateRefsOf(obj)];
}

/**
 * The one reverse index of what Rollouts refer to, fed by the Rollout informer (subscribed at
 * construction, before the informer starts), and the one way to enqueue the Rollouts naming an object that
 * changed. The watches of Services and routed objects (`TrafficWatch`), workloads (`WorkloadWatch`) and
 * analysis templates (`AnalysisTemplateWatch`) call `enqueueReferring` from their informers' events.
 */
export class RolloutReferences {
  private readonly index = new ReferenceIndex();

  constructor(
    rollouts: ResilientInformer<KubeObject>,
    private readonly enqueue: (key: string) => void,
  ) {
    const seen = (obj: KubeObject) => this.index.set(objectKey(obj), rolloutRefsOf(obj));
    rollouts.addHandlers({
      onAdd: seen,
      onUpdate: seen,
      onDelete: (obj) => this.index.delete(objectKey(obj)),
    });
  }

  /** The keys of the Rollouts referring to the object `kind` `namespace/name`. */
  rolloutsReferring(kind: string, namespace: string, name: string): string[] {
    return this.index.referrersOf(kind, namespace, name);
  }

  /** True when some Rollout refers to an object of `kind`. */
  refersTo(kind: string): boolean {
    return this.index.refersTo(kind);
  }

  /** Enqueues every Rollout referring to the object `kind` `namespace/name` (`''` for cluster-scoped). */
  enqueueReferring(kind: string, namespace: string, name: string): void {
    for (const key of this.rolloutsReferring(kind, namespace, name)) this.enqueue(key);
  }
}
