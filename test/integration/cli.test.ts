import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerProcess } from '../../harness/controller.js';
import { repoRoot } from '../../harness/crds.js';
import { pollUntil } from '../../harness/wait.js';
import {
  ensurePluginBuilt,
  readOnlyKubeconfig,
  runKubectl,
  startNamespaceController,
  webRollout,
} from './support/cli.js';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi, type RolloutObject } from './support/rollouts.js';

/** `kubectl <args>` with the repository's bin/ first on PATH, so `kubectl vireo` is found as a plugin. */
const kubectl = (args: string[], env: Record<string, string> = {}) => runKubectl(args, { env });

const vireo = (...args: string[]) => kubectl(['vireo', ...args]).done;

const rollout = (image: string) => webRollout(image, [{ setWeight: 50 }, { pause: {} }]);

/** An AnalysisRun owned by `owner`'s stable revision, measuring a web metric at `url` once. */
function analysisRun(owner: RolloutObject, url: string): object {
  const ref = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: 'web',
    uid: owner.metadata.uid ?? '',
  };
  const labels = { 'rollouts-pod-template-hash': owner.status?.stableRS ?? '' };
  const metric = {
    name: 'success-rate',
    count: 1,
    successCondition: 'result > 0.9',
    provider: { web: { url, jsonPath: '{$.value}' } },
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'web-check', labels, ownerReferences: [ref] },
    spec: { metrics: [metric] },
  };
}

const BROKEN = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: broken
spec:
  selector:
    matchLabels: {app: broken}
  template:
    metadata: {labels: {app: broken}}
    spec:
      containers: [{name: app, image: nginx}]
  strategy:
    canary:
      steps:
        - setWeight: 20
        - setWeight: 150
`;

describe('kubectl vireo: discovery, get, list, lint, errors (the built binary through kubectl)', () => {
  let kc: KubeConfig;
  let ns: string;
  let dir: string;
  let saKubeconfig: string;
  let controller: ControllerProcess;
  let api: RolloutApi;

  beforeAll(async () => {
    ensurePluginBuilt();
    kc = adminKubeConfig();
    ns = await createNamespace(kc, 'cli');
    dir = mkdtempSync(join(tmpdir(), 'vireo-cli-'));
    ({ controller, kubeconfigPath: saKubeconfig } = await startNamespaceController(kc, ns, dir));
    api = new RolloutApi(kc, ns);
    await api.create(rollout('registry.example/web:1.0.0'));
    await api.waitFor('web', 'a Healthy rollout', (r) => r.status?.phase === 'Healthy');
  });
  afterAll(async () => {
    await controller?.process.stop();
    await deleteNamespace(kc, ns);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('is discovered by `kubectl plugin list` and reports its version', async () => {
    const list = await kubectl(['plugin', 'list']).done;
    expect(list.stdout).toContain(join(repoRoot, 'bin', 'kubectl-vireo'));
    const version = await vireo('version');
    expect(version).toMatchObject({ code: 0 });
    expect(version.stdout).toMatch(/^kubectl-vireo v0\.1\.0 \(commit \S+, node v\d+/);
  });

  it('prints the rollout tree: revisions, ReplicaSets, pods with ready counts, step, weights, tagged images', async () => {
    const r = await vireo('get', 'rollout', 'web', '-n', ns);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Status:\s+✔ Healthy/);
    expect(r.stdout).toMatch(/Step:\s+2\/2/);
    expect(r.stdout).toMatch(/SetWeight:\s+100/);
    expect(r.stdout).toMatch(/Images:\s+registry\.example\/web:1\.0\.0 \(stable\)/);
    expect(r.stdout).toMatch(/⟳ web\s+Rollout\s+✔ Healthy/);
    expect(r.stdout).toMatch(/└──# revision:1/);
    expect(r.stdout).toMatch(/⧉ web-\w+\s+ReplicaSet\s+✔ Healthy\s+\S+\s+stable/);
    expect(r.stdout.match(/□ web-\w+-\w+\s+Pod\s+✔ Running\s+\S+\s+ready:1\/1/g)).toHaveLength(2);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('prints the same view as JSON and YAML for scripts', async () => {
    const json = await vireo('get', 'rollout', 'web', '-n', ns, '-o', 'json');
    const info = JSON.parse(json.stdout) as {
      phase: string;
      revisions: { replicaSets: { pods: unknown[] }[] }[];
    };
    expect(info.phase).toBe('Healthy');
    expect(info.revisions[0]?.replicaSets[0]?.pods).toHaveLength(2);
    const yaml = await vireo('get', 'rollout', 'web', '-n', ns, '-o', 'yaml');
    expect(yaml.stdout).toMatch(/^name: web$/m);
  });

  it('lists rollouts in the namespace and, with -A, across namespaces', async () => {
    const r = await vireo('list', 'rollouts', '-n', ns);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^NAME\s+STRATEGY\s+STATUS\s+STEP\s+SET-WEIGHT\s+READY\s+DESIRED\s+UP-TO-DATE\s+AVAILABLE$/,
    );
    expect(r.stdout).toMatch(/^web\s+Canary\s+Healthy\s+2\/2\s+100\s+2\/2\s+2\s+2\s+2$/m);
    const all = await vireo('list', 'rollouts', '-A');
    expect(all.stdout).toMatch(new RegExp(`^${ns}\\s+web\\s+Canary\\s+Healthy`, 'm'));
  });

  it('shows AnalysisRuns of a revision with their latest metric values', async () => {
    const server = createServer((_req, res) => res.end(JSON.stringify({ value: 0.993 })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        ...{ group: 'argoproj.io', version: 'v1alpha1', namespace: ns, plural: 'analysisruns' },
        body: analysisRun(await api.get('web'), url),
      });
      const r = await pollUntil(
        async () => {
          const out = await vireo('get', 'rollout', 'web', '-n', ns);
          return /α web-check\s+AnalysisRun\s+✔ Successful/.test(out.stdout) && out;
        },
        { timeoutMs: 60_000, intervalMs: 500, description: 'the Successful AnalysisRun in the tree' },
      );
      expect(r.stdout).toMatch(
        /└──# revision:1\n[\s\S]*α web-check\s+AnalysisRun\s+✔ Successful\s+\S+\s+✔ 1/,
      );
      expect(r.stdout).toMatch(/· success-rate\s+Metric\s+✔ Successful\s+latest:0\.993/);
    } finally {
      server.close();
    }
  });

  it('captures `get --watch` redrawing as the rollout moves (plain reprints when piped)', async () => {
    const watch = kubectl(['vireo', 'get', 'rollout', 'web', '-n', ns, '--watch']);
    await pollUntil(() => watch.output().stdout.includes('✔ Healthy'), {
      timeoutMs: 30_000,
      description: 'the first frame',
    });
    await api.patchSpec('web', {
      template: { spec: { containers: [{ name: 'app', image: 'registry.example/web:2.0.0' }] } },
    });
    await pollUntil(() => /Status:\s+॥ Paused[\s\S]*\(canary\)/.test(watch.output().stdout), {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: 'a Paused frame with the canary image',
    });
    watch.child.kill('SIGTERM');
    const r = await watch.done;
    expect(r.code).toBe(0);
    const frames = r.stdout.split(/\n(?=Name:)/);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames[0]).toMatch(/Status:\s+✔ Healthy/);
    expect(frames.at(-1)).toMatch(
      /Images:\s+registry\.example\/web:1\.0\.0 \(stable\)\n\s+registry\.example\/web:2\.0\.0 \(canary\)/,
    );
    expect(frames.at(-1)).toMatch(/├──# revision:2/);
  });

  it('lints manifests offline with file, line and field path, using the controller validator', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, BROKEN);
    const r = await vireo('lint', file);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe(
      `${file}:16: spec.strategy.canary.steps[1].setWeight: must be between 0 and 100, got 150`,
    );
    const ok = await vireo('lint', join(repoRoot, 'examples', 'canary-basic.yaml'));
    expect(ok).toMatchObject({
      code: 0,
      stdout: `${join(repoRoot, 'examples', 'canary-basic.yaml')}: ok (1 object)\n`,
    });
  });

  it('reads through client-node when the kubeconfig needs it: exec credentials, a merged KUBECONFIG', async () => {
    const sa = readFileSync(saKubeconfig, 'utf8');
    const status = { token: /token: (\S+)/.exec(sa)?.[1] ?? '' };
    const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status };
    const plugin = join(dir, 'credential.sh');
    writeFileSync(plugin, `#!/bin/sh\nprintf '%s' '${JSON.stringify(credential)}'\n`, { mode: 0o700 });
    const exec = [
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1',
      `      command: ${plugin}`,
      '      interactiveMode: Never',
    ];
    const execConfig = join(dir, 'exec-kubeconfig.yaml');
    writeFileSync(execConfig, sa.replace(/^ {4}token: \S+$/m, exec.join('\n')), { mode: 0o600 });
    const viaExec = await vireo('--kubeconfig', execConfig, 'get', 'rollout', 'web', '-n', ns, '-o', 'json');
    expect(viaExec).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(viaExec.stdout)).toMatchObject({ name: 'web', namespace: ns });
    const merged = await kubectl(['vireo', 'get', 'rollout', 'web', '-n', ns], {
      KUBECONFIG: `${execConfig}${delimiter}${clusterInfo().kubeconfigPath}`,
    }).done;
    expect(merged).toMatchObject({ code: 0, stderr: '' });
    expect(merged.stdout).toMatch(/⟳ web\s+Rollout\s/);
  });

  it('fails with one clear line: a missing rollout, and a 403 naming the verb and resource', async () => {
    const missing = await vireo('get', 'rollout', 'nope', '-n', ns);
    expect(missing).toMatchObject({
      code: 1,
      stderr: `error: rollout "nope" not found in namespace ${ns}\n`,
    });
    const viewer = await readOnlyKubeconfig(kc, ns, join(dir, 'viewer.yaml'));
    const denied = await vireo('--kubeconfig', viewer, 'pause', 'web', '-n', ns);
    expect(denied).toMatchObject({
      code: 1,
      stderr: `error: forbidden: cannot patch rollouts in namespace ${ns}\n`,
    });
  });
});
