import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { serviceAccountKubeconfig, startControllerProcess } from '../test/cluster/controller.js';
import { envDir, exportLines } from '../test/cluster/env-state.js';
import { envDown, envUp, recordExtraProcess } from './env.js';

/**
 * `npm run demo` (interim, until the demo issue lands): brings up the local control plane and
 * Prometheus, starts the controller as its ServiceAccount, and prints how to reach them.
 * `--teardown` stops everything at the end instead of leaving it up.
 */
async function demo(teardown: boolean): Promise<void> {
  const started = Date.now();
  const state = await envUp();
  if (!state.info) throw new Error('the environment did not report its address');
  const admin = new KubeConfig();
  admin.loadFromFile(state.info.kubeconfigPath);
  const dir = join(envDir(), 'controller');
  mkdirSync(dir, { recursive: true });
  const kubeconfig = await serviceAccountKubeconfig(admin, join(dir, 'kubeconfig.yaml'));
  const controller = await startControllerProcess({
    kubeconfigPath: kubeconfig,
    logPath: join(dir, 'controller.log'),
  });
  if (controller.process.pid) recordExtraProcess(controller.process.pid);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [
    `Vireo is running on a local Kubernetes control plane (up in ${seconds} s).`,
    '',
    '  Reach it from this shell:',
    ...exportLines(state.info).map((l) => `    ${l}`),
    `    ${state.info.kubectlPath} get nodes`,
    '',
    `  Controller health:  http://127.0.0.1:${controller.healthPort}/readyz`,
    `  Controller log:     ${join(dir, 'controller.log')}`,
    '',
    '  The canary walkthrough (v1.1.0 → v1.2.0 → automatic rollback) arrives with the demo issue.',
    '  Stop everything with:  npm run env:down',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (teardown) {
    await envDown();
    process.stdout.write('vireo: environment stopped (--teardown)\n');
  }
  process.exit(0);
}

demo(process.argv.includes('--teardown')).catch(async (err: Error) => {
  process.stderr.write(`vireo: demo failed: ${err.message}\n`);
  process.exit(1);
});
