import { redactText } from '../util/redact.js';
import type { OutgoingRequest } from './payload.js';

/** The outcome of one attempt; `reason` is safe to log (no URL, header or body). */
export type AttemptResult = { ok: true } | { ok: false; reason: string };

/**
 * Replaces each secret of 4 characters or more (the list mixes Secret values with URLs and header values,
 * which may be short plain settings), in any encoding `redactText` knows, with `[redacted]`.
 */
export function redact(text: string, secrets: readonly string[]): string {
  return redactText(
    text,
    secrets.filter((s) => s.length >= 4),
    '[redacted]',
  );
}

function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}

async function slackRejection(res: Response): Promise<string | undefined> {
  if (!(res.headers.get('content-type') ?? '').includes('json')) return undefined;
  const body = (await res.json().catch(() => undefined)) as { ok?: unknown; error?: unknown } | undefined;
  if (body?.ok !== false) return undefined;
  return `rejected by the API (${typeof body.error === 'string' ? body.error.slice(0, 60) : 'unknown'})`;
}

/**
 * Sends `req` with a hard per-attempt timeout (connect, headers and body included). 2xx is success,
 * except a JSON answer `{"ok": false}` (Slack's API). Never throws; the failure reason names only the
 * HTTP status, the timeout or the socket error code, and is redacted of `secrets` for good measure.
 */
export async function sendRequest(
  req: OutgoingRequest,
  timeoutMs: number,
  secrets: readonly string[],
): Promise<AttemptResult> {
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, reason: `HTTP ${res.status}` };
    }
    const rejected = await slackRejection(res);
    await res.body?.cancel().catch(() => undefined);
    return rejected ? { ok: false, reason: redact(rejected, secrets) } : { ok: true };
  } catch (err) {
    const name = (err as { name?: unknown } | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, reason: `timed out after ${timeoutMs} ms` };
    }
    return { ok: false, reason: redact(`connection failed (${errorCode(err)})`, secrets) };
  }
}
