import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../cluster/controller.js';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';

function canI(kubeconfig: string, verb: string, resource: string): boolean {
  try {
    execFileSync(
      clusterInfo().kubectlPath,
      ['--kubeconfig', kubeconfig, 'auth', 'can-i', verb, resource, '-A'],
      {
        stdio: 'pipe',
      },
    );
    return true;
  } catch {
    return false;
  }
}

describe('the controller as a separate process with deploy/ RBAC', () => {
  let dir: string;
  let kubeconfig: string;
  const controllers: ControllerProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vireo-controller-'));
    kubeconfig = await serviceAccountKubeconfig(adminKubeConfig(), join(dir, 'kubeconfig.yaml'));
  });
  afterAll(async () => {
    await Promise.all(controllers.map((c) => c.process.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates as the ServiceAccount with exactly the ClusterRole of deploy/rbac.yaml', () => {
    expect(canI(kubeconfig, 'list', 'rollouts.argoproj.io')).toBe(true);
    expect(canI(kubeconfig, 'create', 'leases.coordination.k8s.io')).toBe(true);
    expect(canI(kubeconfig, 'list', 'secrets')).toBe(false);
    expect(canI(kubeconfig, 'delete', 'rollouts.argoproj.io')).toBe(false);
  });

  it('runs two controller processes at once, each reporting ready', async () => {
    for (const name of ['a', 'b']) {
      controllers.push(
        await startControllerProcess({
          kubeconfigPath: kubeconfig,
          logPath: join(dir, `controller-${name}.log`),
        }),
      );
    }
    expect(controllers.map((c) => c.process.running)).toEqual([true, true]);
    expect(new Set(controllers.map((c) => c.healthPort)).size).toBe(2);
  });
});
