import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { CoreV1Api, type KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../../harness/controller.js';
import { repoRoot } from '../../../harness/crds.js';
import { clusterInfo } from './cluster.js';

/** What a finished command printed, and its exit code. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command still running. */
export interface Running {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** What it printed so far. */
  output(): CliResult;
}

/** PATH with the repository's bin/ and this node first, so `kubectl vireo` finds the built plugin. */
export function pluginPath(): string {
  return [join(repoRoot, 'bin'), dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
}

/** Builds the plugin (`npm run build`) unless dist/ already holds it (always when `rebuild`). */
export function ensurePluginBuilt(rebuild = false): void {
  if (rebuild || !existsSync(join(repoRoot, 'dist', 'kubectl-vireo.mjs'))) {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  }
}

export interface KubectlOptions {
  /** Defaults to the shared control plane's admin kubeconfig. */
  kubeconfig?: string;
  /** More environment variables. */
  env?: Record<string, string>;
  /** The child is killed after this long (default 90 s). */
  timeoutMs?: number;
}

/** `kubectl <args>` on the shared control plane with {@link pluginPath} as PATH. */
export function runKubectl(args: string[], options: KubectlOptions = {}): Running {
  const { kubeconfig = clusterInfo().kubeconfigPath, env = {}, timeoutMs = 90_000 } = options;
  const child = spawn(clusterInfo().kubectlPath, args, {
    env: { ...process.env, PATH: pluginPath(), KUBECONFIG: kubeconfig, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: CliResult = { code: null, stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => {
    out.stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out.stderr += d.toString();
  });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ ...out, code })));
  const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  void done.then(() => clearTimeout(guard));
  return { child, done, output: () => out };
}

/** The Rollout `web` (app `web`, one container `app` running `image`), two replicas unless `spec` says. */
export function webRollout(image: string, steps: object[], spec: Record<string, unknown> = {}): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } },
      strategy: { canary: { steps } },
      ...spec,
    },
  };
}

/** Starts the controller on `namespace` as the deploy/ ServiceAccount, its kubeconfig and log in `dir`. */
export async function startNamespaceController(
  kc: KubeConfig,
  namespace: string,
  dir: string,
): Promise<{ controller: ControllerProcess; kubeconfigPath: string }> {
  const kubeconfigPath = await serviceAccountKubeconfig(kc, join(dir, 'sa-kubeconfig.yaml'));
  const controller = await startControllerProcess({
    kubeconfigPath,
    logPath: join(dir, 'controller.log'),
    args: [`--namespace=${namespace}`, '--no-leader-elect'],
  });
  return { controller, kubeconfigPath };
}

/** A kubeconfig for a ServiceAccount that may only read Rollouts in `namespace`. */
export async function readOnlyKubeconfig(kc: KubeConfig, namespace: string, path: string): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'viewer' } } });
  const rules = [{ apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list'] }];
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name: 'viewer' }, rules } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: 'viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'viewer' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace }],
    },
  });
  const token = await core.createNamespacedServiceAccountToken({
    name: 'viewer',
    namespace,
    body: { spec: { audiences: [] } },
  });
  const cluster = kc.getCurrentCluster();
  const ca = cluster?.caFile ? `certificate-authority: ${cluster.caFile}` : 'insecure-skip-tls-verify: true';
  const yaml = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${cluster?.server}", ${ca}}}]\nusers: [{name: u, user: {token: "${token.status?.token}"}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: ${namespace}}}]\ncurrent-context: x\n`;
  writeFileSync(path, yaml, { mode: 0o600 });
  return path;
}
