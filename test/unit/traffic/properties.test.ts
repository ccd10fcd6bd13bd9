import { describe, expect, it } from 'vitest';
import { editHTTPRoute } from '../../../src/traffic/gatewayapi/http-route.js';
import type { HttpRouteRule } from '../../../src/traffic/gatewayapi/types.js';
import type { RouteDestination, VirtualService, VsHttpRoute } from '../../../src/traffic/istio/types.js';
import {
  editVirtualService,
  type VirtualServiceEditSpec,
} from '../../../src/traffic/istio/virtual-service.js';
import { buildCanaryIngress } from '../../../src/traffic/nginx/canary-ingress.js';
import type { IngressRule } from '../../../src/traffic/nginx/ingress-types.js';
import { desired, frozenCopy, intIn, seededRandom } from './helpers.js';

const RUNS = 400;
const MANAGED = ['m1', 'm2', 'm3'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[intIn(random, 0, items.length - 1)] as T;
}

function subset<T>(random: () => number, items: readonly T[]): T[] {
  return items.filter(() => random() < 0.5).sort(() => random() - 0.5);
}

function randomDest(random: () => number, hosts: readonly string[]): RouteDestination {
  return { destination: { host: pick(random, hosts) }, weight: intIn(random, 0, 100) };
}

interface VsLayout {
  vs: VirtualService;
  spec: VirtualServiceEditSpec;
  third: boolean;
  userRoutes: VsHttpRoute[];
}

function randomVs(random: () => number): VsLayout {
  const third = random() < 0.15;
  const split: RouteDestination[] = [randomDest(random, ['stable']), randomDest(random, ['canary.ns.svc'])];
  if (random() < 0.3) split.push({ destination: { host: 'dark' }, weight: 0 });
  if (third) split.push({ destination: { host: 'legacy' }, weight: intIn(random, 1, 50) });
  const userRoutes: VsHttpRoute[] = Array.from({ length: intIn(random, 0, 4) }, (_, i) => ({
    name: `u${i}`,
    route: Array.from({ length: intIn(random, 1, 3) }, () => randomDest(random, ['x', 'stable', 'canary'])),
  }));
  userRoutes.splice(intIn(random, 0, userRoutes.length), 0, {
    name: 'primary',
    route: split.sort(() => random() - 0.5),
  });
  const managedRoutes = subset(random, MANAGED).map((name) => ({ name }));
  const stale = subset(random, managedRoutes).map(({ name }) => ({
    name,
    route: [{ destination: { host: 'canary' }, weight: 100 }],
  }));
  const http = [...stale, ...userRoutes];
  const spec: VirtualServiceEditSpec = {
    virtualService: { name: 'vs', routes: ['primary'] },
    canaryService: 'canary',
    stableService: 'stable',
    managedRoutes,
  };
  return {
    vs: frozenCopy({ metadata: { name: 'vs' }, spec: { hosts: ['h'], http } }),
    spec,
    third,
    userRoutes,
  };
}

describe('VirtualService invariants over random layouts', () => {
  it(`holds for ${RUNS} seeded cases`, () => {
    const random = seededRandom(20240501);
    for (let run = 0; run < RUNS; run++) {
      const { vs, spec, third, userRoutes } = randomVs(random);
      const max = pick(random, [100, 100, 1000]);
      const managed = (spec.managedRoutes ?? []).map((r) => r.name);
      const headerRoutes = subset(random, managed).map((name) => ({
        name,
        match: [{ headerName: 'x', headerValue: { exact: name } }],
      }));
      const want = desired({ canaryWeight: intIn(random, 0, max), maxTrafficWeight: max, headerRoutes });
      const { object, issues } = editVirtualService(vs, spec, want);
      if (third) {
        expect(issues.map((i) => i.reason)).toEqual(['UnexpectedDestination']);
        expect(object).toBe(vs);
        continue;
      }
      expect(issues).toEqual([]);
      const http = object.spec?.http ?? [];
      const managedNow = http.filter((r) => managed.includes(r.name ?? ''));
      expect(managedNow.map((r) => r.name)).toEqual(
        managed.filter((n) => headerRoutes.some((h) => h.name === n)),
      );
      expect(http.slice(0, managedNow.length)).toEqual(managedNow);
      const rest = http.slice(managedNow.length);
      expect(rest.map((r) => r.name)).toEqual(userRoutes.map((r) => r.name));
      rest.forEach((route, i) => {
        if (route.name !== 'primary') expect(route).toEqual(userRoutes[i]);
      });
      const primary = rest.find((r) => r.name === 'primary')?.route ?? [];
      const sum = primary.reduce((total, d) => total + (d.weight ?? 0), 0);
      expect(sum).toBe(max);
      expect(primary.find((d) => d.destination?.host?.startsWith('canary'))?.weight).toBe(want.canaryWeight);
      expect(editVirtualService(frozenCopy(object), spec, want).object).toEqual(object);
      expect({ ...object, spec: { ...object.spec, http: undefined } }).toEqual({
        ...vs,
        spec: { ...vs.spec, http: undefined },
      });
    }
  });
});

function randomRules(random: () => number): { rules: HttpRouteRule[]; third: boolean } {
  const third = random() < 0.15;
  const refs = [
    { name: 'stable', weight: intIn(random, 0, 100) },
    { name: 'canary', weight: intIn(random, 0, 100) },
    ...(random() < 0.3 ? [{ name: 'dark', weight: 0 }] : []),
    ...(third ? [{ name: 'legacy' }] : []),
  ].sort(() => random() - 0.5);
  const others: HttpRouteRule[] = Array.from({ length: intIn(random, 0, 3) }, (_, i) => ({
    matches: [{ path: { type: 'PathPrefix', value: `/o${i}` } }],
    backendRefs: [{ name: pick(random, ['stable', 'canary', 'x']), weight: intIn(random, 0, 9) }],
  }));
  others.splice(intIn(random, 0, others.length), 0, { backendRefs: refs });
  return { rules: others, third };
}

describe('HTTPRoute invariants over random layouts', () => {
  it(`holds for ${RUNS} seeded cases`, () => {
    const random = seededRandom(7);
    const spec = { canaryService: 'canary', stableService: 'stable' };
    for (let run = 0; run < RUNS; run++) {
      const { rules, third } = randomRules(random);
      const route = frozenCopy({ metadata: { name: 'r' }, spec: { hostnames: ['h'], rules } });
      const max = pick(random, [100, 1000]);
      const want = desired({ canaryWeight: intIn(random, 0, max), maxTrafficWeight: max });
      const { object, issues } = editHTTPRoute(route, spec, want);
      if (third) {
        expect(issues.map((i) => i.reason)).toEqual(['UnexpectedDestination']);
        continue;
      }
      expect(issues).toEqual([]);
      (object.spec?.rules ?? []).forEach((rule, i) => {
        const refs = rule.backendRefs ?? [];
        if (refs.length === 1) {
          expect(rule).toEqual(rules[i]);
          return;
        }
        expect(refs.reduce((total, r) => total + (r.weight ?? 1), 0)).toBe(max);
        expect(refs.find((r) => r.name === 'canary')?.weight).toBe(want.canaryWeight);
      });
      expect(editHTTPRoute(frozenCopy(object), spec, want).object).toEqual(object);
    }
  });
});

describe('canary Ingress invariants over random layouts', () => {
  it(`holds for ${RUNS} seeded cases`, () => {
    const random = seededRandom(99);
    const input = {
      rolloutName: 'ro',
      canaryService: 'canary',
      stableService: 'stable',
      nginx: { stableIngress: 'web' },
    };
    for (let run = 0; run < RUNS; run++) {
      const rules: IngressRule[] = Array.from({ length: intIn(random, 1, 4) }, (_, r) => ({
        host: `h${r}`,
        http: {
          paths: Array.from({ length: intIn(random, 1, 3) }, (_, p) => ({
            path: `/p${p}`,
            backend: { service: { name: pick(random, ['stable', 'other']), port: { number: 80 } } },
          })),
        },
      }));
      const stablePaths = rules
        .flatMap((r) => r.http?.paths ?? [])
        .filter((p) => p.backend?.service?.name === 'stable');
      const weight = intIn(random, 0, 100);
      const stable = frozenCopy({
        apiVersion: 'networking.k8s.io/v1',
        metadata: { name: 'web' },
        spec: { rules },
      });
      const { object, issues } = buildCanaryIngress(stable, input, desired({ canaryWeight: weight }));
      if (stablePaths.length === 0) {
        expect(object).toBeUndefined();
        expect(issues.map((i) => i.reason)).toEqual(['BackendNotFound']);
        continue;
      }
      const paths = (object?.spec?.rules ?? []).flatMap((r) => r.http?.paths ?? []);
      expect(paths.map((p) => p.path)).toEqual(stablePaths.map((p) => p.path));
      expect(paths.every((p) => p.backend?.service?.name === 'canary')).toBe(true);
      expect(object?.metadata?.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe(
        String(weight),
      );
    }
  });
});
