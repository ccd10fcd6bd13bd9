import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClientNodeKubeClient, loadKubeConfig } from '../../kube/client.js';
import { listenOn } from '../../server/listen.js';
import { type AccessPolicy, clusterPolicy, localPolicy } from './access.js';
import { assetDirectory, loadAssets } from './assets.js';
import { FeedHub } from './feeds.js';
import { dashboardHandler } from './http.js';
import { informerCaches } from './informer-cache.js';

/** How `kubectl vireo dashboard` runs. */
export interface DashboardOptions {
  address: string;
  port: number;
  /** The namespace the UI opens (it can switch). */
  namespace: string;
  inCluster: boolean;
  kubeconfig?: string;
  context?: string;
  /** In-cluster HTTPS: PEM files of the serving certificate and key. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** A running dashboard: its URL and how to stop it (watches included). */
export interface RunningDashboard {
  url: string;
  mode: 'local' | 'in-cluster';
  close(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 and `localhost`: the only addresses local mode may bind. */
export function isLoopback(address: string): boolean {
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1';
}

function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The `Host` values a browser sends to a loopback server on `port` (the DNS-rebinding guard's list). */
export function loopbackHosts(address: string, port: number): Set<string> {
  return new Set([hostPort(address, port), `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
}

function policyFor(opts: DashboardOptions, kc: KubeConfig, client: ClientNodeKubeClient): AccessPolicy {
  if (opts.inCluster) return clusterPolicy(client);
  const user = kc.getCurrentUser()?.name ?? 'kubeconfig user';
  return localPolicy(client, `${user} (context ${kc.getCurrentContext()})`);
}

function createServer(opts: DashboardOptions): Server {
  if (opts.tlsCertFile === undefined || opts.tlsKeyFile === undefined) return createHttpServer();
  return createHttpsServer({ cert: readFileSync(opts.tlsCertFile), key: readFileSync(opts.tlsKeyFile) });
}

/**
 * Starts the dashboard. Local mode acts with the kubeconfig's user and binds only loopback addresses (it
 * would otherwise lend that user's rights to the network), guarding `Host` against DNS rebinding.
 * In-cluster mode watches with its own ServiceAccount and serves only requests whose bearer token
 * TokenReview accepts, each action reviewed by SubjectAccessReview for that user.
 */
export async function startDashboard(opts: DashboardOptions): Promise<RunningDashboard> {
  if (!opts.inCluster && !isLoopback(opts.address)) {
    throw new Error(
      `local mode acts with your own credentials and binds only loopback addresses (got ${opts.address}); ` +
        'to serve others, deploy the in-cluster mode (deploy/dashboard/), which requires tokens',
    );
  }
  const kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context });
  const client = new ClientNodeKubeClient(kc);
  const hub = new FeedHub(informerCaches(kc, client));
  // The page opens on this namespace's list: keep its Rollouts watched for the server's lifetime.
  hub.feed(opts.namespace).subscribe(['rollouts'], () => undefined);
  const assets = loadAssets(assetDirectory(opts.env));
  const server = createServer(opts);
  const hosts = new Set<string>();
  const policy = policyFor(opts, kc, client);
  const handler = dashboardHandler({
    policy,
    hub,
    assets,
    namespace: opts.namespace,
    ...(opts.inCluster ? {} : { allowedHosts: hosts }),
  });
  server.on('request', (req, res) => void handler(req, res));
  const bound = await listenOn(server, opts.address, opts.port);
  for (const host of loopbackHosts(opts.address, bound.port)) hosts.add(host);
  const scheme = opts.tlsCertFile ? 'https' : 'http';
  return {
    url: `${scheme}://${hostPort(opts.address, bound.port)}/`,
    mode: opts.inCluster ? 'in-cluster' : 'local',
    close: async () => {
      server.closeAllConnections();
      await bound.close();
      await hub.close();
    },
  };
}

/** Opens `url` in the desktop's browser (`--open`); failures are ignored (the URL is printed anyway). */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const command = platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // the URL is printed; opening a browser is a convenience
  }
}
