import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** Repository root, resolved from this file. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A mutable JSON object as read from YAML; loosely typed so table tests can edit any field. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely, then parsed by the schemas under test
export type Json = Record<string, any>;

/** All documents of a YAML file under the repository root. */
export function loadYaml(relative: string): Json[] {
  const text = readFileSync(join(repoRoot, relative), 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON() as Json | null)
    .filter((doc): doc is Json => doc !== null);
}

/** The `*.yaml` files directly in `examples/`. */
export function exampleFiles(): string[] {
  return readdirSync(join(repoRoot, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `examples/${f}`);
}

/**
 * A valid Rollout with Istio host-level routing, one managed route ("header", for the unsupported-step
 * cases) and one analysis step.
 */
export function aRollout(): Json {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo', namespace: 'default' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'demo' } },
      template: {
        metadata: { labels: { app: 'demo' } },
        spec: { containers: [{ name: 'demo', image: 'argoproj/rollouts-demo:blue' }] },
      },
      strategy: {
        canary: {
          canaryService: 'demo-canary',
          stableService: 'demo-stable',
          trafficRouting: {
            managedRoutes: [{ name: 'header' }],
            istio: { virtualService: { name: 'demo', routes: ['primary'] } },
          },
          steps: [
            { setWeight: 20 },
            { pause: { duration: '1m' } },
            { setWeight: 40 },
            { analysis: { templates: [{ templateName: 'error-rate' }] } },
          ],
        },
      },
    },
  };
}

/** A `setHeaderRoute` step on the baseline's managed route (Argo accepts it; Vireo reports it unsupported). */
export function aHeaderRouteStep(): Json {
  return {
    setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] },
  };
}

/** A valid AnalysisTemplate with one Prometheus metric. */
export function aTemplate(): Json {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'error-rate' },
    spec: {
      args: [{ name: 'canary-hash' }],
      metrics: [
        {
          name: 'error-rate',
          interval: '1m',
          count: 5,
          failureLimit: 2,
          successCondition: 'result[0] < 0.05',
          provider: { prometheus: { address: 'http://prometheus:9090', query: 'sum(up)' } },
        },
      ],
    },
  };
}

/** A deep copy of `base` after `edit` has changed it. */
export function edited(base: Json, edit: (obj: Json) => void): Json {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}
