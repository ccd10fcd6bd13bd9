import { type FieldPath, formatPath, type Issue } from './issues.js';
import { GATEWAY_API_PLUGIN } from './traffic-routing.js';

/**
 * What Vireo implements. This is the ONE place to change when a feature lands: adding an entry here (or
 * removing one from `UNSUPPORTED_FIELDS`) makes validation accept it. Every Argo feature missing from these
 * lists is reported as "… is not supported by Vireo (supported: …)", never silently ignored.
 */
export const SUPPORTED = {
  strategies: ['canary', 'blueGreen'],
  trafficRouters: ['istio', 'nginx', 'plugins', 'alb', 'smi', 'traefik', 'ambassador', 'appMesh', 'apisix'],
  trafficRouterPlugins: [GATEWAY_API_PLUGIN],
  gatewayApiConfigKeys: ['httpRoute', 'httpRoutes', 'namespace', 'configMap'],
  stepKinds: [
    'setWeight',
    'pause',
    'analysis',
    'experiment',
    'setCanaryScale',
    'setHeaderRoute',
    'setMirrorRoute',
  ],
  metricProviders: ['prometheus', 'web', 'job', 'plugin'],
  metricPlugins: ['vireo.dev/judge'],
  /** `provider.prometheus.authentication` modes (`sigv4` is not implemented). */
  prometheusAuth: ['oauth2', 'basicAuth'],
  /** `provider.web.authentication` modes (Argo's web provider reads only `oauth2`). */
  webAuth: ['oauth2'],
} as const satisfies Record<string, readonly string[]>;

/** The groups of `SUPPORTED`. */
export type SupportedGroup = keyof typeof SUPPORTED;

/**
 * Single fields Vireo does not implement yet, by path relative to the object, with what to use instead.
 * Remove an entry when its issue lands.
 */
export const UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {};

/** True when `name` (a strategy, router, plugin, step kind or provider) is in the `group` list of `SUPPORTED`. */
export function isSupported(group: SupportedGroup, name: string): boolean {
  return (SUPPORTED[group] as readonly string[]).includes(name);
}

/** The issue for an unsupported feature at `path`; `supported` lists the alternatives Vireo offers. */
export function unsupported(path: FieldPath, supported: string): Issue {
  const where = formatPath(path);
  return {
    path: where,
    message: `${where} is not supported by Vireo (supported: ${supported})`,
    kind: 'unsupported',
  };
}

/** The supported members of `group` as shown to users; `plugins`/`plugin` are spelled out with the plugin names. */
export function supportedText(group: SupportedGroup): string {
  const spelled = (key: string, names: readonly string[]) => names.map((n) => `${key}["${n}"]`).join(', ');
  const names = SUPPORTED[group] as readonly string[];
  return names
    .map((name) => {
      if (group === 'trafficRouters' && name === 'plugins')
        return spelled(name, SUPPORTED.trafficRouterPlugins);
      if (group === 'metricProviders' && name === 'plugin') return spelled(name, SUPPORTED.metricPlugins);
      return name;
    })
    .join(', ');
}

/** The issue for a member of `group` (e.g. a step kind or provider) Vireo does not implement. */
export function unsupportedIn(group: SupportedGroup, path: FieldPath): Issue {
  return unsupported(path, supportedText(group));
}

function valueAt(root: unknown, dotted: string): unknown {
  let current: unknown = root;
  for (const key of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Issues for every `UNSUPPORTED_FIELDS` path that is set in `object` (`false` booleans count as unset). */
export function unsupportedFieldIssues(object: unknown): Issue[] {
  const issues: Issue[] = [];
  for (const [path, instead] of Object.entries(UNSUPPORTED_FIELDS)) {
    const value = valueAt(object, path);
    if (value !== undefined && value !== false) issues.push(unsupported(path.split('.'), instead));
  }
  return issues;
}
