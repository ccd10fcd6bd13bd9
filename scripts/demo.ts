import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { applyObjects } from '../test/cluster/apply.js';
import { serviceAccountKubeconfig, startControllerProcess } from '../test/cluster/controller.js';
import { envDir } from '../test/cluster/env-state.js';
import { demoAnnotations, notificationConfig } from './demo/integrations.js';
import { startReceiver } from './demo/receiver.js';
import { type DemoResult, playDemo, type ScenarioName } from './demo/scenario.js';
import { demoSummary } from './demo/summary.js';
import { envDown, envUp, recordExtraProcess, stopExtraProcesses } from './env.js';

function parseScenario(argv: string[]): ScenarioName {
  const index = argv.indexOf('--scenario');
  const value = index >= 0 ? argv[index + 1] : 'rollback';
  if (value !== 'rollback' && value !== 'healthy') {
    throw new Error(`--scenario: expected rollback or healthy, got "${value ?? ''}"`);
  }
  return value;
}

/**
 * `npm run demo [-- --scenario rollback|healthy] [--teardown]`: the local control plane and Prometheus,
 * the controller as its ServiceAccount, and the classic incident played end to end with a timeline.
 * Leaves the environment up (unless --teardown) and prints how to inspect and stop it.
 */
async function demo(argv: string[]): Promise<void> {
  const scenario = parseScenario(argv);
  const state = await envUp();
  if (!state.info) throw new Error('the environment did not report its address');
  await stopExtraProcesses();
  const admin = new KubeConfig();
  admin.loadFromFile(state.info.kubeconfigPath);
  const namespace = `shop-${Date.now().toString(36)}`;
  const workDir = join(envDir(), 'demo', namespace);
  mkdirSync(workDir, { recursive: true });
  const kubeconfig = await serviceAccountKubeconfig(admin, join(workDir, 'controller-kubeconfig.yaml'));
  const controllerLog = join(workDir, 'controller.log');
  const controller = await startControllerProcess({
    kubeconfigPath: kubeconfig,
    logPath: controllerLog,
    args: ['--allow-file-git-remotes'],
    env: { ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: state.info.prometheusUrl },
  });
  if (controller.process.pid) recordExtraProcess(controller.process.pid);
  const receiver = await startReceiver();
  const namespaceObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  await applyObjects(admin, [namespaceObject, ...notificationConfig(receiver.url)]);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Vireo demo (${scenario}): time scales are shortened to seconds (analysis every 2 s, pauses of 3 s).`);
  const result: DemoResult = await playDemo({
    kc: admin,
    namespace,
    prometheusTargetsDir: state.info.prometheusTargetsDir,
    workDir,
    scenario,
    rolloutAnnotations: demoAnnotations,
    expectCommit: scenario === 'rollback',
    receiver,
    out,
  });
  await receiver.close();
  out('');
  const teardown = argv.includes('--teardown');
  out(demoSummary({ result, scenario, namespace, info: state.info, controllerLog, teardown }).join('\n'));
  if (teardown) {
    await envDown();
    out('vireo: environment stopped (--teardown)');
  }
  process.exit(0);
}

demo(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`vireo: demo failed: ${err.message}\n`);
  process.exit(1);
});
