import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { DeleteOptions, KubeClient, ListOptions, ObjectRef, Patch } from '../kube/client.js';
import { ApiError, apiErrorFromResponse } from '../kube/errors.js';
import { type ResourceType, resourcePath } from '../kube/resources.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import type { DirectConnection } from './kubeconfig.js';

const PATCH_TYPES: Record<Patch['type'], string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

interface Call {
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

function withQuery(path: string, query: Call['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, value);
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

function patchCall(path: string, patch: Patch): Call {
  const contentType = PATCH_TYPES[patch.type];
  if (patch.type === 'json') return { method: 'PATCH', path, body: patch.ops, contentType };
  if (patch.type === 'merge') return { method: 'PATCH', path, body: patch.body, contentType };
  const query = { fieldManager: patch.fieldManager, force: patch.force ? 'true' : undefined };
  return { method: 'PATCH', path, body: patch.body, contentType, query };
}

/**
 * {@link KubeClient} straight over `node:https` for the CLI's fast path: one keep-alive agent (requests
 * issued together share its sockets), the CA, client certificate and bearer token of a
 * {@link DirectConnection}. Behaves as `ClientNodeKubeClient` does: raw JSON in and out, every failure an
 * {@link ApiError} (code 0 when no response arrived); credentials never appear in errors.
 */
export class HttpsKubeClient implements KubeClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly conn: DirectConnection) {
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

  get<T extends KubeObject>(res: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    return this.send<T>({ method: 'GET', path: resourcePath(res, namespace, name) });
  }

  list<T extends KubeObject>(
    res: ResourceType,
    namespace?: string,
    opts: ListOptions = {},
  ): Promise<KubeList<T>> {
    const query = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    return this.send<KubeList<T>>({ method: 'GET', path: resourcePath(res, namespace), query });
  }

  create<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T): Promise<T> {
    return this.send<T>({ method: 'POST', path: resourcePath(res, namespace), body });
  }

  replace<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T): Promise<T> {
    const path = resourcePath(res, namespace, body.metadata?.name ?? '');
    return this.send<T>({ method: 'PUT', path, body });
  }

  patch<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch): Promise<T> {
    return this.send<T>(patchCall(resourcePath(res, ref.namespace, ref.name), patch));
  }

  patchStatus<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch): Promise<T> {
    return this.send<T>(patchCall(resourcePath(res, ref.namespace, ref.name, 'status'), patch));
  }

  async delete(res: ResourceType, ref: ObjectRef, opts: DeleteOptions = {}): Promise<void> {
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', ...opts };
    await this.send({ method: 'DELETE', path: resourcePath(res, ref.namespace, ref.name), body });
  }

  private headers(call: Call, payload: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.conn.tokenFile ? readFileSync(this.conn.tokenFile, 'utf8').trim() : this.conn.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (payload !== undefined) {
      headers['Content-Type'] = call.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return headers;
  }

  private send<R>(call: Call): Promise<R> {
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
