import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoreV1Api,
  type KubeConfig,
  RbacAuthorizationV1Api,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { applyObjects } from '../../../harness/apply.js';
import { repoRoot } from '../../../harness/crds.js';
import { pollUntil } from '../../../harness/wait.js';
import { ensurePluginBuilt, type Running, runKubectl } from './cli.js';
import { parseManifests } from './objects.js';

/** Builds the plugin and the dashboard UI unless dist/ already holds both. */
export function ensureDashboardBuilt(): void {
  ensurePluginBuilt(!existsSync(join(repoRoot, 'dist', 'dashboard', 'index.html')));
}

/** A `kubectl vireo dashboard` process and the URL it printed. */
export interface DashboardProcess {
  url: string;
  running: Running;
  stop(): Promise<void>;
}

/** Starts `kubectl vireo dashboard --port 0 <args>` with `kubeconfig`; resolves once it printed its URL. */
export async function startDashboardProcess(kubeconfig: string, args: string[]): Promise<DashboardProcess> {
  const running = runKubectl(['vireo', 'dashboard', '--port', '0', ...args], {
    kubeconfig,
    timeoutMs: 30 * 60_000,
  });
  const url = await pollUntil(
    () => {
      const out = running.output();
      if (out.code !== null) throw new Error(`the dashboard exited ${out.code}: ${out.stderr}`);
      return /(https?:\/\/\S+\/)\s*$/m.exec(out.stdout)?.[1];
    },
    { timeoutMs: 60_000, intervalMs: 100, description: 'the dashboard to print its URL' },
  );
  const stop = async () => {
    running.child.kill('SIGTERM');
    await running.done;
  };
  return { url, running, stop };
}

/**
 * A token of ServiceAccount `name` in `namespace` bound to a Role with `rules` (TokenRequest on the real
 * API server, as `kubectl create token` does).
 */
export async function serviceAccountToken(
  kc: KubeConfig,
  namespace: string,
  name: string,
  rules: V1PolicyRule[],
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  });
  const token = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  if (!token.status?.token) throw new Error(`no token for ${namespace}/${name}`);
  return token.status.token;
}

/** Applies deploy/dashboard/rbac.yaml and writes a kubeconfig for its ServiceAccount to `path`. */
export async function dashboardServiceAccountKubeconfig(kc: KubeConfig, path: string): Promise<string> {
  const docs = parseManifests(readFileSync(join(repoRoot, 'deploy', 'dashboard', 'rbac.yaml'), 'utf8'));
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vireo-system' } };
  await applyObjects(kc, [namespace, ...docs]);
  const token = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: 'vireo-dashboard',
    namespace: 'vireo-system',
    body: { spec: { audiences: [], expirationSeconds: 3600 * 6 } },
  });
  const cluster = kc.getCurrentCluster();
  const ca = cluster?.caFile ? `certificate-authority: ${cluster.caFile}` : 'insecure-skip-tls-verify: true';
  const yaml = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${cluster?.server}", ${ca}}}]\nusers: [{name: u, user: {token: "${token.status?.token}"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`;
  writeFileSync(path, yaml, { mode: 0o600 });
  return path;
}

/** The flags the browser tests run Debian's Chromium with (no network but loopback, no GPU, no sync). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile, removed on close. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Launches /usr/bin/chromium (Debian's, installed by scripts/bootstrap.sh) through playwright-core. */
export async function launchBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'vireo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    timeout: 120_000,
  });
  context.setDefaultTimeout(60_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Where the tests put their screenshots: `docs/images` (the ones docs/dashboard.md shows) with
 * `VIREO_UPDATE_SCREENSHOTS=1`, otherwise a folder under the system's temporary directory, so a test run
 * leaves the working tree as it found it.
 */
export const SCREENSHOT_DIR =
  process.env.VIREO_UPDATE_SCREENSHOTS === '1'
    ? join(repoRoot, 'docs', 'images')
    : join(tmpdir(), 'vireo-dashboard-screenshots');
