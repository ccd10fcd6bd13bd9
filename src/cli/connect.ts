import type { KubeConfig } from '@kubernetes/client-node';
import type { GlobalOptions } from './context.js';
import { CliError } from './errors.js';
import { HttpsKubeClient } from './https-client.js';
import { RolloutsApi } from './kube.js';
import { loadDirectConnection } from './kubeconfig.js';
import { mark } from './timings.js';

/**
 * The connection a verb uses: the API wrapper for the chosen namespace, and the client-node `KubeConfig`
 * for watches (loaded on first call; one-shot verbs never load client-node on the fast path).
 */
export interface KubeAccess {
  api: RolloutsApi;
  kubeConfig(): Promise<KubeConfig>;
}

/** Which kubeconfig and context to use: the global flags plus the environment (`KUBECONFIG`, `HOME`…). */
export interface ConnectOptions {
  opts: Pick<GlobalOptions, 'kubeconfig' | 'context' | 'namespace'>;
  env: Readonly<Record<string, string | undefined>>;
}

/** client-node's kubeconfig loader (same rules as the controller), as a one-line {@link CliError} on failure. */
async function fullKubeConfig({ opts }: ConnectOptions): Promise<KubeConfig> {
  const { loadKubeConfig } = await import('../kube/client.js');
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context });
  } catch (err) {
    throw new CliError(`cannot load kubeconfig: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!kc.getCurrentCluster())
    throw new CliError('kubeconfig has no current cluster (set --context or KUBECONFIG)');
  return kc;
}

async function fullAccess(options: ConnectOptions): Promise<KubeAccess> {
  const kc = await fullKubeConfig(options);
  const { ClientNodeKubeClient } = await import('../kube/client.js');
  const fromContext = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const namespace = options.opts.namespace ?? (fromContext || 'default');
  return { api: new RolloutsApi(new ClientNodeKubeClient(kc), namespace), kubeConfig: async () => kc };
}

/**
 * Connects for one invocation. Invariant: when the kubeconfig is one file whose context uses only a CA,
 * client certificate and/or token over HTTPS, requests go straight over `node:https` and client-node is
 * not loaded; anything else (exec or auth-provider credentials, several `KUBECONFIG` files, in-cluster
 * credentials, a proxy…) goes through client-node exactly as the controller connects. Both pick the same
 * server, credentials and namespace (`-n`, else the context's, else `default`).
 */
export async function connect(options: ConnectOptions): Promise<KubeAccess> {
  const { opts, env } = options;
  const direct = await loadDirectConnection(opts.kubeconfig, opts.context, env);
  mark(direct === undefined ? 'client-node' : 'direct');
  if (direct === undefined) return fullAccess(options);
  let kc: Promise<KubeConfig> | undefined;
  return {
    api: new RolloutsApi(new HttpsKubeClient(direct), opts.namespace ?? direct.namespace),
    kubeConfig: () => {
      kc ??= fullKubeConfig(options);
      return kc;
    },
  };
}
