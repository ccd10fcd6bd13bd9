import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from '../../harness/control-plane.js';
import { standInCrdFiles } from '../../harness/crd-files.js';
import { installCrds, repoRoot } from '../../harness/crds.js';
import { reapStaleRuns, recordRun } from '../../harness/stale-runs.js';
import { pollUntil } from '../../harness/wait.js';
import { type ArgoRollouts, argoCrdFiles, installE2eIstioCrds } from './argo-rollouts.js';
import type { ControllerName } from './report.js';

/** The control plane a conformance run shares between both controllers. */
export interface ConformanceEnvironment {
  controlPlane: ControlPlane;
  admin: KubeConfig;
  stop(): Promise<void>;
}

/**
 * The router CRDs that switch on Argo's APISIX and App Mesh suites (they skip themselves without): the
 * ApisixRoute CRD of Argo's module (`test/e2e/crds/apisix.yaml`) and the App Mesh stand-in CRDs.
 */
export function e2eRouterCrdFiles(argo: ArgoRollouts): string[] {
  return [join(argo.moduleDir, 'test', 'e2e', 'crds', 'apisix.yaml'), ...standInCrdFiles()];
}

/**
 * Starts a private control plane (kwok pods, see harness/kwok-stages.yaml) in `dir` and installs the
 * Istio CRDs Argo's e2e suite expects (its module's `test/e2e/crds/istio.yaml`, which includes the Gateway),
 * and `e2eRouterCrdFiles`.
 */
export async function startConformanceEnvironment(
  dir: string,
  argo: ArgoRollouts,
  verbose: boolean,
): Promise<ConformanceEnvironment> {
  reapStaleRuns();
  const controlPlane = await startControlPlane({ dir: join(dir, 'cluster'), verbose });
  recordRun(dir, process.pid, controlPlane.processes, [controlPlane.layout.etcdDataDir]);
  const admin = new KubeConfig();
  admin.loadFromFile(controlPlane.kubeconfigPath);
  try {
    installE2eIstioCrds(argo, controlPlane.binaries.kubectl, controlPlane.kubeconfigPath);
    await installCrds(admin, e2eRouterCrdFiles(argo));
  } catch (err) {
    await controlPlane.stop();
    throw err;
  }
  return { controlPlane, admin, stop: () => controlPlane.stop() };
}

/** Vireo's CRDs (`crds/*.yaml` of this repository). */
export function vireoCrdFiles(): string[] {
  const dir = join(repoRoot, 'crds');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Installs the CRDs a controller ships with: Argo's controller runs with Argo's CRDs (its module's
 * `manifests/crds`), Vireo with its own `crds/`. One field manager applies both, so switching replaces the
 * schema instead of merging the two.
 */
export async function installControllerCrds(
  admin: KubeConfig,
  controller: ControllerName,
  argo: ArgoRollouts,
): Promise<void> {
  await installCrds(admin, controller === 'argo' ? argoCrdFiles(argo) : vireoCrdFiles());
}

/** Writes a copy of the admin kubeconfig whose context uses `namespace` (the e2e fixtures work there). */
export function namespacedKubeconfig(admin: KubeConfig, namespace: string, outPath: string): string {
  const current = admin.getCurrentContext();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: admin.clusters,
    users: admin.users,
    contexts: admin.contexts.map((c) => (c.name === current ? { ...c, namespace } : c)),
    currentContext: current,
  });
  writeFileSync(outPath, kc.exportConfig(), { mode: 0o600 });
  return outPath;
}

/** Creates `namespace` (an existing one is kept). */
export async function createNamespace(admin: KubeConfig, namespace: string): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
}

/** Deletes `namespace` and waits until it is gone (up to `timeoutMs`); returns whether it went. */
export async function deleteNamespace(
  admin: KubeConfig,
  namespace: string,
  timeoutMs = 180_000,
): Promise<boolean> {
  const core = admin.makeApiClient(CoreV1Api);
  await core.deleteNamespace({ name: namespace }).catch((err: { code?: number }) => {
    if (err.code !== 404) throw err;
  });
  return pollUntil(
    () =>
      core.readNamespace({ name: namespace }).then(
        () => false,
        (err: { code?: number }) => err.code === 404,
      ),
    { timeoutMs, intervalMs: 1000, description: `namespace ${namespace} to be deleted` },
  ).then(
    () => true,
    () => false,
  );
}
