import { describe, expect, it } from 'vitest';
import type { InformerHandlers, ResilientInformer } from '../../../src/kube/informer.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { TemplateCompositions } from '../../../src/rollout/reconcile/analysis-template-watch.js';
import { observeAnalysisTemplates } from '../../../src/rollout/reconcile/observe-analysis.js';
import {
  ReferenceIndex,
  RolloutReferences,
  rolloutRefsOf,
} from '../../../src/rollout/reconcile/reference-index.js';
import { aRollout } from './fixtures.js';

function rollout(name: string, spec: object): KubeObject {
  return { metadata: { name, namespace: 'apps' }, spec } as KubeObject;
}

const refs = (obj: KubeObject) => rolloutRefsOf(obj).map((r) => `${r.kind}:${r.namespace}/${r.name}`);

describe('rolloutRefsOf', () => {
  it("names blue-green's Services (they used to be missing, so a Service created later was never noticed)", () => {
    const bg = rollout('web', {
      strategy: { blueGreen: { activeService: 'active', previewService: 'preview' } },
    });
    expect(refs(bg)).toEqual(['services:apps/active', 'services:apps/preview']);
  });

  it('names the workloadRef target by resource plural', () => {
    expect(refs(rollout('web', { workloadRef: { kind: 'Deployment', name: 'd' } }))).toEqual([
      'deployments:apps/d',
    ]);
    expect(refs(rollout('web', { workloadRef: { kind: 'ReplicaSet' } }))).toEqual([]);
  });

  it('names every analysis template: steps, background, experiment analyses, blue-green, cluster-scoped', () => {
    const canary = rollout('web', {
      strategy: {
        canary: {
          steps: [
            { analysis: { templates: [{ templateName: 'step' }] } },
            { experiment: { analyses: [{ name: 'a', templateName: 'exp', clusterScope: true }] } },
            { setWeight: 10 },
          ],
          analysis: { templates: [{ templateName: 'bg' }, { templateName: '' }] },
        },
      },
    });
    expect(refs(canary)).toEqual([
      'analysistemplates:apps/step',
      'analysistemplates:apps/bg',
      'clusteranalysistemplates:/exp',
    ]);
    const bg = rollout('b', {
      strategy: {
        blueGreen: {
          activeService: 'a',
          prePromotionAnalysis: { templates: [{ templateName: 'pre' }] },
          postPromotionAnalysis: { templates: 'malformed' },
        },
      },
    });
    expect(refs(bg)).toEqual(['services:apps/a', 'analysistemplates:apps/pre']);
  });
});

describe('ReferenceIndex', () => {
  it('lists referrers by object and forgets replaced and deleted references', () => {
    const index = new ReferenceIndex();
    index.set('a', [{ kind: 'services', namespace: 'n', name: 's' }]);
    index.set('b', [
      { kind: 'services', namespace: 'n', name: 's' },
      { kind: 'deployments', namespace: 'n', name: 'd' },
    ]);
    expect(index.referrersOf('services', 'n', 's').sort()).toEqual(['a', 'b']);
    expect(index.refersTo('deployments')).toBe(true);
    index.set('b', []);
    expect(index.referrersOf('services', 'n', 's')).toEqual(['a']);
    expect(index.refersTo('deployments')).toBe(false);
    index.delete('a');
    expect(index.referrersOf('services', 'n', 's')).toEqual([]);
  });
});

describe('RolloutReferences', () => {
  it('follows the Rollout informer and enqueues the Rollouts naming a changed object', () => {
    const handlers: InformerHandlers<KubeObject>[] = [];
    const informer = { addHandlers: (h: InformerHandlers<KubeObject>) => handlers.push(h) };
    const enqueued: string[] = [];
    const references = new RolloutReferences(informer as unknown as ResilientInformer<KubeObject>, (key) =>
      enqueued.push(key),
    );
    const web = rollout('web', { strategy: { blueGreen: { activeService: 'active' } } });
    handlers[0]?.onAdd?.(web);
    references.enqueueReferring('services', 'apps', 'active');
    references.enqueueReferring('services', 'other', 'active');
    expect(enqueued).toEqual(['apps/web']);
    handlers[0]?.onDelete?.(web);
    references.enqueueReferring('services', 'apps', 'active');
    expect(enqueued).toEqual(['apps/web']);
  });
});

describe('TemplateCompositions', () => {
  const at = (name: string, namespace = 'apps') => ({ kind: 'analysistemplates', namespace, name });
  const cat = (name: string) => ({ kind: 'clusteranalysistemplates', namespace: '', name });
  const names = (list: { kind: string; namespace: string; name: string }[]) =>
    list.map((r) => `${r.kind}:${r.namespace}/${r.name}`).sort();

  it('walks up to every template composing a changed one, also across scopes', () => {
    const compositions = new TemplateCompositions();
    compositions.record(at('outer'), [at('middle')]);
    compositions.record(at('middle'), [at('leaf')]);
    compositions.record(cat('shared'), [at('leaf', '')]);
    compositions.record(at('other', 'elsewhere'), [at('leaf', 'elsewhere')]);
    expect(names(compositions.withComposers(at('leaf')))).toEqual([
      'analysistemplates:apps/leaf',
      'analysistemplates:apps/middle',
      'analysistemplates:apps/outer',
      'clusteranalysistemplates:/shared',
    ]);
    compositions.record(at('middle'), undefined);
    expect(names(compositions.withComposers(at('leaf')))).toEqual([
      'analysistemplates:apps/leaf',
      'clusteranalysistemplates:/shared',
    ]);
  });

  it('survives a composition cycle', () => {
    const compositions = new TemplateCompositions();
    compositions.record(at('a'), [at('b')]);
    compositions.record(at('b'), [at('a')]);
    expect(names(compositions.withComposers(at('a')))).toEqual([
      'analysistemplates:apps/a',
      'analysistemplates:apps/b',
    ]);
  });
});

describe('observeAnalysisTemplates', () => {
  const t = (name: string, templates?: object[], namespace = 'default') => ({
    metadata: { name, namespace },
    spec: templates ? { templates } : { metrics: [] },
  });
  const cache = (objects: KubeObject[]) => ({
    get: (ns: string | undefined, name: string) =>
      objects.find((o) => o.metadata?.name === name && o.metadata?.namespace === ns),
    list: () => objects,
  });

  it('collects what the Rollout reaches, composed templates included, and no more', () => {
    const r = aRollout({ steps: [{ analysis: { templates: [{ templateName: 'outer' }] } }] });
    const namespaced = cache([
      t('outer', [{ templateName: 'cat', clusterScope: true }]),
      t('unrelated'),
      t('outer', undefined, 'elsewhere'),
    ] as KubeObject[]);
    const cluster = cache([
      { metadata: { name: 'cat' }, spec: { templates: [{ templateName: 'leaf' }] } },
    ] as unknown as KubeObject[]);
    const leafless = observeAnalysisTemplates(
      { cache: (kind) => (kind === 'analysistemplates' ? namespaced : cluster) },
      r,
    );
    expect([...(leafless?.namespaced?.keys() ?? [])]).toEqual(['outer']);
    expect([...(leafless?.cluster?.keys() ?? [])]).toEqual(['cat']);
    const withoutCluster = observeAnalysisTemplates(
      { cache: (kind) => (kind === 'analysistemplates' ? namespaced : undefined) },
      r,
    );
    expect(withoutCluster?.cluster).toBeUndefined();
    expect(observeAnalysisTemplates(undefined, r)).toBeUndefined();
  });
});
