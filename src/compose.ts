import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { type Logger, pino } from 'pino';
import { RUN_UID_LABEL } from './analysis/providers/job-object.js';
import { createProviderRegistry } from './analysis/providers/registry.js';
import { AnalysisRunController } from './analysis/reconcile/controller.js';
import {
  ConfigError,
  type ControllerFlags,
  type ControllerNamespace,
  controllerNamespace,
  parseControllerFlags,
} from './config/flags.js';
import { ExperimentController } from './experiment/reconcile/controller.js';
import { GitWriteBackController } from './gitops/controller.js';
import { ClientNodeKubeClient, loadKubeConfig, Resources } from './kube/client.js';
import { apiEventSink, EventRecorder } from './kube/events.js';
import { createInformer, setWatchTimeoutSeconds } from './kube/informers.js';
import { LeaderElector } from './kube/leader-election.js';
import { clientLeaseApi, type LeaseFailure } from './kube/lease-api.js';
import type { KubeObject } from './kube/types.js';
import { NotificationController } from './notify/controller.js';
import { RolloutController } from './rollout/reconcile/controller.js';
import { startHealthServer } from './server/health.js';
import type { BoundServer } from './server/listen.js';
import { ControllerMetrics, startMetricsServer } from './server/metrics.js';
import { createTrafficRouters } from './traffic/create-routers.js';
import { systemClock } from './util/clock.js';

/**
 * Hooks a wrapping entry point may pass in (tests only: `harness/test-controller-main.ts`); the shipped
 * entry `src/main.ts` passes none.
 */
export interface ControllerHooks {
  /** Called right after a Git write-back push, before it is recorded (the restart scenario kills the process here). */
  afterGitPush?: () => void;
}

/** Something main starts while leading and stops, in reverse order, on shutdown. */
interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
  hasSynced(): boolean;
}

/** Leadership as main tracks it: standby replicas are ready but start nothing. */
interface Leadership {
  leading: boolean;
  stopping: boolean;
  /** True while the last Lease attempt failed in a way retrying will not mend: never ready then. */
  blocked: () => boolean;
}

const LEASE_NAME = 'vireo-controller-lock';
/** Upper bound for a graceful shutdown before the process exits anyway (1). */
const SHUTDOWN_GRACE_MS = 25_000;

function readConfig(): ControllerFlags {
  try {
    return parseControllerFlags(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`vireo: invalid configuration: ${err.message}\n`);
    process.exit(2);
  }
}

/**
 * Builds the controllers, in start order. Each feature adds its controller here (one `push`), sharing the
 * client, the event recorder and the Rollout informer (`rollouts.rolloutInformer`).
 */
function buildControllers(
  flags: ControllerFlags,
  logger: Logger,
  metrics: ControllerMetrics,
  hooks: ControllerHooks,
) {
  const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  const home = controllerNamespace(flags, kc.getContextObject(kc.getCurrentContext())?.namespace);
  const client = new ClientNodeKubeClient(kc);
  setWatchTimeoutSeconds(flags.watchTimeoutSeconds);
  const events = new EventRecorder({ sink: apiEventSink(client), logger });
  const common = { client, clock: systemClock, logger, workers: flags.workers };
  const rollouts = new RolloutController({
    ...common,
    kc,
    events,
    namespace: flags.namespace,
    instanceId: flags.instanceId,
    routers: createTrafficRouters,
    queueHooks: metrics.queueHooks('rollouts'),
  });
  const analysis = buildAnalysisController(flags, { ...common, kc, events }, rollouts, metrics);
  const experiments = new ExperimentController({
    ...common,
    kc,
    events,
    replicaSets: rollouts.replicaSetInformer,
    analysisRuns: rollouts.analysisRunInformer,
    namespace: flags.namespace,
    instanceId: flags.instanceId,
    queueHooks: metrics.queueHooks('experiments'),
  });
  const notifications = new NotificationController({
    ...common,
    events,
    rollouts: rollouts.rolloutInformer,
    analysisRuns: rollouts.analysisRunInformer,
    configNamespace: home.namespace,
  });
  const gitWriteBack = new GitWriteBackController({
    ...common,
    events,
    rollouts: rollouts.rolloutInformer,
    analysisRuns: rollouts.analysisRunInformer,
    allowFileRemotes: flags.allowFileGitRemotes,
    afterPush: hooks.afterGitPush,
  });
  const controllers: Runnable[] = [rollouts, analysis, experiments, notifications, gitWriteBack];
  return { kc, home, rollouts, analysis, experiments, controllers };
}

/** A Lease namespace that does not exist stops the process at once (exit 2) with one line saying what to set. */
function exitIfNamespaceMissing(failure: LeaseFailure, home: ControllerNamespace): void {
  if (failure.kind !== 'namespace-missing') return;
  process.stderr.write(
    `vireo: the leader-election namespace "${home.namespace}" (${home.source}) does not exist: create it, or set --leader-election-namespace (or POD_NAMESPACE) to one that exists\n`,
  );
  process.exit(2);
}

/** The AnalysisRun controller, with the cache of metric Jobs the `job` provider reads and reacts to. */
function buildAnalysisController(
  flags: ControllerFlags,
  common: {
    client: ClientNodeKubeClient;
    kc: KubeConfig;
    events: EventRecorder;
    logger: Logger;
    workers: number;
  },
  rollouts: RolloutController,
  metrics: ControllerMetrics,
): AnalysisRunController {
  const { client, kc, events, logger, workers } = common;
  const jobs = createInformer<KubeObject>(kc, client, Resources.jobs, {
    namespace: flags.namespace,
    labelSelector: RUN_UID_LABEL,
    clock: systemClock,
    logger,
  });
  return new AnalysisRunController({
    client,
    clock: systemClock,
    logger,
    workers,
    events,
    runs: rollouts.analysisRunInformer,
    jobs,
    registry: createProviderRegistry({ prometheusAddress: flags.prometheusAddress, job: { client, jobs } }),
    queueHooks: metrics.queueHooks('analysisruns'),
  });
}

function electLeader(
  flags: ControllerFlags,
  deps: { kc: KubeConfig; home: ControllerNamespace; logger: Logger; state: Leadership },
  startAll: () => Promise<void>,
): LeaderElector {
  const { logger, state } = deps;
  const identity = `${hostname()}_${process.pid}`;
  return new LeaderElector({
    // Its own connections, each request bounded by the renew deadline (a later answer is useless).
    leaseApi: clientLeaseApi(new ClientNodeKubeClient(deps.kc, { requestTimeoutMs: flags.renewDeadlineMs })),
    namespace: deps.home.namespace,
    name: flags.instanceId ? `${LEASE_NAME}-${flags.instanceId}` : LEASE_NAME,
    identity,
    leaseDurationMs: flags.leaseDurationMs,
    renewDeadlineMs: flags.renewDeadlineMs,
    retryPeriodMs: flags.retryPeriodMs,
    logger,
    onNewLeader: (leader) => {
      if (leader !== identity) logger.info({ identity, leader }, 'standby: another replica leads');
    },
    onStartedLeading: async () => {
      state.leading = true;
      logger.info({ identity }, 'leading; starting the controllers');
      await startAll();
    },
    onStoppedLeading: () => {
      if (state.stopping) return;
      logger.error({ identity }, 'lost leadership; exiting');
      process.exit(1);
    },
    onLeaseUnusable: (failure) => exitIfNamespaceMissing(failure, deps.home),
  });
}

async function shutdown(
  signal: string,
  logger: Logger,
  parts: { controllers: Runnable[]; elector?: LeaderElector; servers: BoundServer[] },
): Promise<never> {
  logger.info({ signal }, 'shutting down');
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
  for (const controller of [...parts.controllers].reverse()) {
    await controller.stop().catch((err: unknown) => logger.warn({ err }, 'stopping a controller failed'));
  }
  await parts.elector?.stop().catch((err: unknown) => logger.warn({ err }, 'releasing the Lease failed'));
  await Promise.all(parts.servers.map((s) => s.close()));
  logger.info({ signal }, 'stopped');
  process.exit(0);
}

/** The metrics of this process; the sources read the controllers' caches and queues once they exist. */
function controllerMetrics(
  built: () => ReturnType<typeof buildControllers> | undefined,
  state: Leadership,
): ControllerMetrics {
  return new ControllerMetrics({
    rollouts: () => built()?.rollouts.rolloutInformer.list() ?? [],
    analysisRuns: () => built()?.rollouts.analysisRunInformer.list() ?? [],
    queueDepths: () => ({
      rollouts: built()?.rollouts.queue.len() ?? 0,
      analysisruns: built()?.analysis.queue.len() ?? 0,
      experiments: built()?.experiments.queue.len() ?? 0,
    }),
    isLeader: () => state.leading,
  });
}

/**
 * Health (ready: the leader once synced, a standby once it reaches the Lease, never one that cannot) and
 * metrics servers, in that order.
 */
async function startServers(
  flags: ControllerFlags,
  metrics: ControllerMetrics,
  controllers: Runnable[],
  state: Leadership,
): Promise<BoundServer[]> {
  const health = await startHealthServer(flags.healthHost, flags.healthPort, {
    ready: () =>
      !state.stopping && (state.leading ? controllers.every((c) => c.hasSynced()) : !state.blocked()),
    role: () => (state.leading ? 'leader' : 'standby'),
  });
  return [health, await startMetricsServer(flags.metricsHost, flags.metricsPort, metrics.registry)];
}

/**
 * The controller's composition root: validated configuration, JSON logs, health and metrics servers, leader
 * election on the Lease `vireo-controller-lock` (only the leader starts controllers; a standby is ready but
 * idle), and a graceful SIGTERM/SIGINT shutdown (queues drained, Lease released, servers closed, exit 0).
 * Losing leadership exits the process (1): a fresh start re-syncs from the API.
 */
async function runController(hooks: ControllerHooks): Promise<void> {
  const flags = readConfig();
  const logger = pino({ name: 'vireo', level: flags.logLevel });
  const state: Leadership = { leading: !flags.leaderElect, stopping: false, blocked: () => false };
  let built: ReturnType<typeof buildControllers> | undefined;
  const metrics = controllerMetrics(() => built, state);
  built = buildControllers(flags, logger, metrics, hooks);
  const { kc, home, controllers } = built;
  const startAll = async () => {
    for (const controller of controllers) await controller.start();
  };
  const servers = await startServers(flags, metrics, controllers, state);
  const elector = flags.leaderElect ? electLeader(flags, { kc, home, logger, state }, startAll) : undefined;
  if (elector) state.blocked = () => elector.unusableLease() !== undefined;
  logger.info(
    {
      server: kc.getCurrentCluster()?.server,
      namespace: flags.namespace ?? '(all)',
      controllerNamespace: home.namespace,
      healthPort: servers[0]?.port,
      metricsPort: servers[1]?.port,
    },
    'starting',
  );
  const parts = { controllers, elector, servers };
  const onSignal = (signal: string) => {
    state.stopping = true;
    void shutdown(signal, logger, parts);
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  if (elector) elector.start();
  else await startAll();
}

/** Runs the controller process (see `runController`); a startup failure is printed and exits with 1. */
export function runControllerProcess(hooks: ControllerHooks = {}): void {
  runController(hooks).catch((err: unknown) => {
    process.stderr.write(`vireo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
