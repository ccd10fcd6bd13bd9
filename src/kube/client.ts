import {
  type Configuration,
  createConfiguration,
  HttpMethod,
  KubeConfig,
  ServerConfiguration,
} from '@kubernetes/client-node';
import { AgentCache } from './agent-cache.js';
import { ApiError, apiErrorFromResponse, toApiError } from './errors.js';
import type { ResourceType } from './resources.js';
import type { KubeList, KubeObject } from './types.js';
import { type KubeRequest, RequestKubeClient } from './verb-client.js';

export {
  qualifiedResource,
  Resources,
  type ResourceType,
  resourcePath,
  WORKLOAD_RESOURCES,
} from './resources.js';

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/**
 * A patch and its wire format: RFC 7386 merge patch, RFC 6902 JSON patch (use a `test` op on
 * `/metadata/resourceVersion` for optimistic concurrency), or server-side apply owned by `fieldManager`.
 */
export type Patch =
  | { type: 'merge'; body: object }
  | { type: 'json'; ops: JsonPatchOp[] }
  | { type: 'apply'; body: KubeObject; fieldManager: string; force?: boolean };

/** Options for list calls. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Options for delete calls. */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * The API port the controllers depend on. Objects go in and come out as plain JSON (timestamps are
 * strings, unknown fields kept), the same shape informers deliver. Every failure is an {@link ApiError}.
 * `namespace: undefined` addresses cluster-scoped objects (or, for `list`, all namespaces).
 */
export interface KubeClient {
  get<T extends KubeObject>(res: ResourceType, namespace: string | undefined, name: string): Promise<T>;
  list<T extends KubeObject>(res: ResourceType, namespace?: string, opts?: ListOptions): Promise<KubeList<T>>;
  create<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T): Promise<T>;
  /** Full update; `body.metadata.resourceVersion` makes it conditional (409 Conflict when stale). */
  replace<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T): Promise<T>;
  patch<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch): Promise<T>;
  /** Patches the `/status` subresource; the CRD must declare `subresources.status`. */
  patchStatus<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch): Promise<T>;
  delete(res: ResourceType, ref: ObjectRef, opts?: DeleteOptions): Promise<void>;
}

/** Addresses one object. */
export interface ObjectRef {
  namespace?: string;
  name: string;
}

/**
 * {@link KubeClient} over client-node's HTTP stack. Requests carry the kubeconfig's credentials; bodies
 * are sent and returned as raw JSON (no model (de)serialisation, so no dropped fields or `Date` objects).
 * Connections are kept alive and reused across requests ({@link AgentCache}). Every request, response body
 * included, ends within `requestTimeoutMs` (default {@link DEFAULT_REQUEST_TIMEOUT_MS}): a timed-out request
 * fails with code 0, and the keep-alive pool is dropped (its sockets may be as dead as this one's).
 */
export class ClientNodeKubeClient extends RequestKubeClient {
  private readonly config: Configuration;
  private readonly agents = new AgentCache();

  private readonly requestTimeoutMs: number;

  constructor(
    private readonly kc: KubeConfig,
    options: { requestTimeoutMs?: number } = {},
  ) {
    super();
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.config = createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}) });
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  protected async send<R>(req: KubeRequest): Promise<R> {
    const ctx = this.config.baseServer.makeRequestContext(req.path, HttpMethod[req.method]);
    ctx.setHeaderParam('Accept', 'application/json');
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) ctx.setQueryParam(key, value);
    }
    if (req.body !== undefined) {
      ctx.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(req.body));
    }
    try {
      await this.kc.applySecurityAuthentication(ctx);
      const agent = this.agents.reuse(ctx.getAgent()) as ReturnType<typeof ctx.getAgent>;
      if (agent) ctx.setAgent(agent);
      ctx.setSignal(AbortSignal.timeout(this.requestTimeoutMs));
      const response = await this.config.httpApi.send(ctx).toPromise();
      const text = await response.body.text();
      if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
        throw apiErrorFromResponse(response.httpStatusCode, text);
      }
      return (text === '' ? {} : JSON.parse(text)) as R;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (!ctx.getSignal()?.aborted) throw toApiError(err);
      // The connection may be dead without a reset: drop every pooled socket, not only this one.
      this.agents.destroy();
      throw new ApiError(0, 'Other', `request timed out after ${this.requestTimeoutMs} ms`, { cause: err });
    }
  }
}

/**
 * Default bound of one API request, response body included. A connection that silently stops carrying
 * bytes (a dropped NAT entry, a dead peer behind a proxy) would otherwise hold the request, and the
 * reconcile waiting on it, for ever; with keep-alive the next requests would queue behind it on the same
 * dead socket. kube-apiserver itself gives up on non-watch requests after 60 s.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Where to load credentials from; both fields optional. */
export interface KubeConfigSource {
  /** Path to a kubeconfig file; wins over everything else. */
  kubeconfig?: string;
  /** Context to select in the loaded kubeconfig. */
  context?: string;
}

/**
 * Loads credentials: an explicit `kubeconfig` file if given; else the in-cluster service account when
 * `KUBERNETES_SERVICE_HOST` is set; else client-node's defaults (`$KUBECONFIG`, `~/.kube/config`).
 * `context` is applied last and must exist.
 */
export function loadKubeConfig(source: KubeConfigSource = {}): KubeConfig {
  const kc = new KubeConfig();
  if (source.kubeconfig) kc.loadFromFile(source.kubeconfig);
  else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (source.context) {
    if (!kc.getContextObject(source.context))
      throw new Error(`kubeconfig has no context "${source.context}"`);
    kc.setCurrentContext(source.context);
  }
  return kc;
}
