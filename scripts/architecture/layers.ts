/**
 * The layers of `src/` (docs/architecture.md draws the same map). Dependencies point one way:
 * util, api ← cores ← adapters ← reconcilers ← entry points (main, compose, cli, config). Cores and api are
 * pure: no `node:*`, no Kubernetes client, no clock. Every folder of `src/` must be mapped here; an unmapped
 * one is an error, so a new folder is placed in a layer when it is created.
 */

/** A layer, by rank: a module may import only modules of its own rank or lower (plus the rules below). */
export type LayerName = 'util' | 'api' | 'core' | 'adapter' | 'reconciler' | 'entry';

/** Rank of each layer; imports go from a higher rank to a lower or equal one. */
export const LAYER_RANK: Readonly<Record<LayerName, number>> = {
  util: 0,
  api: 1,
  core: 2,
  adapter: 3,
  reconciler: 4,
  entry: 5,
};

/** Layers whose modules must be pure (no `node:*`, no Kubernetes client, no clock, no `process`). */
export const PURE_LAYERS: ReadonlySet<LayerName> = new Set(['api', 'core']);

/**
 * Where each path under `src/` belongs: the first rule whose pattern matches wins. Patterns are
 * `src/`-relative; `*` matches within one path segment, a `**` segment any number of segments.
 * `feature` groups the modules that may import each other across reconcilers (a reconciler never imports
 * another feature's reconciler) and across cores (see `CORE_IMPORTS`).
 */
export const LAYER_RULES: readonly { pattern: string; layer: LayerName; feature: string }[] = [
  { pattern: 'util/**', layer: 'util', feature: 'util' },
  { pattern: 'api/**', layer: 'api', feature: 'api' },
  { pattern: 'rollout/core/**', layer: 'core', feature: 'rollout' },
  { pattern: 'rollout/plan/**', layer: 'core', feature: 'rollout' },
  { pattern: 'rollout/bluegreen/**', layer: 'core', feature: 'rollout' },
  { pattern: 'rollout/reconcile/**', layer: 'reconciler', feature: 'rollout' },
  { pattern: 'analysis/condition/**', layer: 'core', feature: 'analysis' },
  { pattern: 'analysis/core/**', layer: 'core', feature: 'analysis' },
  { pattern: 'analysis/judge/**', layer: 'core', feature: 'analysis' },
  { pattern: 'analysis/providers/**', layer: 'adapter', feature: 'analysis' },
  { pattern: 'analysis/runs/**', layer: 'adapter', feature: 'analysis' },
  { pattern: 'analysis/reconcile/**', layer: 'reconciler', feature: 'analysis' },
  { pattern: 'experiment/core/**', layer: 'core', feature: 'experiment' },
  { pattern: 'experiment/reconcile/**', layer: 'reconciler', feature: 'experiment' },
  { pattern: 'traffic/*/router.ts', layer: 'adapter', feature: 'traffic' },
  { pattern: 'traffic/router-set.ts', layer: 'adapter', feature: 'traffic' },
  { pattern: 'traffic/create-routers.ts', layer: 'adapter', feature: 'traffic' },
  { pattern: 'traffic/object-edits.ts', layer: 'adapter', feature: 'traffic' },
  { pattern: 'traffic/**', layer: 'core', feature: 'traffic' },
  { pattern: 'kube/**', layer: 'adapter', feature: 'kube' },
  { pattern: 'server/**', layer: 'adapter', feature: 'server' },
  { pattern: 'gitops/annotations.ts', layer: 'core', feature: 'gitops' },
  { pattern: 'gitops/**', layer: 'reconciler', feature: 'gitops' },
  { pattern: 'notify/model.ts', layer: 'core', feature: 'notify' },
  { pattern: 'notify/state.ts', layer: 'core', feature: 'notify' },
  { pattern: 'notify/subscriptions.ts', layer: 'core', feature: 'notify' },
  { pattern: 'notify/**', layer: 'reconciler', feature: 'notify' },
  { pattern: 'config/**', layer: 'entry', feature: 'config' },
  { pattern: 'cli/**', layer: 'entry', feature: 'cli' },
  { pattern: 'dashboard/**', layer: 'entry', feature: 'dashboard' },
  { pattern: 'compose.ts', layer: 'entry', feature: 'main' },
  { pattern: 'main.ts', layer: 'entry', feature: 'main' },
];

/** Which other features' cores a core may import (the rollout planner uses the analysis, traffic and experiment cores). */
export const CORE_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  rollout: ['analysis', 'traffic', 'experiment'],
  analysis: [],
  experiment: ['analysis', 'rollout'],
  gitops: [],
  notify: [],
  traffic: [],
};

/** Modules only the composition root (entry layer) may import: the concrete router factory and routers. */
export const COMPOSITION_ONLY: readonly string[] = ['traffic/create-routers.ts', 'traffic/*/router.ts'];

/** Entry-point folders that must not reach into reconcilers (they use cores and adapters only). */
export const NO_RECONCILER_IMPORTS: readonly string[] = ['cli/**', 'config/**', 'dashboard/**'];

/**
 * Modules the CLI loads only on demand (`import()`), so a one-shot verb on the fast path never loads the
 * Kubernetes client (docs/plugin.md, Performance); `watch-client.ts` is itself loaded on demand.
 */
export const LAZY_ONLY: { in: string; except: readonly string[]; modules: readonly string[] } = {
  in: 'cli/**',
  except: ['cli/watch-client.ts'],
  modules: ['@kubernetes/client-node', 'src/kube/client.ts'],
};

/** Max file length: more than `warn` lines is reported, more than `error` fails. */
export const MAX_LINES = { warn: 300, error: 500 } as const;

/** Function length reported as a warning (the aim is at most this many lines). */
export const MAX_FUNCTION_LINES = 40;

/**
 * True when the `src/`-relative `path` matches `pattern`: `*` is any run of characters but `/`, a `**`
 * segment any number of segments (a trailing one: everything below). Examples: the pattern of the router
 * adapters matches `traffic/istio/router.ts`, not `traffic/router.ts`; `kube/**` matches `kube/client.ts`.
 */
export function matches(pattern: string, path: string): boolean {
  const parts = pattern.split('/');
  const source = parts
    .map((part, i) => {
      const last = i === parts.length - 1;
      if (part === '**') return last ? '.*' : '(?:[^/]+/)*';
      const literal = part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
      return last ? literal : `${literal}/`;
    })
    .join('');
  return new RegExp(`^${source}$`).test(path);
}

/** The layer and feature of a `src/`-relative path, or undefined when no rule maps it. */
export function layerOf(path: string): { layer: LayerName; feature: string } | undefined {
  const rule = LAYER_RULES.find((r) => matches(r.pattern, path));
  return rule === undefined ? undefined : { layer: rule.layer, feature: rule.feature };
}
