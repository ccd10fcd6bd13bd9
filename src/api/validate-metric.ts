import type { Metric } from './analysis.js';
import { parseGoDuration } from './duration.js';
import { intOrStringToInt } from './int-or-string.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import { judgeConfigIssues } from './judge.js';
import { METRIC_PROVIDER_KEYS, type MetricProvider, WEB_METHODS } from './metric-providers.js';
import type { IntOrString } from './primitives.js';
import { isSupported, supportedText, unsupportedIn } from './unsupported.js';

const TEMPLATED = /\{\{.*\}\}/;

function durationIssues(value: string | undefined, path: FieldPath): Issue[] {
  if (value === undefined || TEMPLATED.test(value)) return [];
  const ms = parseGoDuration(value);
  if (ms === undefined)
    return [invalid(path, `must be a duration such as "30s", "1m" or "1h", got "${value}"`)];
  return ms < 0 ? [invalid(path, 'must not be negative')] : [];
}

type LimitField =
  | 'count'
  | 'failureLimit'
  | 'inconclusiveLimit'
  | 'consecutiveErrorLimit'
  | 'consecutiveSuccessLimit';

/** The integer value of a count/limit, `undefined` when absent or templated; `null` when malformed. */
function intValue(value: IntOrString | undefined): number | undefined | null {
  if (value === undefined || (typeof value === 'string' && TEMPLATED.test(value))) return undefined;
  return intOrStringToInt(value) ?? null;
}

function limitIssues(metric: Metric, path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  const fields: LimitField[] = [
    'count',
    'failureLimit',
    'inconclusiveLimit',
    'consecutiveErrorLimit',
    'consecutiveSuccessLimit',
  ];
  const values = new Map<LimitField, number>();
  for (const field of fields) {
    const value = intValue(metric[field]);
    if (value === null)
      issues.push(invalid([...path, field], `must be an integer or an {{args.…}} placeholder`));
    else if (value !== undefined) values.set(field, value);
  }
  const success = values.get('consecutiveSuccessLimit') ?? 0;
  for (const [field, value] of values) {
    const allowed = field === 'failureLimit' && value === -1 && success > 0;
    if (value < 0 && !allowed) {
      const hint = field === 'failureLimit' ? ' (-1 is allowed only with consecutiveSuccessLimit > 0)' : '';
      issues.push(invalid([...path, field], `must not be negative, got ${value}${hint}`));
    }
  }
  issues.push(...countIssues(metric, values, path));
  return issues;
}

function countIssues(metric: Metric, values: ReadonlyMap<LimitField, number>, path: FieldPath): Issue[] {
  const count = values.get('count');
  if (count === undefined || count === 0) return [];
  const issues: Issue[] = [];
  if (count > 1 && metric.interval === undefined) {
    issues.push(invalid([...path, 'interval'], `is required when count is greater than 1 (count: ${count})`));
  }
  const failure = Math.max(values.get('failureLimit') ?? 0, 0);
  const success = values.get('consecutiveSuccessLimit') ?? 0;
  if (count < failure + success) {
    issues.push(
      invalid(
        [...path, 'count'],
        `must be at least failureLimit + consecutiveSuccessLimit (${failure + success}), got ${count}`,
      ),
    );
  }
  const inconclusive = values.get('inconclusiveLimit') ?? 0;
  if (count < inconclusive) {
    issues.push(
      invalid([...path, 'count'], `must be at least inconclusiveLimit (${inconclusive}), got ${count}`),
    );
  }
  return issues;
}

function webIssues(web: NonNullable<MetricProvider['web']>, path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  if (web.url === '') issues.push(invalid([...path, 'url'], 'must not be empty'));
  const method = web.method ?? 'GET';
  if (!(WEB_METHODS as readonly string[]).includes(method)) {
    issues.push(invalid([...path, 'method'], `must be ${WEB_METHODS.join(', ')}, got "${method}"`));
  }
  if (web.body !== undefined && web.jsonBody !== undefined) {
    issues.push(invalid([...path, 'jsonBody'], 'set only one of body or jsonBody'));
  }
  if ((web.body !== undefined || web.jsonBody !== undefined) && method === 'GET') {
    issues.push(invalid([...path, 'method'], 'must be POST or PUT when a body is sent'));
  }
  return issues;
}

/** `provider.plugin`: exactly one plugin, one Vireo ships (its config checked), others `unsupported`. */
function pluginIssues(plugins: Record<string, unknown>, path: FieldPath): Issue[] {
  const names = Object.keys(plugins);
  const [name] = names;
  if (name === undefined || names.length > 1) {
    const found = name === undefined ? 'none' : names.join(' and ');
    return [
      invalid(path, `set exactly one plugin (supported: ${supportedText('metricPlugins')}); found ${found}`),
    ];
  }
  if (!isSupported('metricPlugins', name)) return [unsupportedIn('metricPlugins', [...path, name])];
  return judgeConfigIssues(plugins[name], [...path, name]);
}

type Authentication = NonNullable<NonNullable<MetricProvider['web']>['authentication']>;

const isSet = (value: object | undefined): boolean =>
  value !== undefined && Object.values(value).some((v) => v !== undefined && v !== '' && v !== null);

const REQUIRED_AUTH_FIELDS = {
  oauth2: ['tokenUrl', 'clientId', 'clientSecret'],
  basicAuth: ['username', 'password'],
  sigv4: [],
} as const;

/**
 * `authentication` at `path`: a mode the provider does not implement (`group` of `SUPPORTED`) is reported
 * when it holds any value; a mode it implements needs all its fields (OAuth2: `tokenUrl`, `clientId`,
 * `clientSecret`; basic auth: `username`, `password`).
 */
function authIssues(
  auth: Authentication | undefined,
  group: 'prometheusAuth' | 'webAuth',
  path: FieldPath,
): Issue[] {
  const issues: Issue[] = [];
  for (const mode of ['sigv4', 'oauth2', 'basicAuth'] as const) {
    const block: Record<string, unknown> | undefined = auth?.[mode];
    if (!isSet(block)) continue;
    if (!isSupported(group, mode)) {
      issues.push(unsupportedIn(group, [...path, mode]));
      continue;
    }
    const missing = REQUIRED_AUTH_FIELDS[mode].filter((field) => !block?.[field]);
    for (const field of missing) issues.push(invalid([...path, mode, field], `is required for ${mode}`));
  }
  return issues;
}

function providerIssues(provider: MetricProvider, path: FieldPath): Issue[] {
  const set = METRIC_PROVIDER_KEYS.filter((key) => provider[key] !== undefined);
  if (set.length !== 1) {
    const found = set.length === 0 ? 'none' : set.join(' and ');
    const supported = supportedText('metricProviders');
    return [invalid(path, `set exactly one provider (supported: ${supported}); found ${found}`)];
  }
  const key = set[0] as (typeof set)[number];
  if (!isSupported('metricProviders', key)) return [unsupportedIn('metricProviders', [...path, key])];
  if (provider.prometheus) {
    const prom = provider.prometheus;
    const auth = authIssues(prom.authentication, 'prometheusAuth', [...path, 'prometheus', 'authentication']);
    if (prom.query) return auth;
    return [invalid([...path, 'prometheus', 'query'], 'is required (a PromQL query)'), ...auth];
  }
  if (provider.web) {
    const auth = authIssues(provider.web.authentication, 'webAuth', [...path, 'web', 'authentication']);
    return [...webIssues(provider.web, [...path, 'web']), ...auth];
  }
  if (provider.plugin) return pluginIssues(provider.plugin, [...path, 'plugin']);
  if (provider.job && provider.job.spec.template === undefined) {
    return [invalid([...path, 'job', 'spec', 'template'], 'is required (the pod template of the Job)')];
  }
  return [];
}

/**
 * Checks one metric at `path`: parseable durations, integer counts and limits (placeholders allowed),
 * Argo's count/limit relations, and exactly one supported, well-formed provider.
 */
export function validateMetric(metric: Metric, path: FieldPath): Issue[] {
  return [
    ...durationIssues(metric.interval, [...path, 'interval']),
    ...durationIssues(metric.initialDelay, [...path, 'initialDelay']),
    ...limitIssues(metric, path),
    ...providerIssues(metric.provider, [...path, 'provider']),
  ];
}
