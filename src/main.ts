import { parseArgs } from 'node:util';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { pino } from 'pino';
import { startHealthServer } from './server/health.js';

const { values: flags } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    'health-addr': { type: 'string', default: '0.0.0.0:8080' },
  },
});

function splitAddress(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':');
  return { host: address.slice(0, index) || '0.0.0.0', port: Number(address.slice(index + 1)) };
}

function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else if (process.env.KUBERNETES_SERVICE_HOST && !process.env.KUBECONFIG) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

/** The controller's composition root: connects, serves health, and runs until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const log = pino({ name: 'vireo' });
  const kc = loadKubeConfig(flags.kubeconfig);
  const version = await kc.makeApiClient(VersionApi).getCode();
  let ready = false;
  const { host, port } = splitAddress(flags['health-addr'] ?? '0.0.0.0:8080');
  const health = await startHealthServer(host, port, { ready: () => ready });
  log.info(
    { server: kc.getCurrentCluster()?.server, kubernetes: version.gitVersion, healthPort: health.port },
    'connected',
  );
  ready = true;
  const stop = async (signal: string): Promise<void> => {
    log.info({ signal }, 'shutting down');
    await health.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`vireo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
