import { hostname } from 'node:os';
import { pino } from 'pino';
import { AnalysisRunController } from './analysis/controller.js';
import { createProviderRegistry } from './analysis/providers/registry.js';
import { parseControllerFlags } from './config/flags.js';
import { ClientNodeKubeClient, loadKubeConfig } from './kube/client.js';
import { apiEventSink, EventRecorder } from './kube/events.js';
import { LeaderElector } from './kube/leader-election.js';
import { coordinationLeaseApi } from './kube/lease-api.js';
import { RolloutController } from './rollout/controller.js';
import { startHealthServer } from './server/health.js';
import { systemClock } from './util/clock.js';

/**
 * The controller's composition root: parses flags, serves health, elects a leader and runs the Rollout
 * controller while leading. Losing leadership exits the process (a fresh start re-syncs from the API).
 */
async function main(): Promise<void> {
  const flags = parseControllerFlags(process.argv.slice(2), process.env);
  const logger = pino({ name: 'vireo', level: flags.logLevel });
  const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  const client = new ClientNodeKubeClient(kc);
  const events = new EventRecorder({ sink: apiEventSink(client), logger });
  const controller = new RolloutController({
    kc,
    client,
    events,
    clock: systemClock,
    logger,
    namespace: flags.namespace,
    workers: flags.workers,
  });
  const analysis = new AnalysisRunController({
    client,
    runs: controller.analysisRunInformer,
    clock: systemClock,
    logger,
    registry: createProviderRegistry({ prometheusAddress: process.env.ARGO_ROLLOUTS_PROMETHEUS_ADDRESS }),
    workers: flags.workers,
  });
  const startControllers = () => Promise.all([controller.start(), analysis.start()]);
  let leading = !flags.leaderElect;
  const health = await startHealthServer(flags.healthHost, flags.healthPort, {
    ready: () => (controller.hasSynced() && analysis.hasSynced()) || (flags.leaderElect && !leading),
  });
  const identity = `${hostname()}_${process.pid}`;
  const elector = new LeaderElector({
    leaseApi: coordinationLeaseApi(kc),
    namespace: flags.leaderElectionNamespace,
    name: 'vireo-controller-lock',
    identity,
    logger,
    onStartedLeading: async () => {
      leading = true;
      logger.info({ identity }, 'leading; starting the controllers');
      await startControllers();
    },
    onStoppedLeading: () => {
      logger.error({ identity }, 'lost leadership; exiting');
      process.exit(1);
    },
  });
  logger.info(
    {
      server: kc.getCurrentCluster()?.server,
      namespace: flags.namespace ?? '(all)',
      healthPort: health.port,
    },
    'starting',
  );
  if (flags.leaderElect) elector.start();
  else await startControllers();
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await analysis.stop();
    await controller.stop();
    if (flags.leaderElect) await elector.stop();
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
