import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../harness/controller.js';
import { repoRoot } from '../../harness/crds.js';
import { getHttp } from '../../harness/probes.js';
import { ManagedProcess } from '../../harness/processes.js';
import { pollUntil } from '../../harness/wait.js';
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

  it('exactly one of them leads; /readyz of the other says standby', async () => {
    const roles = await pollUntil(
      async () => {
        const bodies = await Promise.all(
          controllers.map(async (c) => (await getHttp(`http://127.0.0.1:${c.healthPort}/readyz`)).body),
        );
        return bodies.includes('leader') && bodies;
      },
      { timeoutMs: 30_000, description: 'a leader among the two' },
    );
    expect(roles.sort()).toEqual(['leader', 'standby']);
  });

  it('refuses an invalid flag with exit code 2 and a message naming the flag', async () => {
    const logPath = join(dir, 'bad-flag.log');
    const main = join(repoRoot, 'src', 'main.ts');
    const proc = new ManagedProcess(
      'vireo-bad-flag',
      process.execPath,
      ['--import', 'tsx', main, '--workers=0'],
      logPath,
    );
    expect(await proc.exited()).toBe(2);
    expect(readFileSync(logPath, 'utf8')).toContain(
      'vireo: invalid configuration: --workers: expected a positive integer',
    );
  });
});
