/**
 * The subset of AWS App Mesh's Kubernetes objects (appmesh.k8s.aws/v1beta2) Vireo reads and edits. Index
 * signatures keep unknown fields.
 */

/** `metadata` of the App Mesh objects. */
export interface AppMeshMetadata {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A reference to another App Mesh object; the namespace defaults to the referring object's. */
export interface AppMeshRef {
  name?: string;
  namespace?: string;
}

/** A `VirtualService`; Vireo follows `spec.provider.virtualRouter.virtualRouterRef`. */
export interface AppMeshVirtualService {
  apiVersion?: string;
  kind?: string;
  metadata?: AppMeshMetadata;
  spec?: { provider?: { virtualRouter?: { virtualRouterRef?: AppMeshRef } }; [key: string]: unknown };
  [key: string]: unknown;
}

/** One weighted target of a route action: a VirtualNode and its (int64) weight. */
export interface WeightedTarget {
  virtualNodeRef?: AppMeshRef;
  weight?: number;
  [key: string]: unknown;
}

/** The rule of a route (`httpRoute`, `tcpRoute`, `http2Route` or `grpcRoute`). */
export interface AppMeshRouteRule {
  action?: { weightedTargets?: readonly WeightedTarget[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** One route of a VirtualRouter: a name and exactly one rule of a supported type. */
export interface AppMeshRoute {
  name?: string;
  [key: string]: unknown;
}

/** A `VirtualRouter`. */
export interface VirtualRouter {
  apiVersion?: string;
  kind?: string;
  metadata?: AppMeshMetadata;
  spec?: { routes?: readonly AppMeshRoute[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** A `VirtualNode`; Vireo sets the pod-template-hash key of `spec.podSelector.matchLabels`. */
export interface VirtualNode {
  apiVersion?: string;
  kind?: string;
  metadata?: AppMeshMetadata;
  spec?: {
    podSelector?: { matchLabels?: Record<string, string>; [key: string]: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}
