import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../cluster/controller.js';
import { type ArgoRollouts, ensureArgoRollouts } from '../conformance/argo-rollouts.js';
import { namespacedKubeconfig } from '../conformance/environment.js';
import { runSuite } from '../conformance/run-suite.js';
import { listSuiteTests, SUITES } from '../conformance/suites.js';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';

/**
 * The conformance suites that run in `npm test`: those that pass reliably against Vireo and fit the CI
 * budget (measured in docs/conformance.md). The full comparison with Argo's controller stays
 * `npm run conformance`.
 */
const CI_SUITES = ['BlueGreen'];

const dir = mkdtempSync(join(tmpdir(), 'vireo-conformance-'));
let kc: KubeConfig;
let argo: ArgoRollouts;
let namespace: string;
let kubeconfig: string;
let vireo: ControllerProcess;

beforeAll(async () => {
  argo = ensureArgoRollouts();
  kc = adminKubeConfig();
  namespace = await createNamespace(kc, 'e2e');
  kubeconfig = namespacedKubeconfig(kc, namespace, join(dir, 'e2e.kubeconfig'));
  vireo = await startControllerProcess({
    kubeconfigPath: await serviceAccountKubeconfig(kc, join(dir, 'vireo.kubeconfig')),
    logPath: join(dir, 'vireo.log'),
    args: [`--instance-id=${namespace}`, '--no-leader-elect'],
  });
}, 3_600_000);

afterAll(async () => {
  await vireo?.process.stop();
  await deleteNamespace(kc, namespace);
  if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
});

describe("Argo Rollouts' own e2e suites against Vireo", () => {
  for (const name of CI_SUITES) {
    it(`${name}: every test passes`, async () => {
      const suite = SUITES.find((s) => s.name === name);
      if (!suite) throw new Error(`unknown suite ${name}`);
      const e2eDir = join(argo.moduleDir, 'test', 'e2e');
      const results = await runSuite({
        binary: argo.e2eTest,
        cwd: e2eDir,
        suite,
        tests: listSuiteTests(e2eDir, suite),
        env: {
          ...process.env,
          KUBECONFIG: kubeconfig,
          PATH: `${dirname(clusterInfo().kubectlPath)}:${process.env.PATH ?? ''}`,
          E2E_INSTANCE_ID: namespace,
          E2E_WAIT_TIMEOUT: '120',
        },
        logPath: join(dir, `${name}.log`),
        perTestTimeoutMs: 10 * 60_000,
      });
      expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
    }, 1_800_000);
  }
});
