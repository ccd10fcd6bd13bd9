import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../cluster/controller.js';
import { repoRoot } from '../../cluster/crds.js';
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

/** Builds the plugin (`npm run build`) unless dist/ already holds it. */
export function ensurePluginBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'kubectl-vireo.mjs'))) {
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
