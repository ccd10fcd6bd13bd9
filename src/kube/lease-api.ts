import type { KubeClient } from './client.js';
import { isApiError } from './errors.js';
import { Resources } from './resources.js';
import type { KubeObject } from './types.js';

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

/** An attempt that failed on the Lease itself; `op` is the API call, `err` its error. */
export interface LeaseFailure {
  op: 'get' | 'create' | 'update';
  err: unknown;
  /** `namespace-missing` (create answered NotFound) or `forbidden` (403); `transient` for everything else. */
  kind: 'namespace-missing' | 'forbidden' | 'transient';
}

/** How a failed Lease call is classified (see {@link LeaseFailure}). */
export function leaseFailureKind(op: LeaseFailure['op'], err: unknown): LeaseFailure['kind'] {
  if (isApiError(err, 'Forbidden')) return 'forbidden';
  if (op === 'create' && isApiError(err, 'NotFound')) return 'namespace-missing';
  return 'transient';
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

/**
 * {@link LeaseApi} over a {@link KubeClient}: raw JSON on the client's keep-alive connections and within its
 * request timeout, so a renewal neither opens a TLS connection per call nor hangs past its deadline. Times
 * are written as `V1MicroTime` (whose JSON form has the microseconds MicroTime requires).
 */
export function clientLeaseApi(client: KubeClient): LeaseApi {
  const asObject = (lease: Lease) => lease as KubeObject;
  return {
    get: (namespace, name) => client.get<KubeObject>(Resources.leases, namespace, name) as Promise<Lease>,
    create: (namespace, lease) =>
      client.create(Resources.leases, namespace, asObject(lease)) as Promise<Lease>,
    replace: (namespace, lease) =>
      client.replace(Resources.leases, namespace, asObject(lease)) as Promise<Lease>,
  };
}
