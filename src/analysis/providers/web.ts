import { METRIC_DEFAULTS, type Metric, WEB_METHODS, type WebMetric } from '../../api/index.js';
import {
  parseWebUrl,
  REDACTED,
  type ResolvedArgs,
  type Result,
  redactSecrets,
  substituteArgs,
} from '../core/index.js';
import type { MeasuredValue } from '../core/types.js';
import type { MeasureContext, MetricProvider } from './provider.js';
import { readCappedBody } from './read-capped.js';
import { findJsonPath, parseJsonPath, type Segment } from './web-jsonpath.js';

/** Largest response body the web provider reads (1 MiB); a larger one is an error. */
export const MAX_WEB_RESPONSE_BYTES = 1024 * 1024;

/** Settings of the web provider. */
export interface WebConfig {
  /** Body size cap in bytes; default `MAX_WEB_RESPONSE_BYTES`. */
  readonly maxResponseBytes?: number;
}

interface WebRequest {
  readonly url: URL;
  /** The URL as shown in messages: no credentials, secret arguments redacted. */
  readonly shown: string;
  readonly init: { method: string; headers: Headers; body?: string };
  readonly timeoutMs: number;
  readonly jsonPath: readonly Segment[];
  readonly insecure: boolean;
  /** Header values and URL credentials; redacted from every message. */
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
  const secrets: string[] = [];
  for (const { key, value } of web.headers ?? []) {
    try {
      headers.set(key, value);
    } catch {
      return { ok: false, error: `invalid name or value for header ${JSON.stringify(key.slice(0, 64))}` };
    }
    secrets.push(value, ...value.split(/\s+/));
  }
  if ((url.username || url.password) && !headers.has('authorization')) {
    const basic = btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`);
    headers.set('Authorization', `Basic ${basic}`);
    secrets.push(basic, decodeURIComponent(url.password));
  }
  url.username = '';
  url.password = '';
  if (web.jsonBody !== undefined) headers.set('Content-Type', 'application/json');
  return { ok: true, value: { headers, secrets: secrets.filter((s) => s.length >= 4) } };
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

async function call(request: WebRequest, signal: AbortSignal, maxBytes: number): Promise<MeasuredValue> {
  const response = await fetch(request.url, { ...request.init, signal, redirect: 'follow' });
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    return { ok: false, error: `received non 2xx response code: ${response.status} from ${request.shown}` };
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
  const tlsHint =
    request.insecure && request.url.protocol === 'https:'
      ? ' (insecure: true is not supported yet; TLS certificates are always verified)'
      : '';
  return `${target} failed: ${base}${cause}${tlsHint}`;
}

function redactAll(text: string, secrets: readonly string[], args: ResolvedArgs): string {
  const withoutHeaders = secrets.reduce((acc, s) => acc.split(s).join(REDACTED), text);
  return redactSecrets(withoutHeaders, args);
}

async function measure(metric: Metric, context: MeasureContext, maxBytes: number): Promise<MeasuredValue> {
  const web = substituteArgs(metric.provider.web, context.args);
  if (!web.ok)
    return { ok: false, error: redactSecrets(`failed to resolve args: ${web.error}`, context.args) };
  if (web.value === undefined) return { ok: false, error: 'metric has no web provider' };
  const request = buildRequest(web.value, context.args);
  if (!request.ok) return { ok: false, error: redactSecrets(request.error, context.args) };
  const timeout = AbortSignal.timeout(request.value.timeoutMs);
  const signal = AbortSignal.any([timeout, context.signal]);
  let measured: MeasuredValue;
  try {
    measured = await call(request.value, signal, maxBytes);
  } catch (caught) {
    measured = { ok: false, error: describeFailure(caught, request.value, timeout, context.signal) };
  }
  return measured.ok
    ? measured
    : { ok: false, error: redactAll(measured.error, request.value.secrets, context.args) };
}

/**
 * The web provider: substitutes arguments into `provider.web`, sends GET/POST/PUT (http or https only)
 * with the headers and `body` or `jsonBody` (JSON content type), within `timeoutSeconds` (default 10) and
 * a 1 MiB body cap. A non-2xx status is an error. A JSON body yields the first value `jsonPath` (default
 * `{$}`) selects; any other body is the string itself. Never rejects; header values, URL credentials and
 * secret arguments never appear in errors.
 */
export function createWebProvider(config: WebConfig = {}): MetricProvider {
  const maxBytes = config.maxResponseBytes ?? MAX_WEB_RESPONSE_BYTES;
  return { type: 'web', measure: (metric, context) => measure(metric, context, maxBytes) };
}
