/**
 * The subset of Istio `networking.istio.io` objects Vireo reads and edits. Index signatures keep every
 * field Vireo does not know, so edits return them unchanged.
 */

/** Object metadata fields Vireo reads. */
export interface MetadataLike {
  name?: string;
  namespace?: string;
  annotations?: Readonly<Record<string, string>>;
  [key: string]: unknown;
}

/** `Destination`: a Service host, optional subset and port. */
export interface IstioDestination {
  host?: string;
  subset?: string;
  port?: { number?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** `HTTPRouteDestination` / `RouteDestination`: a destination and its weight (missing = 0). */
export interface RouteDestination {
  destination?: IstioDestination;
  weight?: number;
  [key: string]: unknown;
}

/** `HTTPRoute` of a VirtualService. */
export interface VsHttpRoute {
  name?: string;
  route?: readonly RouteDestination[];
  [key: string]: unknown;
}

/** One `match` entry of a TLS or TCP route. */
export interface L4Match {
  port?: number;
  sniHosts?: readonly string[];
  [key: string]: unknown;
}

/** `TLSRoute` or `TCPRoute` of a VirtualService. */
export interface VsL4Route {
  match?: readonly L4Match[];
  route?: readonly RouteDestination[];
  [key: string]: unknown;
}

/** `VirtualService.spec`. */
export interface VirtualServiceSpec {
  http?: readonly VsHttpRoute[];
  tls?: readonly VsL4Route[];
  tcp?: readonly VsL4Route[];
  [key: string]: unknown;
}

/** A VirtualService as read from the API server. */
export interface VirtualService {
  apiVersion?: string;
  kind?: string;
  metadata?: MetadataLike;
  spec?: VirtualServiceSpec;
  [key: string]: unknown;
}

/** One `subsets[]` entry of a DestinationRule. */
export interface DrSubset {
  name?: string;
  labels?: Readonly<Record<string, string>>;
  [key: string]: unknown;
}

/** A DestinationRule as read from the API server. */
export interface DestinationRule {
  apiVersion?: string;
  kind?: string;
  metadata?: MetadataLike;
  spec?: { host?: string; subsets?: readonly DrSubset[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** The kinds of VirtualService route lists Vireo edits. */
export type RouteKind = 'http' | 'tls' | 'tcp';
