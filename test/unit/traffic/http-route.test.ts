import { describe, expect, it } from 'vitest';
import { headerMatchRule } from '../../../src/traffic/gatewayapi/header-rules.js';
import {
  editHTTPRoute,
  type HTTPRoute,
  type HttpRouteEditSpec,
  httpRouteRefs,
  observedHttpRouteWeights,
} from '../../../src/traffic/gatewayapi/http-route.js';
import type { HttpRouteRule } from '../../../src/traffic/gatewayapi/types.js';
import { desired, frozenCopy, issueMatchers } from './helpers.js';

const spec: HttpRouteEditSpec = {
  canaryService: 'canary',
  stableService: 'stable',
  managedRoutes: [{ name: 'hdr' }],
};

const split = (stable = 100, canary = 0): HttpRouteRule => ({
  matches: [{ path: { type: 'PathPrefix', value: '/' } }],
  backendRefs: [
    { name: 'stable', port: 80, weight: stable },
    { name: 'canary', port: 80, weight: canary },
  ],
});

const routeWith = (rules: HttpRouteRule[]): HTTPRoute =>
  frozenCopy({ metadata: { name: 'r', namespace: 'ns' }, spec: { parentRefs: [{ name: 'gw' }], rules } });

const weightsOf = (rule: HttpRouteRule | undefined) => (rule?.backendRefs ?? []).map((r) => r.weight);

describe('editHTTPRoute weights', () => {
  it.each([
    [0, [100, 0]],
    [20, [80, 20]],
    [100, [0, 100]],
  ])('canary %i → %j', (canaryWeight, expected) => {
    const { object, issues } = editHTTPRoute(routeWith([split(50, 50)]), spec, desired({ canaryWeight }));
    expect(issues).toEqual([]);
    expect(weightsOf(object.spec?.rules?.[0])).toEqual(expected);
  });

  it('uses the total for maxTrafficWeight', () => {
    const { object } = editHTTPRoute(
      routeWith([split()]),
      spec,
      desired({ canaryWeight: 300, maxTrafficWeight: 1000 }),
    );
    expect(weightsOf(object.spec?.rules?.[0])).toEqual([700, 300]);
  });

  it('re-weights every split rule and keeps the rest deep-equal', () => {
    const other: HttpRouteRule = { backendRefs: [{ name: 'stable', port: 80 }], timeouts: { request: '1s' } };
    const { object } = editHTTPRoute(
      routeWith([split(), other, split()]),
      spec,
      desired({ canaryWeight: 10 }),
    );
    expect(object.spec?.rules?.map(weightsOf)).toEqual([[90, 10], [undefined], [90, 10]]);
    expect(object.spec?.rules?.[1]).toEqual(other);
    expect(object.spec?.parentRefs).toEqual([{ name: 'gw' }]);
  });

  it('ignores backendRefs of another kind with the same name', () => {
    const rule: HttpRouteRule = {
      backendRefs: [
        ...(split().backendRefs ?? []),
        { group: 'example.com', kind: 'Bucket', name: 'canary', weight: 0 },
      ],
    };
    const { object } = editHTTPRoute(routeWith([rule]), spec, desired({ canaryWeight: 10 }));
    expect(weightsOf(object.spec?.rules?.[0])).toEqual([90, 10, 0]);
  });
});

describe('editHTTPRoute issues', () => {
  it.each([
    [
      'no split rule',
      [{ backendRefs: [{ name: 'stable' }] }],
      'BackendNotFound',
      'no rule with backendRefs to both',
    ],
    [
      'third backend with weight',
      [{ backendRefs: [...(split().backendRefs ?? []), { name: 'x', weight: 5 }] }],
      'UnexpectedDestination',
      'backendRef "x" has weight 5',
    ],
    [
      'canary twice',
      [{ backendRefs: [...(split().backendRefs ?? []), { name: 'canary', port: 81 }] }],
      'DuplicateDestination',
      'appears 2 times',
    ],
  ] as const)('%s', (_name, rules, reason, message) => {
    const route = routeWith(rules as unknown as HttpRouteRule[]);
    const result = editHTTPRoute(route, spec, desired({ canaryWeight: 10 }));
    expect(result.issues).toEqual(issueMatchers([{ reason, message }]));
    expect(result.object).toBe(route);
  });

  it.each([
    ['not managed', 'nope', { exact: '1' }, 'UnmanagedRoute'],
    ['bad rule name', 'Bad_Name', { exact: '1' }, 'InvalidRouteName'],
    ['no header value', 'hdr', undefined, 'InvalidMatch'],
  ] as const)('header route %s', (_name, routeName, headerValue, reason) => {
    const managed = { ...spec, managedRoutes: [{ name: 'hdr' }, { name: 'Bad_Name' }] };
    const match = [{ headerName: 'x', ...(headerValue ? { headerValue } : {}) }];
    const result = editHTTPRoute(
      routeWith([split()]),
      managed,
      desired({ canaryWeight: 1, headerRoutes: [{ name: routeName, match }] }),
    );
    expect(result.issues.map((i) => i.reason)).toEqual([reason]);
  });

  it('reports mirror routes as unsupported', () => {
    const mirrorRoutes = [{ name: 'hdr', percentage: 10, match: [{ path: { prefix: '/' } }] }];
    const result = editHTTPRoute(routeWith([split()]), spec, desired({ canaryWeight: 1, mirrorRoutes }));
    expect(result.issues.map((i) => i.reason)).toEqual(['Unsupported']);
  });
});

describe('header rules', () => {
  const headerRoutes = [{ name: 'hdr', match: [{ headerName: 'x-c', headerValue: { exact: 'on' } }] }];

  it('adds the header rule first and removes it when no longer desired', () => {
    const added = editHTTPRoute(
      routeWith([split()]),
      spec,
      desired({ canaryWeight: 5, headerRoutes }),
    ).object;
    expect(added.spec?.rules?.map((r) => r.name)).toEqual(['hdr', undefined]);
    expect(added.spec?.rules?.[0]?.backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'canary', port: 80 },
    ]);
    const removed = editHTTPRoute(added, spec, desired({ canaryWeight: 0 })).object;
    expect(removed.spec?.rules).toEqual([split(100, 0)]);
  });

  it('adds nothing when useHeaderRoutes is false', () => {
    const off = { ...spec, useHeaderRoutes: false };
    const { object } = editHTTPRoute(routeWith([split()]), off, desired({ canaryWeight: 5, headerRoutes }));
    expect(object.spec?.rules).toHaveLength(1);
  });

  it.each([
    [{ exact: 'a.b' }, { type: 'Exact', name: 'h', value: 'a.b' }],
    [{ regex: '^a+$' }, { type: 'RegularExpression', name: 'h', value: '^a+$' }],
    [{ prefix: 'v1.(x)' }, { type: 'RegularExpression', name: 'h', value: '^v1\\.\\(x\\).*' }],
    [{}, undefined],
  ])('header value %j → %j', (headerValue, expected) => {
    expect(headerMatchRule({ headerName: 'h', headerValue })).toEqual(expected);
  });
});

describe('httpRouteRefs and observed weights', () => {
  it.each([
    [{ httpRoute: 'r' }, [{ name: 'r', namespace: 'app', useHeaderRoutes: true }]],
    [{ httpRoute: 'r', namespace: 'gw' }, [{ name: 'r', namespace: 'gw', useHeaderRoutes: true }]],
    [
      { httpRoutes: [{ name: 'a', useHeaderRoutes: true }, { name: 'b' }] },
      [
        { name: 'a', namespace: 'app', useHeaderRoutes: true },
        { name: 'b', namespace: 'app', useHeaderRoutes: false },
      ],
    ],
  ])('%j', (config, expected) => {
    expect(httpRouteRefs(config, 'app')).toEqual(expected);
  });

  it('reads the first split rule', () => {
    expect(observedHttpRouteWeights(routeWith([split(70, 30)]), spec)).toEqual({
      canaryWeight: 30,
      stableWeight: 70,
    });
    expect(observedHttpRouteWeights(routeWith([]), spec)).toEqual({
      canaryWeight: undefined,
      stableWeight: undefined,
    });
  });
});
