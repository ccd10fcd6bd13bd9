import { describe, expect, it } from 'vitest';
import type { AlbEditSpec } from '../../../src/traffic/alb/actions.js';
import { editAlbIngress } from '../../../src/traffic/alb/ingress.js';
import { editHTTPRoute, type HttpRouteEditSpec } from '../../../src/traffic/gatewayapi/http-route.js';
import { editDestinationRule } from '../../../src/traffic/istio/destination-rule.js';
import type { IstioDestinationRuleRef } from '../../../src/traffic/istio/route-select.js';
import {
  editVirtualService,
  type VirtualServiceEditSpec,
} from '../../../src/traffic/istio/virtual-service.js';
import { buildCanaryIngress, type CanaryIngressInput } from '../../../src/traffic/nginx/canary-ingress.js';
import type { Ingress } from '../../../src/traffic/nginx/ingress-types.js';
import type { EditResult } from '../../../src/traffic/router.js';
import {
  editTrafficSplit,
  type TrafficSplit,
  type TrafficSplitSpec,
} from '../../../src/traffic/smi/traffic-split.js';
import {
  editTraefikService,
  type TraefikEditSpec,
  type TraefikService,
} from '../../../src/traffic/traefik/traefik-service.js';
import { desired, frozenCopy, type GoldenCase, goldenCases, issueMatchers } from './helpers.js';

type Runner = (c: GoldenCase) => EditResult<unknown>;

const runners: Record<string, Runner> = {
  'istio-vs': (c) =>
    editVirtualService(frozenCopy(c.before), c.spec as unknown as VirtualServiceEditSpec, desired(c.desired)),
  'istio-dr': (c) => {
    const spec = c.spec as { destinationRule: IstioDestinationRuleRef; managedBy?: string };
    const options = spec.managedBy === undefined ? {} : { managedBy: spec.managedBy };
    return editDestinationRule(frozenCopy(c.before), spec.destinationRule, desired(c.desired), options);
  },
  nginx: (c) => {
    const spec = c.spec as { input: CanaryIngressInput };
    return buildCanaryIngress(frozenCopy(c.before), spec.input, desired(c.desired));
  },
  gatewayapi: (c) =>
    editHTTPRoute(frozenCopy(c.before), c.spec as unknown as HttpRouteEditSpec, desired(c.desired)),
  alb: (c) =>
    editAlbIngress(frozenCopy(c.before) as Ingress, c.spec as unknown as AlbEditSpec, desired(c.desired)),
  smi: (c) => {
    const spec = c.spec as unknown as TrafficSplitSpec;
    const before = frozenCopy(c.before) as TrafficSplit;
    return { object: editTrafficSplit(before, spec, desired(c.desired), 'shop'), issues: [] };
  },
  traefik: (c) =>
    editTraefikService(
      frozenCopy(c.before) as TraefikService,
      c.spec as unknown as TraefikEditSpec,
      desired(c.desired),
    ),
};

describe.each(Object.keys(runners))('golden %s', (folder) => {
  const run = runners[folder] as Runner;
  it.each(goldenCases(folder).map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const result = run(c);
    if (c.issues !== undefined) {
      expect(result.issues).toEqual(issueMatchers(c.issues));
      if (folder !== 'nginx') expect(result.object).toEqual(c.before);
      return;
    }
    expect(result.issues).toEqual([]);
    expect(result.object).toEqual(c.after);
  });

  const editable = folder === 'nginx' ? [] : goldenCases(folder).filter((c) => c.after !== undefined);
  it.each(editable.map((c) => [c.file, c] as const))('%s is idempotent', (_file, c) => {
    const once = run(c).object;
    expect(run({ ...c, before: once as Record<string, unknown> }).object).toEqual(once);
  });
});

describe('golden fixtures', () => {
  it('cover every router', () => {
    for (const folder of Object.keys(runners)) expect(goldenCases(folder).length).toBeGreaterThan(1);
  });
});
