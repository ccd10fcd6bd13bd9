import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { AuditedResource } from '../../../harness/component-args.js';
import { type ControlPlane, startControlPlane } from '../../../harness/control-plane.js';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../../harness/controller.js';
import { installCrds } from '../../../harness/crds.js';
import { newRunDir } from '../../../harness/environment.js';
import { startTcpProxy, type TcpProxy } from '../../../harness/tcp-proxy.js';
import { type AvailabilityRecorder, recordAvailability } from './availability.js';
import { RolloutApi, type RolloutObject } from './rollouts.js';

/** A private control plane the test may break, with the controller reaching kube-apiserver through a proxy. */
export interface ProxiedPlane {
  cp: ControlPlane;
  proxy: TcpProxy;
  controller: ControllerProcess;
  /** The admin's client (direct to kube-apiserver, not through the proxy). */
  api: RolloutApi;
  /** Pod availability of the namespace, recorded from the start. */
  recorder: AvailabilityRecorder;
  /** kube-apiserver's audit log (written when `auditDeletions` was given). */
  auditLogPath: string;
  /** Recorder, controller, proxy, control plane, then the run directory (kept with VIREO_KEEP_TEST_ENV=1). */
  stop(): Promise<void>;
}

/** Options for {@link startProxiedPlane}. */
export interface ProxiedPlaneOptions {
  /** Run directory prefix. */
  prefix: string;
  namespace: string;
  apiserverArgs?: string[];
  /** Requests kube-apiserver's audit log (`auditLogPath`) records whoever makes them (default: none). */
  auditResources?: AuditedResource[];
  /** Flags added to `--namespace`, `--no-leader-elect`, `--log-level=debug`. */
  controllerArgs?: string[];
}

/** A copy of the admin kubeconfig whose server is the proxy's port. */
function proxiedKubeconfig(cp: ControlPlane, proxy: TcpProxy): KubeConfig {
  const path = join(cp.layout.dir, 'kubeconfig-proxied.yaml');
  const server = `https://127.0.0.1:${proxy.port}`;
  writeFileSync(path, readFileSync(cp.kubeconfigPath, 'utf8').replace(cp.server, server));
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/**
 * Starts a private control plane with the CRDs and `namespace`, a TCP proxy in front of its kube-apiserver,
 * and the controller as the deploy/ ServiceAccount through that proxy. Whatever started is stopped again
 * if a later step fails.
 */
export async function startProxiedPlane(options: ProxiedPlaneOptions): Promise<ProxiedPlane> {
  const started: Partial<ProxiedPlane> = {};
  const stop = async () => {
    started.recorder?.stop();
    await started.controller?.process.stop();
    await started.proxy?.close();
    await started.cp?.stop();
    if (started.cp && process.env.VIREO_KEEP_TEST_ENV !== '1')
      rmSync(started.cp.layout.dir, { recursive: true, force: true });
  };
  try {
    const dir = newRunDir(options.prefix);
    const auditLogPath = join(dir, 'audit.log');
    const audit = options.auditResources ? { auditLogPath, auditResources: options.auditResources } : {};
    const cp = await startControlPlane({ dir, apiserverArgs: options.apiserverArgs ?? [], ...audit });
    started.cp = cp;
    const admin = new KubeConfig();
    admin.loadFromFile(cp.kubeconfigPath);
    await installCrds(admin);
    const metadata = { name: options.namespace };
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata } });
    const proxy = await startTcpProxy(cp.layout.apiserverPort);
    started.proxy = proxy;
    const sa = await serviceAccountKubeconfig(proxiedKubeconfig(cp, proxy), join(dir, 'sa-kubeconfig.yaml'));
    const flags = [`--namespace=${options.namespace}`, '--no-leader-elect', '--log-level=debug'];
    started.controller = await startControllerProcess({
      kubeconfigPath: sa,
      logPath: join(dir, 'controller.log'),
      args: [...flags, ...(options.controllerArgs ?? [])],
    });
    started.recorder = recordAvailability(admin, options.namespace);
    const api = new RolloutApi(admin, options.namespace);
    return { ...(started as ProxiedPlane), api, auditLogPath, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** True once the Rollout is Healthy on its current template, whose spec mentions `image`. */
export const finishedOn = (image: string) => (r: RolloutObject) =>
  r.status?.phase === 'Healthy' &&
  r.status.stableRS === r.status.currentPodHash &&
  JSON.stringify(r.spec).includes(image);
