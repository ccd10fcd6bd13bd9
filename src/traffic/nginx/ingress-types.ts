/**
 * The subset of `networking.k8s.io/v1` and legacy `extensions/v1beta1` Ingress fields Vireo reads.
 * Index signatures keep unknown fields.
 */

/** A path backend: `service.name` (v1) or `serviceName` (extensions/v1beta1). */
export interface IngressBackend {
  service?: { name?: string; [key: string]: unknown };
  serviceName?: string;
  [key: string]: unknown;
}

/** One `rules[].http.paths[]` entry. */
export interface IngressPath {
  path?: string;
  backend?: IngressBackend;
  [key: string]: unknown;
}

/** One `spec.rules[]` entry. */
export interface IngressRule {
  host?: string;
  http?: { paths?: readonly IngressPath[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** Ingress metadata fields Vireo reads or writes. */
export interface IngressMetadata {
  name?: string;
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  [key: string]: unknown;
}

/** An Ingress as read from (or written to) the API server. */
export interface Ingress {
  apiVersion?: string;
  kind?: string;
  metadata?: IngressMetadata;
  spec?: {
    ingressClassName?: string;
    tls?: readonly unknown[];
    rules?: readonly IngressRule[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}
