import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** What a provider sends: the subset of `fetch`'s init the providers use. */
export interface OutgoingRequest {
  readonly method: string;
  readonly headers: Headers;
  readonly body?: string;
  readonly signal: AbortSignal;
}

/** Redirects followed before giving up, as `fetch` does. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/** One keep-alive agent that skips certificate verification, used only for metrics that set `insecure`. */
const insecureAgent = new Agent({ keepAlive: true, rejectUnauthorized: false, maxSockets: 16 });

function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, item);
    }
  }
  return headers;
}

function sendOnce(url: URL, init: OutgoingRequest): Promise<Response> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = url.protocol === 'https:' ? insecureAgent : undefined;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: init.method, headers: Object.fromEntries(init.headers), agent, signal: init.signal },
      (res) => {
        const status = res.statusCode ?? 0;
        const body = NO_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        if (body === null) res.resume();
        resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: headersOf(res) }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The request for the `Location` of a redirect: GET without body after 303 (and 301/302 of a POST). */
function redirected(from: URL, to: URL, status: number, init: OutgoingRequest): OutgoingRequest {
  const headers = new Headers(init.headers);
  if (to.origin !== from.origin) {
    headers.delete('authorization');
    headers.delete('cookie');
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && init.method === 'POST');
  if (!toGet) return { ...init, headers };
  headers.delete('content-type');
  headers.delete('content-length');
  return { method: 'GET', headers, signal: init.signal };
}

async function sendInsecure(url: URL, init: OutgoingRequest): Promise<Response> {
  let target = url;
  let current = init;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await sendOnce(target, current);
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return response;
    await response.body?.cancel();
    const next = new URL(location, target);
    current = redirected(target, next, response.status, current);
    target = next;
  }
  throw new TypeError('fetch failed', { cause: new Error(`more than ${MAX_REDIRECTS} redirects`) });
}

/**
 * Sends one provider request and resolves with the response, following redirects (at most 20;
 * credentials dropped when the origin changes). With `insecure` false this is the global `fetch`, which
 * verifies TLS certificates. With `insecure` true, https certificates are not verified, for this request
 * only: it goes through a separate agent, never through the process-wide `fetch` dispatcher.
 */
export function sendRequest(url: URL, init: OutgoingRequest, insecure: boolean): Promise<Response> {
  if (!insecure) return fetch(url, { ...init, redirect: 'follow' });
  return sendInsecure(url, init);
}
