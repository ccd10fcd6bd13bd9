import { createServer } from 'node:net';
import { join } from 'node:path';
import { serviceAccountKubeconfig, startControllerProcess } from '../cluster/controller.js';
import { type ArgoRollouts, argoServiceAccountKubeconfig, startArgoController } from './argo-rollouts.js';
import type { ConformanceEnvironment } from './environment.js';
import type { ControllerName } from './report.js';

/** A controller under test, running as its own process with its own ServiceAccount. */
export interface RunningController {
  name: ControllerName;
  logPath: string;
  stop(): Promise<void>;
}

/** Argo's default metrics port: the suite's TestControllerMetrics reads http://localhost:8090/metrics. */
export const DEFAULT_METRICS_PORT = 8090;

/** Whether `port` can be bound on every interface right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * Starts `name` against the environment: Vireo as `src/main.ts` with deploy/rbac.yaml's identity, Argo's
 * controller with its module's ClusterRole. Both take only objects labelled with `instanceId`, run without
 * leader election, and serve /metrics on Argo's default port 8090 when it is free (else on a free port).
 */
export async function startController(
  name: ControllerName,
  env: ConformanceEnvironment,
  argo: ArgoRollouts,
  dir: string,
  instanceId: string,
): Promise<RunningController> {
  const logPath = join(dir, `${name}-controller.log`);
  const metricsPort = (await portIsFree(DEFAULT_METRICS_PORT)) ? DEFAULT_METRICS_PORT : undefined;
  if (name === 'argo') {
    const kubeconfigPath = await argoServiceAccountKubeconfig(env.admin, argo, join(dir, 'argo.kubeconfig'));
    const started = await startArgoController(argo, { kubeconfigPath, logPath, instanceId, metricsPort });
    return { name, logPath, stop: () => started.process.stop() };
  }
  const kubeconfigPath = await serviceAccountKubeconfig(env.admin, join(dir, 'vireo.kubeconfig'));
  const started = await startControllerProcess({
    kubeconfigPath,
    logPath,
    args: [`--instance-id=${instanceId}`, '--no-leader-elect'],
    ...(metricsPort ? { metricsPort } : {}),
  });
  return { name, logPath, stop: () => started.process.stop() };
}
