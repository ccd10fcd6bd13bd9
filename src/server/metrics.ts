import { createServer } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { KubeObject } from '../kube/types.js';
import type { WorkQueueHooks } from '../kube/work-queue.js';
import { type BoundServer, listenOn } from './listen.js';
import { analysisRunSeries, rolloutSeries, type SeriesByMetric } from './object-series.js';

/** Where the scrape-time collectors read from: informer caches, queue lengths and leadership. */
export interface MetricSources {
  rollouts(): readonly KubeObject[];
  analysisRuns(): readonly KubeObject[];
  /** Ready keys per queue name (e.g. `rollouts`, `analysisruns`). */
  queueDepths(): Record<string, number>;
  isLeader(): boolean;
}

const OBJECT_GAUGES: Record<string, { help: string; labels: string[] }> = {
  rollout_info: { help: 'Information about a Rollout (1)', labels: ['strategy', 'traffic_router', 'phase'] },
  rollout_info_replicas_available: { help: 'Available replicas of a Rollout', labels: [] },
  rollout_info_replicas_unavailable: { help: 'Unavailable replicas of a Rollout', labels: [] },
  rollout_info_replicas_desired: { help: 'Desired replicas (spec.replicas) of a Rollout', labels: [] },
  rollout_info_replicas_updated: { help: 'Replicas of a Rollout on the current template', labels: [] },
  rollout_phase: { help: 'DEPRECATED: 1 for the phase a Rollout is in', labels: ['strategy', 'phase'] },
  analysis_run_info: { help: 'Information about an AnalysisRun (1)', labels: ['phase'] },
  analysis_run_phase: { help: '1 for the phase an AnalysisRun is in', labels: ['phase'] },
  analysis_run_metric_type: {
    help: 'Provider type of an AnalysisRun metric (1)',
    labels: ['metric', 'type'],
  },
  analysis_run_metric_phase: {
    help: '1 for the phase an AnalysisRun metric is in',
    labels: ['metric', 'type', 'dry_run', 'phase'],
  },
};

/** Argo Rollouts' reconcile histogram buckets, in seconds. */
export const RECONCILE_BUCKETS = [0.01, 0.15, 0.25, 0.5, 1];

/**
 * The controller's Prometheus metrics on a private Registry: default process metrics, Argo Rollouts' object
 * gauges computed at scrape time from the caches (never updated by reconcilers), reconcile duration
 * histograms and errors per controller, client-go style work-queue depth/adds/retries, and `vireo_leader`.
 * Labels carry only object names, namespaces, metric names and enumerations, so no secret reaches them.
 */
export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly reconcile: Histogram<'controller'>;
  private readonly reconcileErrors: Counter<'controller'>;
  private readonly adds: Counter<'name'>;
  private readonly retries: Counter<'name'>;

  constructor(sources: MetricSources, version = '0.1.0') {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.registerObjectGauges(sources);
    this.reconcile = new Histogram({
      name: 'vireo_reconcile_duration_seconds',
      help: 'Duration of one reconcile pass, per controller',
      labelNames: ['controller'],
      buckets: RECONCILE_BUCKETS,
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'vireo_reconcile_errors_total',
      help: 'Reconcile passes that failed (requeued with backoff), per controller',
      labelNames: ['controller'],
      registers,
    });
    this.adds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Keys added',
      labelNames: ['name'],
      registers,
    });
    this.retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Keys requeued with backoff',
      labelNames: ['name'],
      registers,
    });
    this.registerStateGauges(sources, version);
  }

  /** Queue hooks feeding the work-queue counters and the reconcile histogram of `controller` (= queue name). */
  queueHooks(controller: string): WorkQueueHooks {
    return {
      onAdd: () => this.adds.inc({ name: controller }),
      onRetry: () => this.retries.inc({ name: controller }),
      onProcessed: (ms, failed) => {
        this.reconcile.observe({ controller }, ms / 1000);
        if (failed) this.reconcileErrors.inc({ controller });
      },
    };
  }

  private registerObjectGauges(sources: MetricSources): void {
    for (const [name, spec] of Object.entries(OBJECT_GAUGES)) {
      const series = (): SeriesByMetric =>
        name.startsWith('rollout_')
          ? rolloutSeries(sources.rollouts())
          : analysisRunSeries(sources.analysisRuns());
      new Gauge({
        name,
        help: spec.help,
        labelNames: ['namespace', 'name', ...spec.labels],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const s of series()[name] ?? []) this.set(s.labels, s.value);
        },
      });
    }
  }

  private registerStateGauges(sources: MetricSources, version: string): void {
    const registers = [this.registry];
    new Gauge({
      name: 'workqueue_depth',
      help: 'Keys waiting in a work queue',
      labelNames: ['name'],
      registers,
      collect() {
        this.reset();
        for (const [name, depth] of Object.entries(sources.queueDepths())) this.set({ name }, depth);
      },
    });
    new Gauge({
      name: 'vireo_leader',
      help: '1 while this replica holds the leader Lease (or runs without leader election)',
      registers,
      collect() {
        this.set(sources.isLeader() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'vireo_controller_info',
      help: 'Controller version (1)',
      labelNames: ['version'],
      registers,
    }).set({ version }, 1);
  }
}

/** Serves `GET /metrics` from `registry` on `host:port`; everything else is 404. */
export async function startMetricsServer(
  host: string,
  port: number,
  registry: Registry,
): Promise<BoundServer> {
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500).end(err instanceof Error ? err.message : 'metrics failed'),
    );
  });
  return listenOn(server, host, port);
}
