import { redactText } from '../../util/redact.js';
import { PromError } from './prometheus-error.js';
import { decodeResult, type PromResult, PromShapeError } from './prometheus-value.js';
import { readCappedBody } from './read-capped.js';

/** Largest response body read; larger bodies are a `bad_response` error. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** A decoded result plus the warnings Prometheus attached (Argo stores them in measurement metadata). */
export type PromResponse = PromResult & { readonly warnings: readonly string[] };

/**
 * Reads the body as UTF-8 text, refusing (and cancelling the stream) as soon as it passes
 * `MAX_RESPONSE_BYTES`, whether or not `Content-Length` announced it.
 */
export async function readCapped(response: Response, shown: string): Promise<string> {
  const text = await readCappedBody(response, MAX_RESPONSE_BYTES);
  if (text === undefined) {
    throw new PromError(
      'bad_response',
      `response from ${shown} exceeds ${MAX_RESPONSE_BYTES} bytes`,
      response.status,
    );
  }
  return text;
}

/** Replaces each secret (header values, credentials), in any encoding, with `*****`. */
export function redact(text: string, secrets: readonly string[]): string {
  return redactText(text, secrets, '*****');
}

function snippet(body: string, secrets: readonly string[]): string {
  const flat = redact(body, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function parseEnvelope(body: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function apiError(
  envelope: Readonly<Record<string, unknown>>,
  status: number,
  secrets: readonly string[],
): PromError {
  const errorType = typeof envelope.errorType === 'string' ? envelope.errorType : 'unknown';
  const detail = typeof envelope.error === 'string' ? snippet(envelope.error, secrets) : 'no detail';
  return new PromError(
    'prometheus',
    `Prometheus ${errorType} error (HTTP ${status}): ${detail}`,
    status,
    errorType,
  );
}

/**
 * Turns a status and body into a decoded response, or throws `PromError`: `prometheus` for an API error
 * envelope (any status), `http` for another non-2xx, `bad_response` for a 2xx that is not a well-formed
 * success envelope. Body excerpts in messages are truncated and have `secrets` redacted.
 */
export function interpret(
  status: number,
  body: string,
  shown: string,
  secrets: readonly string[],
): PromResponse {
  const envelope = parseEnvelope(body);
  if (envelope?.status === 'error') throw apiError(envelope, status, secrets);
  if (status < 200 || status > 299) {
    const text = body === '' ? '' : `: ${snippet(body, secrets)}`;
    throw new PromError('http', `Prometheus at ${shown} answered HTTP ${status}${text}`, status);
  }
  if (envelope?.status !== 'success') {
    throw new PromError('bad_response', `response from ${shown} is not a Prometheus API response`, status);
  }
  const warnings = Array.isArray(envelope.warnings)
    ? envelope.warnings.filter((w): w is string => typeof w === 'string')
    : [];
  try {
    return { ...decodeResult(envelope.data), warnings };
  } catch (e) {
    if (!(e instanceof PromShapeError)) throw e;
    throw new PromError('bad_response', `unexpected response from ${shown}: ${e.message}`, status);
  }
}
