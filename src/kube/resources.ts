import type { WorkloadKind } from '../api/index.js';

/** Identifies a REST collection. `group: ''` means the core group (`/api/v1`). */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
}

/** Collections the controllers use. */
export const Resources = {
  pods: { group: '', version: 'v1', plural: 'pods' },
  services: { group: '', version: 'v1', plural: 'services' },
  configMaps: { group: '', version: 'v1', plural: 'configmaps' },
  secrets: { group: '', version: 'v1', plural: 'secrets' },
  events: { group: '', version: 'v1', plural: 'events' },
  replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets' },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments' },
  podTemplates: { group: '', version: 'v1', plural: 'podtemplates' },
  jobs: { group: 'batch', version: 'v1', plural: 'jobs' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses' },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' },
  rollouts: { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' },
  analysisRuns: { group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns' },
  experiments: { group: 'argoproj.io', version: 'v1alpha1', plural: 'experiments' },
  analysisTemplates: { group: 'argoproj.io', version: 'v1alpha1', plural: 'analysistemplates' },
  clusterAnalysisTemplates: { group: 'argoproj.io', version: 'v1alpha1', plural: 'clusteranalysistemplates' },
  virtualServices: { group: 'networking.istio.io', version: 'v1beta1', plural: 'virtualservices' },
  destinationRules: { group: 'networking.istio.io', version: 'v1beta1', plural: 'destinationrules' },
  httpRoutes: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' },
  /** Argo's default TrafficSplit version; `--traffic-split-api-version` picks another. */
  trafficSplits: { group: 'split.smi-spec.io', version: 'v1alpha1', plural: 'trafficsplits' },
  /** Argo's default Traefik group and version; `--traefik-api-group` / `--traefik-api-version` pick others. */
  traefikServices: { group: 'traefik.io', version: 'v1alpha1', plural: 'traefikservices' },
  ambassadorMappings: { group: 'getambassador.io', version: 'v2', plural: 'mappings' },
  appMeshVirtualServices: { group: 'appmesh.k8s.aws', version: 'v1beta2', plural: 'virtualservices' },
  appMeshVirtualRouters: { group: 'appmesh.k8s.aws', version: 'v1beta2', plural: 'virtualrouters' },
  appMeshVirtualNodes: { group: 'appmesh.k8s.aws', version: 'v1beta2', plural: 'virtualnodes' },
  apisixRoutes: { group: 'apisix.apache.org', version: 'v2', plural: 'apisixroutes' },
} as const satisfies Record<string, ResourceType>;

/** The collection each `spec.workloadRef` kind is read from. */
export const WORKLOAD_RESOURCES: Readonly<Record<WorkloadKind, ResourceType>> = {
  Deployment: Resources.deployments,
  ReplicaSet: Resources.replicaSets,
  PodTemplate: Resources.podTemplates,
};

/**
 * The name of a collection as Kubernetes spells it, unique across API groups: the plural for the core group,
 * else `<plural>.<group>` (`virtualservices.networking.istio.io`, `virtualservices.appmesh.k8s.aws`).
 */
export function qualifiedResource(res: ResourceType): string {
  return res.group === '' ? res.plural : `${res.plural}.${res.group}`;
}

/** REST path of a collection or object: `/apis/apps/v1/namespaces/ns/replicasets/name/status`. */
export function resourcePath(res: ResourceType, namespace?: string, name?: string, sub?: string): string {
  const base = res.group === '' ? `/api/${res.version}` : `/apis/${res.group}/${res.version}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name ? `/${encodeURIComponent(name)}${sub ? `/${sub}` : ''}` : '';
  return `${base}${ns}/${res.plural}${obj}`;
}
