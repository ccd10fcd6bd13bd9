import { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';

/** What global-setup publishes about the shared control plane of this test run. */
export interface ClusterInfo {
  kubeconfigPath: string;
  server: string;
  prometheusUrl: string;
  prometheusTargetsDir: string;
  kubectlPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    vireoCluster: ClusterInfo;
  }
}

/** The shared control plane started by harness/global-setup.ts for this run. */
export function clusterInfo(): ClusterInfo {
  return inject('vireoCluster');
}

/** A KubeConfig for the cluster's admin user (system:masters). */
export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(clusterInfo().kubeconfigPath);
  return kc;
}
