/**
 * The subset of Gateway API `HTTPRoute` (gateway.networking.k8s.io/v1) Vireo reads and edits. Index
 * signatures keep unknown fields.
 */

/** `HTTPBackendRef`; `kind` defaults to Service, `group` to core, `weight` to 1. */
export interface BackendRef {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  port?: number;
  weight?: number;
  [key: string]: unknown;
}

/** `HTTPHeaderMatch`. */
export interface HeaderMatchRule {
  type?: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}

/** `HTTPRouteMatch`. */
export interface HttpRouteMatch {
  headers?: readonly HeaderMatchRule[];
  [key: string]: unknown;
}

/** `HTTPRouteRule`; `name` (a DNS label) marks the rules Vireo manages. */
export interface HttpRouteRule {
  name?: string;
  matches?: readonly HttpRouteMatch[];
  filters?: readonly unknown[];
  backendRefs?: readonly BackendRef[];
  [key: string]: unknown;
}

/** An HTTPRoute as read from the API server. */
export interface HTTPRoute {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  spec?: { rules?: readonly HttpRouteRule[]; [key: string]: unknown };
  [key: string]: unknown;
}
