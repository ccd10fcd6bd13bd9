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

/**
 * Starts `name` against the environment: Vireo as `src/main.ts` with deploy/rbac.yaml's identity, Argo's
 * controller with its module's ClusterRole. Both take only objects labelled with `instanceId` and run
 * without leader election.
 */
export async function startController(
  name: ControllerName,
  env: ConformanceEnvironment,
  argo: ArgoRollouts,
  dir: string,
  instanceId: string,
): Promise<RunningController> {
  const logPath = join(dir, `${name}-controller.log`);
  if (name === 'argo') {
    const kubeconfigPath = await argoServiceAccountKubeconfig(env.admin, argo, join(dir, 'argo.kubeconfig'));
    const started = await startArgoController(argo, { kubeconfigPath, logPath, instanceId });
    return { name, logPath, stop: () => started.process.stop() };
  }
  const kubeconfigPath = await serviceAccountKubeconfig(env.admin, join(dir, 'vireo.kubeconfig'));
  const started = await startControllerProcess({
    kubeconfigPath,
    logPath,
    args: [`--instance-id=${instanceId}`, '--no-leader-elect'],
  });
  return { name, logPath, stop: () => started.process.stop() };
}
