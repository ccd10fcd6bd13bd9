import type { DeleteOptions, KubeClient, ListOptions, ObjectRef, Patch } from './client.js';
import { type ResourceType, resourcePath } from './resources.js';
import type { KubeList, KubeObject } from './types.js';

/** One API request, as every {@link KubeClient} transport sends it (body as JSON unless `contentType` says). */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

const PATCH_CONTENT_TYPE: Record<Patch['type'], string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** The PATCH request of `patch` at `path`: its content type, and for server-side apply `fieldManager`/`force`. */
export function patchRequest(path: string, patch: Patch): KubeRequest {
  const contentType = PATCH_CONTENT_TYPE[patch.type];
  if (patch.type === 'json') return { method: 'PATCH', path, body: patch.ops, contentType };
  if (patch.type === 'merge') return { method: 'PATCH', path, body: patch.body, contentType };
  const query = { fieldManager: patch.fieldManager, force: patch.force ? 'true' : undefined };
  return { method: 'PATCH', path, body: patch.body, contentType, query };
}

/**
 * The {@link KubeClient} verbs mapped to requests in one place; a transport (client-node's HTTP stack, the
 * plugin's direct HTTPS) only implements `send`, which returns the parsed JSON body or throws an ApiError.
 */
export abstract class RequestKubeClient implements KubeClient {
  protected abstract send<R>(req: KubeRequest): Promise<R>;

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
    return this.send<T>(patchRequest(resourcePath(res, ref.namespace, ref.name), patch));
  }

  patchStatus<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch): Promise<T> {
    return this.send<T>(patchRequest(resourcePath(res, ref.namespace, ref.name, 'status'), patch));
  }

  async delete(res: ResourceType, ref: ObjectRef, opts: DeleteOptions = {}): Promise<void> {
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', ...opts };
    await this.send({ method: 'DELETE', path: resourcePath(res, ref.namespace, ref.name), body });
  }
}
