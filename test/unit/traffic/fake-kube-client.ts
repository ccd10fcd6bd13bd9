import type { DeleteOptions, KubeClient, ObjectRef, Patch, ResourceType } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import type { KubeList, KubeObject } from '../../../src/kube/types.js';

const keyOf = (res: ResourceType, namespace: string | undefined, name: string) =>
  `${res.group}/${res.plural}/${namespace ?? ''}/${name}`;

/**
 * A small in-memory `KubeClient` for router unit tests: objects keyed by resource/namespace/name, a global
 * resourceVersion counter, NotFound/AlreadyExists/Conflict like the API server, and a log of writes.
 * `patch`/`patchStatus` are not supported (the routers do not use them).
 */
export class FakeKubeClient implements KubeClient {
  readonly objects = new Map<string, KubeObject>();
  readonly writes: string[] = [];
  private version = 1;

  seed(res: ResourceType, object: KubeObject): KubeObject {
    const stored = this.stamp(object);
    this.objects.set(keyOf(res, object.metadata?.namespace, object.metadata?.name ?? ''), stored);
    return structuredClone(stored);
  }

  async get<T extends KubeObject>(
    res: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<T> {
    const found = this.objects.get(keyOf(res, namespace, name));
    if (found === undefined) throw new ApiError(404, 'NotFound', `${res.plural} "${name}" not found`);
    return structuredClone(found) as T;
  }

  async list<T extends KubeObject>(res: ResourceType, namespace?: string): Promise<KubeList<T>> {
    const prefix = `${res.group}/${res.plural}/${namespace ?? ''}/`;
    const items = [...this.objects].filter(([k]) => k.startsWith(prefix)).map(([, v]) => structuredClone(v));
    return { items: items as T[] };
  }

  async create<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T): Promise<T> {
    const key = keyOf(res, namespace, body.metadata?.name ?? '');
    if (this.objects.has(key)) throw new ApiError(409, 'AlreadyExists', 'already exists');
    this.writes.push(`create ${key}`);
    const stored = this.stamp({ ...body, metadata: { ...body.metadata, namespace } });
    this.objects.set(key, stored);
    return structuredClone(stored) as T;
  }

  async replace<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T): Promise<T> {
    const key = keyOf(res, namespace, body.metadata?.name ?? '');
    const current = this.objects.get(key);
    if (current === undefined) throw new ApiError(404, 'NotFound', 'not found');
    const rv = body.metadata?.resourceVersion;
    if (rv !== undefined && rv !== current.metadata?.resourceVersion) {
      throw new ApiError(409, 'Conflict', 'the object has been modified');
    }
    this.writes.push(`replace ${key}`);
    const stored = this.stamp(body);
    this.objects.set(key, stored);
    return structuredClone(stored) as T;
  }

  async patch<T extends KubeObject>(_res: ResourceType, _ref: ObjectRef, _patch: Patch): Promise<T> {
    throw new Error('FakeKubeClient.patch is not supported');
  }

  async patchStatus<T extends KubeObject>(_res: ResourceType, _ref: ObjectRef, _patch: Patch): Promise<T> {
    throw new Error('FakeKubeClient.patchStatus is not supported');
  }

  async delete(res: ResourceType, ref: ObjectRef, _opts?: DeleteOptions): Promise<void> {
    const key = keyOf(res, ref.namespace, ref.name);
    if (!this.objects.delete(key)) throw new ApiError(404, 'NotFound', 'not found');
    this.writes.push(`delete ${key}`);
  }

  /** Bumps the stored object's resourceVersion, as a concurrent writer would. */
  touch(res: ResourceType, namespace: string, name: string): void {
    const key = keyOf(res, namespace, name);
    const current = this.objects.get(key);
    if (current !== undefined) this.objects.set(key, this.stamp(current));
  }

  private stamp(object: KubeObject): KubeObject {
    this.version += 1;
    return structuredClone({
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.version) },
    });
  }
}
