import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { toApiError } from './errors.js';

/** A MicroTime as read back from the API (RFC 3339 string) or as written (`V1MicroTime`, a `Date`). */
export type MicroTime = Date | string;

/** The fields of a coordination.k8s.io/v1 Lease the elector reads and writes. */
export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: MicroTime;
    renewTime?: MicroTime;
    leaseTransitions?: number;
  };
}

/**
 * Lease storage port. Every failure is an `ApiError`: `NotFound` from `get` when absent, `AlreadyExists`
 * from `create`, `Conflict` from `replace` when `metadata.resourceVersion` is stale.
 */
export interface LeaseApi {
  get(namespace: string, name: string): Promise<Lease>;
  create(namespace: string, lease: Lease): Promise<Lease>;
  replace(namespace: string, lease: Lease): Promise<Lease>;
}

async function wrap<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    throw toApiError(err);
  }
}

/** {@link LeaseApi} over client-node's `CoordinationV1Api` (needs RBAC `leases`: get, create, update). */
export function coordinationLeaseApi(kc: KubeConfig): LeaseApi {
  const api = kc.makeApiClient(CoordinationV1Api);
  const toLease = (l: V1Lease): Lease => l as Lease;
  const toBody = (l: Lease): V1Lease => l as V1Lease;
  return {
    get: (namespace, name) => wrap(async () => toLease(await api.readNamespacedLease({ name, namespace }))),
    create: (namespace, lease) =>
      wrap(async () => toLease(await api.createNamespacedLease({ namespace, body: toBody(lease) }))),
    replace: (namespace, lease) =>
      wrap(async () => {
        const body = toBody(lease);
        return toLease(await api.replaceNamespacedLease({ name: lease.metadata.name, namespace, body }));
      }),
  };
}
