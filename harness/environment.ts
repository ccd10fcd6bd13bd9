import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from './control-plane.js';
import { assertCrdFilesPresent, installCrds } from './crds.js';
import { type PrometheusServer, startPrometheus } from './prometheus.js';
import { reapStaleRuns, recordRun } from './stale-runs.js';
import { StartupScope, startTogether } from './startup.js';
import { cacheDir } from './versions.js';

/** Everything a test or a user needs to reach a running environment. */
export interface EnvironmentInfo {
  kubeconfigPath: string;
  server: string;
  prometheusUrl: string;
  prometheusTargetsDir: string;
  kubectlPath: string;
}

/** A running local environment: control plane, CRDs installed, Prometheus. */
export interface Environment {
  info: EnvironmentInfo;
  controlPlane: ControlPlane;
  prometheus: PrometheusServer;
  dir: string;
  /** Stops every process and removes the working directory unless `keepDir`; idempotent. */
  stop(options?: { keepDir?: boolean }): Promise<void>;
}

/** Options for {@link startEnvironment}. */
export interface EnvironmentOptions {
  /** Working directory; default a fresh directory under ~/.cache/vireo/runs/. */
  dir?: string;
  verbose?: boolean;
  /** Opt-in kube-apiserver audit log path, passed to {@link startControlPlane} (default off). */
  auditLogPath?: string;
  /** Aborting it stops the start (everything started so far is stopped, the promise rejects). */
  signal?: AbortSignal;
}

/** A fresh working directory for one environment under the cache's runs/ folder. */
export function newRunDir(prefix: string): string {
  const runs = join(cacheDir(), 'runs');
  mkdirSync(runs, { recursive: true });
  return mkdtempSync(join(runs, `${prefix}-`));
}

/**
 * Starts the control plane and Prometheus in parallel, then installs the CRDs. Fails fast: a missing CRD
 * file before any process starts; a component that exits, as soon as it does (its log tail in the error).
 * On any failure, every process started is stopped before the error propagates.
 */
export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  reapStaleRuns();
  assertCrdFilesPresent();
  const dir = options.dir ?? newRunDir('env');
  const scope = new StartupScope(options.signal);
  scope.onLaunch = () => recordRun(dir, process.pid, scope.processes, scope.paths);
  const [controlPlane, prometheus] = await startTogether<[ControlPlane, PrometheusServer]>(scope, [
    startControlPlane({
      dir: join(dir, 'cluster'),
      verbose: options.verbose,
      auditLogPath: options.auditLogPath,
      scope,
    }),
    startPrometheus(join(dir, 'prometheus'), scope),
  ]);
  const stop = async (stopOptions: { keepDir?: boolean } = {}): Promise<void> => {
    await Promise.all([controlPlane.stop(), prometheus.stop()]);
    if (!stopOptions.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(controlPlane.kubeconfigPath);
    await installCrds(kc, undefined, scope.signal);
    scope.signal.throwIfAborted();
  } catch (err) {
    await stop({ keepDir: true });
    throw scope.signal.aborted ? scope.signal.reason : err;
  }
  scope.settle();
  const info: EnvironmentInfo = {
    kubeconfigPath: controlPlane.kubeconfigPath,
    server: controlPlane.server,
    prometheusUrl: prometheus.url,
    prometheusTargetsDir: prometheus.targetsDir,
    kubectlPath: controlPlane.binaries.kubectl,
  };
  return { info, controlPlane, prometheus, dir, stop };
}
