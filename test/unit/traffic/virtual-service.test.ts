import { describe, expect, it } from 'vitest';
import type { VirtualService, VsHttpRoute } from '../../../src/traffic/istio/types.js';
import {
  editVirtualService,
  type VirtualServiceEditSpec,
} from '../../../src/traffic/istio/virtual-service.js';
import { desired, issueMatchers } from './helpers.js';
import { dest, hostSpec, primary, vsWith } from './vs-fixtures.js';

function weights(vs: VirtualService, index = 0) {
  return (vs.spec?.http?.[index]?.route ?? []).map((d) => d.weight);
}

describe('editVirtualService weights', () => {
  it.each([
    [0, [100, 0]],
    [20, [80, 20]],
    [55, [45, 55]],
    [100, [0, 100]],
  ])('canary %i → stable/canary %j', (canaryWeight, expected) => {
    const { object, issues } = editVirtualService(
      vsWith([primary(30, 70)]),
      hostSpec,
      desired({ canaryWeight }),
    );
    expect(issues).toEqual([]);
    expect(weights(object)).toEqual(expected);
  });

  it.each([
    ['short name', 'canary'],
    ['namespaced', 'canary.ns'],
    ['FQDN', 'canary.ns.svc.cluster.local'],
  ])('matches the canary host written as a %s', (_what, host) => {
    const vs = vsWith([{ name: 'primary', route: [dest('stable', 100), dest(host, 0)] }]);
    expect(weights(editVirtualService(vs, hostSpec, desired({ canaryWeight: 10 })).object)).toEqual([90, 10]);
  });

  it('edits every listed route and keeps others deep-equal', () => {
    const other: VsHttpRoute = { name: 'other', route: [dest('stable', 100)], timeout: '3s' };
    const spec = { ...hostSpec, virtualService: { name: 'vs', routes: ['primary', 'second'] } };
    const vs = vsWith([primary(), other, { ...primary(), name: 'second' }]);
    const { object } = editVirtualService(vs, spec, desired({ canaryWeight: 40 }));
    expect(weights(object, 0)).toEqual([60, 40]);
    expect(weights(object, 2)).toEqual([60, 40]);
    expect(object.spec?.http?.[1]).toEqual(other);
    expect(object.spec?.hosts).toEqual(['svc']);
  });

  it('keeps a zero-weight third destination', () => {
    const vs = vsWith([
      { name: 'primary', route: [dest('stable', 100), dest('canary', 0), dest('dark', 0)] },
    ]);
    const { object, issues } = editVirtualService(vs, hostSpec, desired({ canaryWeight: 5 }));
    expect(issues).toEqual([]);
    expect(weights(object)).toEqual([95, 5, 0]);
  });

  it('does not mutate its input (frozen) and returns a new object', () => {
    const vs = vsWith([primary()]);
    const { object } = editVirtualService(vs, hostSpec, desired({ canaryWeight: 20 }));
    expect(object).not.toBe(vs);
    expect(weights(vs)).toEqual([100, 0]);
  });
});

describe('editVirtualService issues', () => {
  const cases: [
    string,
    VirtualService,
    VirtualServiceEditSpec,
    { reason: string; path?: string; message: string },
  ][] = [
    [
      'named route not found',
      vsWith([primary()]),
      { ...hostSpec, virtualService: { name: 'vs', routes: ['nope'] } },
      { reason: 'RouteNotFound', path: 'spec.http', message: 'HTTP route "nope" not found' },
    ],
    [
      'no canary destination',
      vsWith([{ name: 'primary', route: [dest('stable', 100)] }]),
      hostSpec,
      {
        reason: 'DestinationNotFound',
        path: 'spec.http[0].route',
        message: 'Canary Service "canary" not found in route',
      },
    ],
    [
      'no stable destination',
      vsWith([{ name: 'primary', route: [dest('canary', 100)] }]),
      hostSpec,
      { reason: 'DestinationNotFound', message: 'Stable Service "stable" not found' },
    ],
    [
      'canary twice',
      vsWith([{ name: 'primary', route: [dest('stable', 50), dest('canary', 25), dest('canary.ns', 25)] }]),
      hostSpec,
      { reason: 'DuplicateDestination', message: 'appears 2 times' },
    ],
    [
      'third destination with weight',
      vsWith([{ name: 'primary', route: [dest('stable', 50), dest('canary', 0), dest('legacy', 50)] }]),
      hostSpec,
      {
        reason: 'UnexpectedDestination',
        path: 'spec.http[0].route[2].weight',
        message: 'destination "legacy" has weight 50',
      },
    ],
    [
      'several routes, none listed',
      vsWith([primary(), primary()]),
      { ...hostSpec, virtualService: { name: 'vs' } },
      { reason: 'AmbiguousRoute', path: 'spec.http', message: 'has 2 HTTP routes' },
    ],
    [
      'no route at all',
      vsWith([]),
      { ...hostSpec, virtualService: { name: 'vs' } },
      { reason: 'RouteNotFound', path: 'spec', message: 'has no route to split' },
    ],
    [
      'TLS route not found',
      vsWith([], { tls: [{ match: [{ port: 443, sniHosts: ['a'] }], route: [] }] }),
      { ...hostSpec, virtualService: { name: 'vs', tlsRoutes: [{ port: 443, sniHosts: ['b'] }] } },
      {
        reason: 'RouteNotFound',
        path: 'spec.tls',
        message: 'TLS route for port 443 and sniHosts [b] not found',
      },
    ],
    [
      'TCP route not found',
      vsWith([], { tcp: [{ match: [{ port: 1 }], route: [] }] }),
      { ...hostSpec, virtualService: { name: 'vs', tcpRoutes: [{ port: 2 }] } },
      { reason: 'RouteNotFound', path: 'spec.tcp', message: 'TCP route for port 2' },
    ],
    [
      'header route not in managedRoutes',
      vsWith([primary()]),
      hostSpec,
      { reason: 'UnmanagedRoute', message: 'header route "h" is not listed in trafficRouting.managedRoutes' },
    ],
  ];

  it.each(cases)('%s', (name, vs, spec, expected) => {
    const headerRoutes = name.startsWith('header')
      ? [{ name: 'h', match: [{ headerName: 'x', headerValue: { exact: '1' } }] }]
      : [];
    const result = editVirtualService(vs, spec, desired({ canaryWeight: 30, headerRoutes }));
    expect(result.issues).toEqual(issueMatchers([expected as never]));
    expect(result.object).toBe(vs);
  });

  it('reports additional subsets that hold more than the stable share', () => {
    const spec: VirtualServiceEditSpec = {
      virtualService: { name: 'vs', routes: ['primary'] },
      destinationRule: {
        name: 'dr',
        canarySubsetName: 'c',
        stableSubsetName: 's',
        additionalSubsetNames: ['x'],
      },
    };
    const route = [
      dest('h', 50, { subset: 's' }),
      dest('h', 0, { subset: 'c' }),
      dest('h', 50, { subset: 'x' }),
    ];
    const result = editVirtualService(
      vsWith([{ name: 'primary', route }]),
      spec,
      desired({ canaryWeight: 60 }),
    );
    expect(result.issues).toEqual(
      issueMatchers([{ reason: 'WeightOverflow', message: 'additional subsets hold weight 50' }]),
    );
  });

  it('needs a split HTTP route for a header route', () => {
    const spec = {
      ...hostSpec,
      virtualService: { name: 'vs', tcpRoutes: [{ port: 1 }] },
      managedRoutes: [{ name: 'h' }],
    };
    const vs = vsWith([], {
      tcp: [{ match: [{ port: 1 }], route: [dest('stable', 100), dest('canary', 0)] }],
    });
    const headerRoutes = [{ name: 'h', match: [{ headerName: 'x', headerValue: { exact: '1' } }] }];
    const result = editVirtualService(vs, spec, desired({ canaryWeight: 0, headerRoutes }));
    expect(result.issues).toEqual(
      issueMatchers([{ reason: 'NoHttpRoute', message: 'needs a split HTTP route' }]),
    );
  });
});
