import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import type { ReplicaSetView } from '../../../src/rollout/core/snapshot.js';
import { comparableTemplate, findSameTemplate } from '../../../src/rollout/core/template-match.js';
import { stableRecordAnnotation, stableRecordOf } from '../../../src/rollout/plan/missing-stable.js';
import { needsPods } from '../../../src/rollout/plan/pod-restart.js';

const base = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } };
const canary = {
  desired: { labels: { role: 'canary' } },
  stable: { labels: { role: 'stable' } },
};

function rs(name: string, hash: string, template: object, revision = '1'): ReplicaSetView {
  return {
    name,
    podTemplateHash: hash,
    specReplicas: 1,
    replicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    annotations: { 'rollout.argoproj.io/revision': revision },
    template,
  };
}

describe('comparableTemplate', () => {
  it.each([
    [
      'hash label ignored',
      { metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': 'abc' } } },
      true,
    ],
    ['canary ephemeral label ignored', { metadata: { labels: { app: 'web', role: 'canary' } } }, true],
    ['stable ephemeral label ignored', { metadata: { labels: { app: 'web', role: 'stable' } } }, true],
    ['other value of an ephemeral key kept', { metadata: { labels: { app: 'web', role: 'x' } } }, false],
    [
      'null and empty members ignored',
      { metadata: { labels: { app: 'web' }, creationTimestamp: null } },
      true,
    ],
    ['a different label matters', { metadata: { labels: { app: 'api' } } }, false],
  ])('%s', (_name, metadata, same) => {
    const other = { ...base, ...metadata } as unknown as PodTemplateSpec;
    expect(comparableTemplate(other, canary) === comparableTemplate(base, canary)).toBe(same);
  });
});

describe('findSameTemplate', () => {
  const defaulted = { ...base, spec: { ...base.spec, restartPolicy: 'Always' } };
  const sets = [rs('w-a', 'a', defaulted, '1'), rs('w-b', 'b', defaulted, '2'), rs('w-c', 'c', base, '3')];

  it.each([
    ['prefers the stable among matches', 'a', 'a'],
    ['otherwise the highest revision (defaults do not make a template different)', undefined, 'c'],
  ])('%s', (_name, stable, expected) => {
    expect(findSameTemplate(defaulted, {}, sets, stable)?.podTemplateHash).toBe(expected);
  });

  it('matches a ReplicaSet another controller created, whose template the API server defaulted', () => {
    const stored = {
      metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': 'argo1' }, creationTimestamp: null },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            imagePullPolicy: 'IfNotPresent',
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    };
    expect(findSameTemplate(base, {}, [rs('w-argo', 'argo1', stored)], undefined)?.name).toBe('w-argo');
    const changed = {
      ...base,
      spec: { containers: [{ name: 'a', image: 'x:1', imagePullPolicy: 'Always' }] },
    };
    expect(findSameTemplate(changed, {}, [rs('w-argo', 'argo1', stored)], undefined)).toBeUndefined();
  });

  it('finds nothing for an unknown template', () => {
    expect(findSameTemplate({ ...base, metadata: { labels: { app: 'z' } } }, {}, sets, 'a')).toBeUndefined();
  });
});

describe('stable record', () => {
  it('round-trips and refuses another hash or garbage', () => {
    const stable = rs('w-a', 'a', base, '4');
    const annotations = stableRecordAnnotation(stable);
    const carrier = { ...rs('w-b', 'b', base), annotations };
    expect(stableRecordOf(carrier, 'a')).toEqual({ hash: 'a', revision: 4, template: base });
    expect(stableRecordOf(carrier, 'z')).toBeUndefined();
    const broken = { ...carrier, annotations: { 'vireo.dev/stable-template': '{' } };
    expect(stableRecordOf(broken, 'a')).toBeUndefined();
    expect(stableRecordAnnotation({ ...stable, template: undefined })).toEqual({});
    const huge = { ...base, metadata: { annotations: { blob: 'x'.repeat(200_000) } } };
    expect(stableRecordAnnotation({ ...stable, template: huge })).toEqual({});
  });
});

describe('needsPods', () => {
  const at = '2026-03-01T12:00:00Z';
  it.each([
    [undefined, undefined, false],
    [at, undefined, true],
    [at, at, false],
    [at, '2026-02-01T00:00:00Z', true],
  ])('restartAt %s, restartedAt %s → %s', (restartAt, restartedAt, expected) => {
    const rollout = {
      spec: { ...(restartAt ? { restartAt } : {}), strategy: {} },
      status: restartedAt ? { restartedAt } : {},
    } as unknown as Rollout;
    expect(needsPods(rollout)).toBe(expected);
  });
});
