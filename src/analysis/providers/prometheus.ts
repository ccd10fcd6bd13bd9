import { METRIC_DEFAULTS, type Metric, type PrometheusMetric, parseGoDuration } from '../../api/index.js';
import { redactText } from '../../util/redact.js';
import { REDACTED, type ResolvedArgs, type Result, redactSecrets, substituteArgs } from '../core/index.js';
import type { MeasuredValue } from '../core/types.js';
import { type Authorization, authorize } from './auth.js';
import { TokenCache } from './oauth2.js';
import {
  formatResultValue,
  PromError,
  type PromResponse,
  promQuery,
  promRangeQuery,
} from './prometheus-client.js';
import { evalTimeExpression } from './prometheus-range.js';
import type { MeasureContext, MetricProvider } from './provider.js';

/** Metadata key of the query as sent (arguments substituted, secrets shown as `*****`), as in Argo. */
export const RESOLVED_QUERY_KEY = 'ResolvedPrometheusQuery';

/** Controller-wide settings of the Prometheus provider, read once at start-up by the caller. */
export interface PrometheusConfig {
  /** Used when a metric sets no `address` (Argo's env `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`). */
  readonly defaultAddress?: string;
  /** OAuth2 tokens shared with other providers; default a cache of this provider's own. */
  readonly tokens?: TokenCache;
}

const AUTH_MODES = { provider: 'prometheus', group: 'prometheusAuth' } as const;

interface Request {
  readonly address: string;
  readonly query: string;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  readonly insecure: boolean;
  readonly range?: { readonly start: Date; readonly end: Date; readonly step: number };
}

/** The custom headers over the authentication's `Authorization`: Argo applies `headers` last. */
function headersOf(prom: PrometheusMetric, auth: Authorization): Record<string, string> {
  const headers: Record<string, string> = auth.header === undefined ? {} : { Authorization: auth.header };
  for (const h of prom.headers ?? []) headers[h.key] = h.value;
  return headers;
}

function rangeOf(prom: PrometheusMetric, now: Date): Result<Request['range']> {
  const range = prom.rangeQuery;
  if (range === undefined) return { ok: true, value: undefined };
  const start = evalTimeExpression(range.start ?? '', now);
  if (!start.ok) return { ok: false, error: `failed to parse rangeQuery.start as time: ${start.error}` };
  const end = evalTimeExpression(range.end ?? '', now);
  if (!end.ok) return { ok: false, error: `failed to parse rangeQuery.end as time: ${end.error}` };
  const stepMs = parseGoDuration(range.step ?? '');
  if (stepMs === undefined || stepMs <= 0) {
    return { ok: false, error: `failed to parse rangeQuery.step as duration: "${range.step ?? ''}"` };
  }
  return { ok: true, value: { start: start.value, end: end.value, step: stepMs / 1000 } };
}

function timeoutOf(prom: PrometheusMetric): Result<number> {
  if (prom.timeout === undefined || prom.timeout === 0) {
    return { ok: true, value: METRIC_DEFAULTS.prometheusTimeoutSeconds * 1000 };
  }
  if (prom.timeout < 0) return { ok: false, error: 'prometheus timeout should not be negative' };
  return { ok: true, value: prom.timeout * 1000 };
}

function buildRequest(prom: PrometheusMetric, config: PrometheusConfig, now: Date): Result<Request> {
  const address = prom.address || config.defaultAddress;
  if (!address) {
    const error =
      'prometheus address is not configured (set provider.prometheus.address or ARGO_ROLLOUTS_PROMETHEUS_ADDRESS)';
    return { ok: false, error };
  }
  if (!prom.query) return { ok: false, error: 'prometheus query is empty' };
  const timeoutMs = timeoutOf(prom);
  if (!timeoutMs.ok) return timeoutMs;
  const range = rangeOf(prom, now);
  if (!range.ok) return range;
  const base = {
    address,
    query: prom.query,
    headers: {},
    timeoutMs: timeoutMs.value,
    insecure: prom.insecure === true,
  };
  return { ok: true, value: range.value === undefined ? base : { ...base, range: range.value } };
}

function send(request: Request, context: MeasureContext, secrets: readonly string[]): Promise<PromResponse> {
  const { headers, timeoutMs, insecure } = request;
  const options = { headers, timeoutMs, insecure, secrets, signal: context.signal };
  if (request.range === undefined)
    return promQuery(request.address, request.query, { ...options, time: context.now });
  return promRangeQuery(request.address, request.query, { ...options, ...request.range });
}

function measuredFrom(response: PromResponse, metadata: Record<string, string>): MeasuredValue {
  if (response.resultType === 'string') {
    return { ok: false, error: 'Prometheus metric type not supported (string result)', metadata };
  }
  if (response.warnings.length > 0) metadata.warnings = response.warnings.map((w) => `"${w}"`).join(', ');
  return { ok: true, value: response.value, raw: formatResultValue(response), metadata };
}

function shownQuery(prom: PrometheusMetric | undefined, args: ResolvedArgs): string {
  const shown = substituteArgs(prom?.query ?? '', args, { redact: true });
  return shown.ok ? shown.value : (prom?.query ?? '');
}

async function measure(
  metric: Metric,
  context: MeasureContext,
  config: PrometheusConfig,
  tokens: TokenCache,
): Promise<MeasuredValue> {
  const metadata: Record<string, string> = {
    [RESOLVED_QUERY_KEY]: shownQuery(metric.provider.prometheus, context.args),
  };
  let secrets: readonly string[] = [];
  const fail = (error: string): MeasuredValue => ({
    ok: false,
    error: redactText(redactSecrets(error, context.args), secrets, REDACTED),
    metadata,
  });
  const prom = substituteArgs(metric.provider.prometheus, context.args);
  if (!prom.ok) return fail(`failed to resolve args: ${prom.error}`);
  if (prom.value === undefined) return fail('metric has no prometheus provider');
  const request = buildRequest(prom.value, config, context.now);
  if (!request.ok) return fail(request.error);
  const signal = AbortSignal.any([AbortSignal.timeout(request.value.timeoutMs), context.signal]);
  const { insecure } = request.value;
  const auth = await authorize(prom.value.authentication, AUTH_MODES, tokens, {
    ...context,
    signal,
    insecure,
  });
  if (!auth.ok) return fail(auth.error);
  secrets = auth.value.secrets;
  const authorized = { ...request.value, headers: headersOf(prom.value, auth.value) };
  try {
    return measuredFrom(await send(authorized, context, secrets), metadata);
  } catch (caught) {
    if (caught instanceof PromError && caught.status === 401 && auth.value.oauth2) {
      tokens.invalidate(auth.value.oauth2);
    }
    return fail(caught instanceof PromError ? caught.message : `prometheus query failed: ${String(caught)}`);
  }
}

/**
 * The Prometheus provider: substitutes arguments into `provider.prometheus`, runs an instant query at
 * `context.now` (or a range query over `rangeQuery` start/end/step), and returns Argo's value (scalar →
 * number, vector → number[], matrix → flattened number[]; string results are an error) with its text
 * form, the redacted resolved query and any warnings in metadata. Address falls back to
 * `config.defaultAddress`; timeout is `timeout` seconds (default 30). `authentication.oauth2` (token cached
 * in `config.tokens`) or `basicAuth` sets `Authorization`, which the metric's `headers` override, as in
 * Argo; `insecure: true` skips certificate verification for this metric only. Never rejects; no secrets
 * in errors.
 */
export function createPrometheusProvider(config: PrometheusConfig = {}): MetricProvider {
  const tokens = config.tokens ?? new TokenCache();
  return { type: 'prometheus', measure: (metric, context) => measure(metric, context, config, tokens) };
}
