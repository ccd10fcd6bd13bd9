import type { TestProject } from 'vitest/node';
import { findBinary } from './binaries.js';
import { type Environment, startEnvironment } from './environment.js';

/**
 * vitest globalSetup for the integration project: one control plane + Prometheus per run,
 * published to tests as `inject('vireoCluster')`. With VIREO_USE_EXISTING_CLUSTER=1 the suite
 * runs against $KUBECONFIG instead (PROMETHEUS_URL / PROMETHEUS_TARGETS_DIR if set).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.VIREO_USE_EXISTING_CLUSTER === '1') {
    const kubeconfigPath = process.env.KUBECONFIG;
    if (!kubeconfigPath) throw new Error('VIREO_USE_EXISTING_CLUSTER=1 needs KUBECONFIG');
    project.provide('vireoCluster', {
      kubeconfigPath,
      server: '',
      prometheusUrl: process.env.PROMETHEUS_URL ?? '',
      prometheusTargetsDir: process.env.PROMETHEUS_TARGETS_DIR ?? '',
      kubectlPath: findBinary('kubectl') ?? 'kubectl',
    });
    return async () => {};
  }
  const started = Date.now();
  const env: Environment = await startEnvironment({ verbose: true });
  process.stderr.write(`vireo: test environment up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  project.provide('vireoCluster', env.info);
  const stopOnSignal = () => {
    void env.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  return async () => {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await env.stop({ keepDir: process.env.VIREO_KEEP_TEST_ENV === '1' });
  };
}
