import type { KubeConfig } from '@kubernetes/client-node';
import { type KubeClient, Resources, type ResourceType } from '../../kube/client.js';
import type { ResilientInformer } from '../../kube/informer.js';
import { createInformer } from '../../kube/informers.js';
import type { CacheSet, ObjectCache } from '../../kube/object-cache.js';
import { probeCollection } from '../../kube/probe.js';
import type { KubeObject } from '../../kube/types.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import {
  composedTemplateRefsOf,
  type ObjectRef,
  ReferenceIndex,
  type RolloutReferences,
  refKey,
} from './reference-index.js';

/** The two template collections, by resource plural. */
export type TemplateKind = 'analysistemplates' | 'clusteranalysistemplates';

/** How the analysis-template watch is wired; `namespace` scopes the AnalysisTemplate informer. */
export interface AnalysisTemplateWatchOptions {
  kc: KubeConfig;
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  namespace?: string;
  references: RolloutReferences;
}

const WATCHED: readonly { kind: TemplateKind; res: ResourceType; clusterScoped: boolean }[] = [
  { kind: 'analysistemplates', res: Resources.analysisTemplates, clusterScoped: false },
  { kind: 'clusteranalysistemplates', res: Resources.clusterAnalysisTemplates, clusterScoped: true },
];

function refOf(kind: TemplateKind, obj: KubeObject): ObjectRef {
  return { kind, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

function parseKey(key: string): ObjectRef {
  const [kind = '', namespace = '', name = ''] = key.split('/');
  return { kind, namespace, name };
}

/**
 * Which templates compose which (`spec.templates`), kept from the template informers' events. Invariant:
 * after `record(t, refs)` the template `t` is listed as a composer of exactly `refs` (none once deleted).
 */
export class TemplateCompositions {
  private readonly index = new ReferenceIndex();

  /** Records what `template` composes; `undefined` forgets a deleted template. */
  record(template: ObjectRef, composes: readonly ObjectRef[] | undefined): void {
    const key = refKey(template.kind, template.namespace, template.name);
    if (composes === undefined) this.index.delete(key);
    else this.index.set(key, composes);
  }

  /**
   * `template` and every template composing it, directly or not. A ClusterAnalysisTemplate composing an
   * AnalysisTemplate names it without a namespace (it is resolved in each Rollout's), so those count too.
   */
  withComposers(template: ObjectRef): ObjectRef[] {
    const found = new Map<string, ObjectRef>([
      [refKey(template.kind, template.namespace, template.name), template],
    ]);
    const queue = [template];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      const { kind, namespace, name } = next;
      const keys = this.index.referrersOf(kind, namespace, name);
      if (kind === 'analysistemplates' && namespace !== '')
        keys.push(...this.index.referrersOf(kind, '', name));
      for (const key of keys.filter((k) => !found.has(k))) {
        const composer = parseKey(key);
        found.set(key, composer);
        queue.push(composer);
      }
    }
    return [...found.values()];
  }
}

/**
 * Watches AnalysisTemplates (in the controller's namespace, or all) and ClusterAnalysisTemplates, so the
 * Rollout pre-flight reads them from caches, and enqueues every Rollout that reaches a template that was
 * created, changed or deleted: the Rollouts naming it, and those naming a template that composes it
 * (`spec.templates`, followed upwards through an index of compositions). Invariants: a collection that
 * cannot be listed (404: CRD not installed; 403: ClusterAnalysisTemplates under a namespaced Role) is not
 * watched, logged once, and `cache` is undefined for it (its references are then not pre-checked);
 * `cache(kind)` is defined only once that informer has synced.
 */
export class AnalysisTemplateWatch implements CacheSet<TemplateKind> {
  private readonly informers = new Map<TemplateKind, ResilientInformer<KubeObject>>();
  private readonly compositions = new TemplateCompositions();

  constructor(private readonly opts: AnalysisTemplateWatchOptions) {}

  /** Probes both collections, starts the informers of those readable and waits until they have synced. */
  async start(): Promise<void> {
    const readable = await Promise.all(WATCHED.map((w) => this.probe(w.kind, w.res, w.clusterScoped)));
    const started = WATCHED.filter((_, i) => readable[i]).map((w) => {
      const informer = this.informer(w.kind, w.res, w.clusterScoped);
      this.informers.set(w.kind, informer);
      return informer;
    });
    await Promise.all(started.map((i) => i.start()));
    await Promise.all(started.map((i) => i.waitForSync()));
  }

  /** Stops every informer started. */
  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  /** True once every started informer has listed its collection. */
  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** The synced cache of `kind`, or undefined when that collection is not watched (or not yet synced). */
  cache(kind: TemplateKind): ObjectCache | undefined {
    const informer = this.informers.get(kind);
    return informer?.hasSynced() ? informer : undefined;
  }

  private async probe(kind: TemplateKind, res: ResourceType, clusterScoped: boolean): Promise<boolean> {
    const outcome = await probeCollection(
      this.opts.client,
      res,
      clusterScoped ? undefined : this.opts.namespace,
    );
    if (outcome === 'readable') return true;
    this.opts.logger.info(
      { collection: kind, reason: outcome },
      'not watching this collection; Rollouts referring to it are not pre-checked',
    );
    return false;
  }

  private informer(kind: TemplateKind, res: ResourceType, clusterScoped: boolean) {
    const { kc, client, clock, logger, namespace } = this.opts;
    const changed = (obj: KubeObject) => this.changed(refOf(kind, obj), composedTemplateRefsOf(obj));
    const deleted = (obj: KubeObject) => this.changed(refOf(kind, obj), undefined);
    return createInformer<KubeObject>(kc, client, res, {
      ...(clusterScoped ? {} : { namespace }),
      clock,
      logger,
      handlers: { onAdd: changed, onUpdate: changed, onDelete: deleted },
    });
  }

  /** Records what `template` composes (`undefined`: deleted) and enqueues every Rollout reaching it. */
  private changed(template: ObjectRef, composes: ObjectRef[] | undefined): void {
    this.compositions.record(template, composes);
    for (const reached of this.compositions.withComposers(template)) {
      this.opts.references.enqueueReferring(reached.kind, reached.namespace, reached.name);
    }
  }
}
