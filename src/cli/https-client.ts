import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { ApiError, apiErrorFromResponse } from '../kube/errors.js';
import { type KubeRequest, RequestKubeClient } from '../kube/verb-client.js';
import type { DirectConnection } from './kubeconfig.js';

function withQuery(path: string, query: KubeRequest['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, value);
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/**
 * {@link KubeClient} straight over `node:https` for the CLI's fast path: one keep-alive agent (requests
 * issued together share its sockets), the CA, client certificate and bearer token of a
 * {@link DirectConnection}. Behaves as `ClientNodeKubeClient` does: raw JSON in and out, every failure an
 * {@link ApiError} (code 0 when no response arrived); credentials never appear in errors.
 */
export class HttpsKubeClient extends RequestKubeClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly conn: DirectConnection) {
    super();
    this.base = new URL(conn.server);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 1,
      ...(conn.ca ? { ca: conn.ca } : {}),
      ...(conn.cert ? { cert: conn.cert } : {}),
      ...(conn.key ? { key: conn.key } : {}),
      rejectUnauthorized: !conn.insecure,
      ...(conn.tlsServerName ? { servername: conn.tlsServerName } : {}),
    });
  }

  private headers(call: KubeRequest, payload: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.conn.tokenFile ? readFileSync(this.conn.tokenFile, 'utf8').trim() : this.conn.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (payload !== undefined) {
      headers['Content-Type'] = call.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return headers;
  }

  protected send<R>(call: KubeRequest): Promise<R> {
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const prefix = this.base.pathname === '/' ? '' : this.base.pathname;
    return new Promise<R>((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || 443,
          method: call.method,
          path: withQuery(`${prefix}${call.path}`, call.query),
          headers: this.headers(call, payload),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (err) => reject(new ApiError(0, 'Other', err.message, { cause: err })));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            const code = res.statusCode ?? 0;
            if (code < 200 || code > 299) reject(apiErrorFromResponse(code, body));
            else resolve((body === '' ? {} : JSON.parse(body)) as R);
          });
        },
      );
      req.on('error', (err) => reject(new ApiError(0, 'Other', err.message, { cause: err })));
      req.end(payload);
    });
  }
}
