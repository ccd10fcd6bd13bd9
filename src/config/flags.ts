import { parseArgs } from 'node:util';

/** The controller's command-line configuration, parsed once in main. */
export interface ControllerFlags {
  kubeconfig?: string;
  context?: string;
  /** Watch only this namespace (namespaced install); default all namespaces. */
  namespace?: string;
  healthHost: string;
  healthPort: number;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  workers: number;
  logLevel: string;
}

function splitAddress(flag: string, address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':');
  const port = Number(address.slice(index + 1));
  if (index < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--${flag}: expected host:port, got "${address}"`);
  }
  return { host: address.slice(0, index) || '0.0.0.0', port };
}

/**
 * Parses argv (without node and script). Unknown flags are an error with the flag named; defaults fit an
 * in-cluster install: health on 0.0.0.0:8080, leader election on in `$POD_NAMESPACE` (else vireo-system).
 */
export function parseControllerFlags(
  argv: string[],
  env: Record<string, string | undefined>,
): ControllerFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string' },
      'health-addr': { type: 'string', default: '0.0.0.0:8080' },
      'leader-elect': { type: 'boolean', default: true },
      'no-leader-elect': { type: 'boolean', default: false },
      'leader-election-namespace': { type: 'string' },
      workers: { type: 'string', default: '4' },
      'log-level': { type: 'string', default: env.VIREO_LOG_LEVEL ?? 'info' },
    },
  });
  const health = splitAddress('health-addr', values['health-addr'] ?? '');
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`--workers: expected a positive integer, got "${values.workers}"`);
  return {
    kubeconfig: values.kubeconfig,
    context: values.context,
    namespace: values.namespace || undefined,
    healthHost: health.host,
    healthPort: health.port,
    leaderElect: Boolean(values['leader-elect']) && !values['no-leader-elect'],
    leaderElectionNamespace: values['leader-election-namespace'] ?? env.POD_NAMESPACE ?? 'vireo-system',
    workers,
    logLevel: values['log-level'] ?? 'info',
  };
}
