import { PromError } from './prometheus-error.js';
import { interpret, type PromResponse, readCapped, redact } from './prometheus-response.js';
import { sendRequest } from './transport.js';

export { PromError, type PromErrorKind } from './prometheus-error.js';
export { MAX_RESPONSE_BYTES, type PromResponse } from './prometheus-response.js';

export {
  formatGoFloat,
  formatResultValue,
  type PromLabels,
  type PromResult,
  type PromSeries,
  parseSampleValue,
} from './prometheus-value.js';

/** Argo's default Prometheus provider timeout (30 s). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Encoded parameters longer than this are sent as a POST form instead of a GET query string. */
export const MAX_GET_PARAMS_BYTES = 2048;

/** Options shared by instant and range queries. */
export interface PromRequestOptions {
  /** Extra request headers (e.g. `Authorization`); their values never appear in errors. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deadline for the whole request including the body; default `DEFAULT_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
  /** Caller cancellation (e.g. controller shutdown); reported as kind `aborted`. */
  readonly signal?: AbortSignal;
  /** Skip TLS certificate verification for this request only (the metric's `insecure: true`). */
  readonly insecure?: boolean;
  /** Credentials (passwords, tokens) masked in every message whatever their length. */
  readonly secrets?: readonly string[];
}

/** A time parameter: a Date, Unix seconds, or a string Prometheus accepts (RFC 3339 or Unix seconds). */
export type PromTime = Date | number | string;

/** Instant query options; without `time` Prometheus evaluates at its current time. */
export interface PromQueryOptions extends PromRequestOptions {
  readonly time?: PromTime;
}

/** Range query options; `step` is seconds or a Prometheus duration such as `"30s"`. */
export interface PromRangeOptions extends PromRequestOptions {
  readonly start: PromTime;
  readonly end: PromTime;
  readonly step: number | string;
}

const timeParam = (t: PromTime): string => (t instanceof Date ? (t.getTime() / 1000).toString() : String(t));

/**
 * Runs an instant query (`/api/v1/query`) against `address` (e.g. `http://prometheus:9090`, a path prefix
 * allowed). Resolves with the decoded result: scalar → number, vector → number[] (one per series, [] when
 * empty), string → string, with NaN/±Inf preserved. Rejects only with `PromError`.
 */
export function promQuery(
  address: string,
  query: string,
  options: PromQueryOptions = {},
): Promise<PromResponse> {
  const params = new URLSearchParams({ query });
  if (options.time !== undefined) params.set('time', timeParam(options.time));
  return request(address, '/api/v1/query', params, options);
}

/**
 * Runs a range query (`/api/v1/query_range`). Resolves with a matrix whose `value` is every sample of
 * every series flattened in order, and `series` keeps them apart. Rejects only with `PromError`.
 */
export function promRangeQuery(
  address: string,
  query: string,
  options: PromRangeOptions,
): Promise<PromResponse> {
  const params = new URLSearchParams({
    query,
    start: timeParam(options.start),
    end: timeParam(options.end),
    step: String(options.step),
  });
  return request(address, '/api/v1/query_range', params, options);
}

interface Target {
  readonly url: URL;
  /** The URL as shown in messages: no credentials, no query string. */
  readonly shown: string;
  readonly headers: Headers;
  /** Values to redact from any text that ends up in a message. */
  readonly secrets: readonly string[];
  readonly insecure: boolean;
}

function buildTarget(address: string, path: string, options: PromRequestOptions): Target {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new PromError('config', 'Prometheus address is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PromError('config', `Prometheus address must be http or https, got ${url.protocol}`);
  }
  const headers = new Headers({ Accept: 'application/json' });
  const hints: string[] = [];
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    try {
      headers.set(k, v);
    } catch {
      throw new PromError('config', `invalid name or value for header ${JSON.stringify(k.slice(0, 64))}`);
    }
    hints.push(v, ...v.split(/\s+/));
  }
  const credentials = [...(options.secrets ?? [])];
  if ((url.username !== '' || url.password !== '') && !headers.has('authorization')) {
    const password = decodeURIComponent(url.password);
    const basic = btoa(`${decodeURIComponent(url.username)}:${password}`);
    headers.set('Authorization', `Basic ${basic}`);
    credentials.push(basic, password);
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  // Header values may be plain settings ("1", "json"): only those of 4 characters or more are masked.
  const secrets = [...credentials, ...hints.filter((v) => v.length >= 4)];
  return { url, shown: url.toString(), headers, secrets, insecure: options.insecure === true };
}

async function request(
  address: string,
  path: string,
  params: URLSearchParams,
  options: PromRequestOptions,
): Promise<PromResponse> {
  const target = buildTarget(address, path, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await send(target, params, signal);
    const body = await readCapped(response, target.shown);
    return interpret(response.status, body, target.shown, target.secrets);
  } catch (caught) {
    throw classify(caught, { target, timeout, timeoutMs, options });
  }
}

function send(target: Target, params: URLSearchParams, signal: AbortSignal): Promise<Response> {
  const encoded = params.toString();
  if (encoded.length <= MAX_GET_PARAMS_BYTES) {
    const url = new URL(target.url);
    url.search = encoded;
    return sendRequest(url, { method: 'GET', headers: target.headers, signal }, target.insecure);
  }
  const headers = new Headers(target.headers);
  headers.set('Content-Type', 'application/x-www-form-urlencoded');
  return sendRequest(target.url, { method: 'POST', headers, body: encoded, signal }, target.insecure);
}

interface FailureContext {
  readonly target: Target;
  readonly timeout: AbortSignal;
  readonly timeoutMs: number;
  readonly options: PromRequestOptions;
}

function classify(caught: unknown, ctx: FailureContext): PromError {
  if (caught instanceof PromError) return caught;
  const { shown, secrets } = ctx.target;
  if (ctx.timeout.aborted) {
    return new PromError('timeout', `Prometheus query to ${shown} timed out after ${ctx.timeoutMs} ms`);
  }
  if (ctx.options.signal?.aborted === true) {
    return new PromError('aborted', `Prometheus query to ${shown} was aborted`);
  }
  const cause = caught instanceof Error && caught.cause instanceof Error ? caught.cause.message : '';
  const base = caught instanceof Error ? caught.message : String(caught);
  const detail = redact(cause === '' ? base : `${base}: ${cause}`, secrets);
  return new PromError('network', `Prometheus query to ${shown} failed: ${detail}`);
}
