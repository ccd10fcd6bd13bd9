import { METRIC_DEFAULTS, type Metric, WEB_METHODS, type WebMetric } from '../../api/index.js';
import { redactText } from '../../util/redact.js';
import {
  parseWebUrl,
  REDACTED,
  type ResolvedArgs,
  type Result,
  redactSecrets,
  substituteArgs,
} from '../core/index.js';
import type { MeasuredValue } from '../core/types.js';
import { type Authorization, authorize } from './auth.js';
import { TokenCache } from './oauth2.js';
import type { MeasureContext, MetricProvider } from './provider.js';
import { readCappedBody } from './read-capped.js';
import { sendRequest } from './transport.js';
import { findJsonPath, parseJsonPath, type Segment } from './web-jsonpath.js';

/** Largest response body the web provider reads (1 MiB); a larger one is an error. */
export const MAX_WEB_RESPONSE_BYTES = 1024 * 1024;

/** Settings of the web provider. */
export interface WebConfig {
  /** Body size cap in bytes; default `MAX_WEB_RESPONSE_BYTES`. */
  readonly maxResponseBytes?: number;
  /** OAuth2 tokens shared with other providers; default a cache of this provider's own. */
  readonly tokens?: TokenCache;
}

const AUTH_MODES = { provider: 'web', group: 'webAuth' } as const;

interface WebRequest {
  readonly url: URL;
  /** The URL as shown in messages: no credentials, secret arguments redacted. */
  readonly shown: string;
  readonly init: { method: string; headers: Headers; body?: string };
  readonly timeoutMs: number;
  readonly jsonPath: readonly Segment[];
  readonly insecure: boolean;
  /** Header values (4 characters or more) and URL credentials; redacted from every message. */
  readonly secrets: readonly string[];
}

function checkShape(web: WebMetric): Result<string> {
  const method = web.method || METRIC_DEFAULTS.webMethod;
  if (!(WEB_METHODS as readonly string[]).includes(method)) {
    return { ok: false, error: `web metric method must be ${WEB_METHODS.join(', ')}, got "${method}"` };
  }
  const hasBody = Boolean(web.body) || web.jsonBody !== undefined;
  if (web.body && web.jsonBody !== undefined) {
    return { ok: false, error: 'use either body or jsonBody; both cannot exist for a web metric payload' };
  }
  if (hasBody && method === 'GET') {
    return { ok: false, error: 'body/jsonBody can only be used with the POST or PUT web metric methods' };
  }
  return { ok: true, value: method };
}

function headersOf(web: WebMetric, url: URL): Result<{ headers: Headers; secrets: string[] }> {
  const headers = new Headers();
  const hints: string[] = [];
  for (const { key, value } of web.headers ?? []) {
    try {
      headers.set(key, value);
    } catch {
      return { ok: false, error: `invalid name or value for header ${JSON.stringify(key.slice(0, 64))}` };
    }
    hints.push(value, ...value.split(/\s+/));
  }
  // Header values may be plain settings ("1", "json"): only those of 4 characters or more are masked.
  const secrets = hints.filter((s) => s.length >= 4);
  if ((url.username || url.password) && !headers.has('authorization')) {
    const basic = btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`);
    headers.set('Authorization', `Basic ${basic}`);
    secrets.push(basic, decodeURIComponent(url.password));
  }
  url.username = '';
  url.password = '';
  if (web.jsonBody !== undefined) headers.set('Content-Type', 'application/json');
  return { ok: true, value: { headers, secrets } };
}

function buildRequest(web: WebMetric, args: ResolvedArgs): Result<WebRequest> {
  const method = checkShape(web);
  if (!method.ok) return method;
  const url = parseWebUrl(web.url);
  if (!url.ok) return url;
  const headers = headersOf(web, url.value);
  if (!headers.ok) return headers;
  const jsonPath = parseJsonPath(web.jsonPath || METRIC_DEFAULTS.webJsonPath);
  if (!jsonPath.ok) return jsonPath;
  const body = web.jsonBody !== undefined ? JSON.stringify(web.jsonBody) : web.body || undefined;
  const seconds = web.timeoutSeconds !== undefined && web.timeoutSeconds > 0 ? web.timeoutSeconds : undefined;
  return {
    ok: true,
    value: {
      url: url.value,
      shown: redactSecrets(url.value.toString(), args),
      init: { method: method.value, headers: headers.value.headers, ...(body === undefined ? {} : { body }) },
      timeoutMs: (seconds ?? METRIC_DEFAULTS.webTimeoutSeconds) * 1000,
      jsonPath: jsonPath.value,
      insecure: web.insecure === true,
      secrets: headers.value.secrets,
    },
  };
}

function interpret(text: string, jsonPath: readonly Segment[]): MeasuredValue {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: true, value: text, raw: text };
  }
  const found = findJsonPath(jsonPath, doc);
  if (!found.ok) return { ok: false, error: `could not find JSONPath in body: ${found.error}` };
  if (found.value.length === 0) return { ok: false, error: 'result of web metric produced no value' };
  const value = found.value[0];
  return { ok: true, value, raw: JSON.stringify(value) };
}

/** What the measurement got back; `status` tells a refused token apart. */
type Called = MeasuredValue & { readonly status?: number };

async function call(request: WebRequest, signal: AbortSignal, maxBytes: number): Promise<Called> {
  const response = await sendRequest(request.url, { ...request.init, signal }, request.insecure);
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    const error = `received non 2xx response code: ${response.status} from ${request.shown}`;
    return { ok: false, error, status: response.status };
  }
  const text = await readCappedBody(response, maxBytes);
  if (text === undefined)
    return { ok: false, error: `response from ${request.shown} exceeds ${maxBytes} bytes` };
  return interpret(text, request.jsonPath);
}

function describeFailure(
  caught: unknown,
  request: WebRequest,
  timeout: AbortSignal,
  caller: AbortSignal,
): string {
  const target = `web metric request to ${request.shown}`;
  if (timeout.aborted) return `${target} timed out after ${request.timeoutMs / 1000} s`;
  if (caller.aborted) return `${target} was aborted`;
  const base = caught instanceof Error ? caught.message : String(caught);
  const cause = caught instanceof Error && caught.cause instanceof Error ? `: ${caught.cause.message}` : '';
  return `${target} failed: ${base}${cause}`;
}

function redactAll(text: string, secrets: readonly string[], args: ResolvedArgs): string {
  return redactSecrets(redactText(text, secrets, REDACTED), args);
}

/** The request with the authentication's `Authorization`, which wins over `headers` as in Argo's client. */
function authorized(request: WebRequest, auth: Authorization): WebRequest {
  if (auth.header === undefined) return request;
  const headers = new Headers(request.init.headers);
  headers.set('Authorization', auth.header);
  return { ...request, init: { ...request.init, headers }, secrets: [...request.secrets, ...auth.secrets] };
}

async function send(
  request: WebRequest,
  auth: Authorization,
  context: MeasureContext,
  deps: Deps,
): Promise<MeasuredValue> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([timeout, context.signal]);
  try {
    const called = await call(request, signal, deps.maxBytes);
    if (!called.ok && called.status === 401 && auth.oauth2) deps.tokens.invalidate(auth.oauth2);
    return called.ok ? called : { ok: false, error: called.error };
  } catch (caught) {
    return { ok: false, error: describeFailure(caught, request, timeout, context.signal) };
  }
}

interface Deps {
  readonly maxBytes: number;
  readonly tokens: TokenCache;
}

async function measure(metric: Metric, context: MeasureContext, deps: Deps): Promise<MeasuredValue> {
  const web = substituteArgs(metric.provider.web, context.args);
  if (!web.ok)
    return { ok: false, error: redactSecrets(`failed to resolve args: ${web.error}`, context.args) };
  if (web.value === undefined) return { ok: false, error: 'metric has no web provider' };
  const built = buildRequest(web.value, context.args);
  if (!built.ok) return { ok: false, error: redactSecrets(built.error, context.args) };
  const { insecure, timeoutMs } = built.value;
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), context.signal]);
  const auth = await authorize(web.value.authentication, AUTH_MODES, deps.tokens, {
    ...context,
    signal,
    insecure,
  });
  if (!auth.ok) return { ok: false, error: redactAll(auth.error, built.value.secrets, context.args) };
  const request = authorized(built.value, auth.value);
  const measured = await send(request, auth.value, context, deps);
  return measured.ok
    ? measured
    : { ok: false, error: redactAll(measured.error, request.secrets, context.args) };
}

/**
 * The web provider: substitutes arguments into `provider.web`, sends GET/POST/PUT (http or https only)
 * with the headers and `body` or `jsonBody` (JSON content type), within `timeoutSeconds` (default 10) and
 * a 1 MiB body cap. A non-2xx status is an error. A JSON body yields the first value `jsonPath` (default
 * `{$}`) selects; any other body is the string itself. `authentication.oauth2` adds a client-credentials
 * token (cached in `config.tokens`; it wins over an `Authorization` header, as in Argo); `insecure: true`
 * skips certificate verification for this metric only. Never rejects; header values, URL credentials,
 * tokens, client secrets and secret arguments never appear in errors.
 */
export function createWebProvider(config: WebConfig = {}): MetricProvider {
  const deps = {
    maxBytes: config.maxResponseBytes ?? MAX_WEB_RESPONSE_BYTES,
    tokens: config.tokens ?? new TokenCache(),
  };
  return { type: 'web', measure: (metric, context) => measure(metric, context, deps) };
}
