import { describe, expect, it } from 'vitest';
import {
  type ApisixRoute,
  type ApisixRouteEditSpec,
  editApisixRoute,
  observedApisixWeights,
} from '../../../src/traffic/apisix/apisix-route.js';
import { buildHeaderRoute, headerExprs } from '../../../src/traffic/apisix/header-route.js';
import type { ApisixHttpRule } from '../../../src/traffic/apisix/types.js';
import { desired, frozenCopy, issueMatchers } from './helpers.js';

const spec: ApisixRouteEditSpec = { routeName: 'web', canaryService: 'canary', stableService: 'stable' };

const split = (name = 'web', stable = 100, canary = 0): ApisixHttpRule => ({
  name,
  match: { paths: ['/*'] },
  backends: [
    { serviceName: 'stable', servicePort: 80, weight: stable },
    { serviceName: 'canary', servicePort: 80, weight: canary },
  ],
});
const other: ApisixHttpRule = {
  name: 'static',
  match: { paths: ['/s/*'] },
  backends: [{ serviceName: 'files' }],
};

const routeWith = (http: ApisixHttpRule[]): ApisixRoute =>
  frozenCopy({ metadata: { name: 'web', namespace: 'ns', labels: { team: 'a' } }, spec: { http } });

const weights = (rule: ApisixHttpRule | undefined) => (rule?.backends ?? []).map((b) => b.weight);

describe('editApisixRoute', () => {
  it.each([
    [0, [100, 0]],
    [20, [80, 20]],
    [100, [0, 100]],
  ])(
    'canary %i → stable/canary %j in the rule named like the route, other rules untouched',
    (w, expected) => {
      const route = routeWith([other, split()]);
      const { object, issues } = editApisixRoute(route, spec, desired({ canaryWeight: w }));
      expect(issues).toEqual([]);
      expect(weights(object.spec?.http?.[1])).toEqual(expected);
      expect(object.spec?.http?.[0]).toEqual(other);
      expect(object.metadata).toEqual(route.metadata);
    },
  );

  it('splits every listed rule', () => {
    const route = routeWith([split('a'), split('b'), split('c')]);
    const { object } = editApisixRoute(route, { ...spec, rules: ['a', 'c'] }, desired({ canaryWeight: 30 }));
    expect((object.spec?.http ?? []).map(weights)).toEqual([
      [70, 30],
      [100, 0],
      [70, 30],
    ]);
  });

  it('observes the first split rule, a backend without weight counting as 100 as in APISIX', () => {
    const route = routeWith([
      { ...split(), backends: [{ serviceName: 'stable' }, { serviceName: 'canary', weight: 0 }] },
    ]);
    expect(observedApisixWeights(route, spec)).toEqual({ canaryWeight: 0, stableWeight: 100 });
  });

  it.each<[string, ApisixHttpRule[], object[]]>([
    ['no http rules', [], [{ reason: 'NoHttpRoute', path: 'spec.http' }]],
    [
      'no rule of that name',
      [split('other')],
      [{ reason: 'RouteNotFound', message: 'no HTTP rule named "web"' }],
    ],
    [
      'no canary backend',
      [{ name: 'web', backends: [{ serviceName: 'stable' }] }],
      [{ reason: 'BackendNotFound', path: 'spec.http[0].backends', message: '"canary"' }],
    ],
    [
      'a third backend with traffic',
      [{ ...split(), backends: [...(split().backends ?? []), { serviceName: 'x' }] }],
      [{ reason: 'UnexpectedDestination', path: 'spec.http[0].backends[2].weight' }],
    ],
  ])('%s is an issue and the route comes back unchanged', (_name, http, expected) => {
    const route = routeWith(http);
    const result = editApisixRoute(route, spec, desired({ canaryWeight: 20 }));
    expect(result.issues).toEqual(issueMatchers(expected));
    expect(result.object).toBe(route);
  });
});

describe('APISIX header routes', () => {
  it('turns each header match into exprs as Argo does (prefix as a RegexMatch)', () => {
    expect(headerExprs({ headerName: 'x', headerValue: { exact: 'a' } })).toEqual([
      { subject: { scope: 'Header', name: 'x' }, op: 'Equal', value: 'a' },
    ]);
    expect(headerExprs({ headerName: 'x', headerValue: { prefix: 'v1' } })).toEqual([
      { subject: { scope: 'Header', name: 'x' }, op: 'RegexMatch', value: '^v1.*' },
    ]);
  });

  it('copies the route under the managed name: canary only, one priority above, matching the headers', () => {
    const main = routeWith([other, { ...split(), priority: 2 }]);
    const header = { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { regex: 'y.*' } }] };
    const { object, issues } = buildHeaderRoute(main, spec, header);
    expect(issues).toEqual([]);
    expect(object?.metadata).toEqual({ name: 'beta', namespace: 'ns', labels: { team: 'a' } });
    expect(object?.spec?.http?.[0]).toEqual(other);
    expect(object?.spec?.http?.[1]).toEqual({
      name: 'web',
      priority: 3,
      match: {
        paths: ['/*'],
        exprs: [{ subject: { scope: 'Header', name: 'x-beta' }, op: 'RegexMatch', value: 'y.*' }],
      },
      backends: [{ serviceName: 'canary', servicePort: 80, weight: 100 }],
    });
  });

  it('refuses a header without a value, and the main route’s own issues', () => {
    const header = { name: 'beta', match: [{ headerName: 'x-beta' }] };
    expect(buildHeaderRoute(routeWith([split()]), spec, header).issues).toEqual(
      issueMatchers([{ reason: 'InvalidMatch' }]),
    );
    const withValue = { name: 'beta', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] };
    expect(buildHeaderRoute(routeWith([split('other')]), spec, withValue)).toEqual({
      object: undefined,
      issues: issueMatchers([{ reason: 'RouteNotFound' }]),
    });
  });
});
