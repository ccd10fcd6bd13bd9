import { describe, expect, it } from 'vitest';
import type { VirtualService } from '../../../src/traffic/istio/types.js';
import {
  editVirtualService,
  observeVirtualService,
  virtualServiceRefs,
} from '../../../src/traffic/istio/virtual-service.js';
import { desired, issueMatchers } from './helpers.js';
import { dest, hostSpec, primary, vsWith } from './vs-fixtures.js';

describe('managed routes', () => {
  const spec = { ...hostSpec, managedRoutes: [{ name: 'a' }, { name: 'b' }] };
  const header = (name: string) => ({ name, match: [{ headerName: 'x', headerValue: { prefix: name } }] });
  const names = (vs: VirtualService) => (vs.spec?.http ?? []).map((r) => r.name);

  it.each([
    [
      ['a', 'b'],
      ['a', 'b', 'user', 'primary'],
    ],
    [
      ['b', 'a'],
      ['a', 'b', 'user', 'primary'],
    ],
    [['b'], ['b', 'user', 'primary']],
    [[], ['user', 'primary']],
  ])('desired %j → http %j', (wanted, expected) => {
    const before = vsWith([
      { name: 'b', route: [dest('canary', 100)] },
      { name: 'user', route: [dest('x')] },
      primary(),
    ]);
    const headerRoutes = wanted.map(header);
    const { object, issues } = editVirtualService(before, spec, desired({ canaryWeight: 10, headerRoutes }));
    expect(issues).toEqual([]);
    expect(names(object)).toEqual(expected);
    expect(object.spec?.http?.find((r) => r.name === 'user')).toEqual({ name: 'user', route: [dest('x')] });
  });

  it('reports a name used by both a header and a mirror step', () => {
    const mirrorRoutes = [{ name: 'a', percentage: 100, match: [{ path: { prefix: '/' } }] }];
    const result = editVirtualService(
      vsWith([primary()]),
      spec,
      desired({ canaryWeight: 1, headerRoutes: [header('a')], mirrorRoutes }),
    );
    expect(result.issues).toEqual(
      issueMatchers([{ reason: 'AmbiguousRoute', message: 'set by more than one step' }]),
    );
  });

  it('removes a mirror route when its step no longer applies', () => {
    const before = vsWith([
      { name: 'b', mirror: { host: 'canary' }, route: [dest('stable', 90), dest('canary', 10)] },
      primary(),
    ]);
    expect(names(editVirtualService(before, spec, desired({ canaryWeight: 10 })).object)).toEqual([
      'primary',
    ]);
  });

  it('treats a step without match as removal', () => {
    const before = vsWith([{ name: 'a', route: [dest('canary', 100)] }, primary()]);
    const { object } = editVirtualService(
      before,
      spec,
      desired({ canaryWeight: 10, headerRoutes: [{ name: 'a', match: [] }] }),
    );
    expect(names(object)).toEqual(['primary']);
  });

  it('leaves route order alone when there are no managed routes', () => {
    const before = vsWith([{ name: 'user', route: [dest('x')] }, primary()]);
    expect(names(editVirtualService(before, hostSpec, desired({ canaryWeight: 1 })).object)).toEqual([
      'user',
      'primary',
    ]);
  });

  it('ignores managed routes when choosing the single implicit route', () => {
    const before = vsWith([
      { name: 'a', route: [dest('canary', 100)] },
      { route: [dest('stable', 100), dest('canary', 0)] },
    ]);
    const implicit = { ...spec, virtualService: { name: 'vs' } };
    const { object, issues } = editVirtualService(before, implicit, desired({ canaryWeight: 50 }));
    expect(issues).toEqual([]);
    expect(object.spec?.http).toEqual([{ route: [dest('stable', 50), dest('canary', 50)] }]);
  });
});

describe('virtualServiceRefs', () => {
  it.each([
    [{ virtualService: { name: 'vs' } }, [['vs', 'app']]],
    [{ virtualService: { name: 'vs.mesh' } }, [['vs', 'mesh']]],
    [
      { virtualServices: [{ name: 'a' }, { name: 'b.other' }] },
      [
        ['a', 'app'],
        ['b', 'other'],
      ],
    ],
  ])('%j', (istio, expected) => {
    expect(virtualServiceRefs(istio, 'app').map((r) => [r.name, r.namespace])).toEqual(expected);
  });
});

describe('observeVirtualService', () => {
  it('reads weights and managed routes', () => {
    const spec = { ...hostSpec, managedRoutes: [{ name: 'h' }, { name: 'm' }] };
    const vs = vsWith([{ name: 'm', mirror: { host: 'canary' } }, { name: 'h' }, primary(70, 30)]);
    expect(observeVirtualService(vs, spec)).toEqual({
      canaryWeight: 30,
      stableWeight: 70,
      headerRoutes: ['h'],
      mirrorRoutes: ['m'],
      issues: [],
    });
  });

  it('reports undefined weights and the issue when the route is missing', () => {
    const observed = observeVirtualService(vsWith([]), hostSpec);
    expect(observed.canaryWeight).toBeUndefined();
    expect(observed.issues).toEqual(issueMatchers([{ reason: 'RouteNotFound' }]));
  });
});
