import { Agent, get } from 'node:http';
import { writeScrapeTargets } from '../../../harness/prometheus.js';
import { pollUntil } from '../../../harness/wait.js';
import { startVersionServer, type VersionServer } from '../../../scripts/demo/app.js';
import { clusterInfo } from './cluster.js';

/**
 * The judge's query: the error ratio of one pod-template hash in the namespace, over 5 s (the harness
 * scrapes every second). `{{role}}` is filled in by the judge, `{{args.namespace}}` from the Rollout.
 */
export const JUDGE_ERROR_RATIO =
  'sum(rate(http_requests_total{status="500",namespace="{{args.namespace}}",rollouts_pod_template_hash="{{role}}"}[5s]))' +
  ' / sum(rate(http_requests_total{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{role}}"}[5s]))';

/** Loopback versions of an app, each scraped under the pod-template hash it stands in for. */
export interface AppFleet {
  /** Starts a version failing `errorRate` of its requests; traffic reaches it from then on. */
  start(tag: string, errorRate: number): Promise<VersionServer>;
  /** Has Prometheus scrape version `tag` as `rollouts_pod_template_hash=hash`, `namespace=…`. */
  label(tag: string, hash: string): void;
  close(): Promise<void>;
}

/**
 * A fleet in `namespace` with a traffic loop sending `perSecond` requests a second to every started
 * version (loopback only), for at most `maxMs`; `close` stops the loop and the servers.
 */
export function startFleet(namespace: string, perSecond = 50, maxMs = 600_000): AppFleet {
  const servers = new Map<string, VersionServer>();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const stopAt = Date.now() + maxMs;
  const timer = setInterval(() => {
    if (Date.now() > stopAt) clearInterval(timer);
    for (const s of servers.values()) {
      get({ host: '127.0.0.1', port: s.port, path: '/', agent }, (res) => res.resume()).on('error', () => {});
    }
  }, 1000 / perSecond);
  return {
    async start(tag, errorRate) {
      const server = await startVersionServer(namespace, tag, errorRate);
      servers.set(tag, server);
      return server;
    },
    label(tag, hash) {
      const server = servers.get(tag);
      if (!server) throw new Error(`no version ${tag}`);
      const labels = { rollouts_pod_template_hash: hash, namespace };
      writeScrapeTargets(
        clusterInfo().prometheusTargetsDir,
        `judge-${namespace}-${tag}`,
        [`127.0.0.1:${server.port}`],
        labels,
      );
    },
    async close() {
      clearInterval(timer);
      agent.destroy();
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}

/** Waits until Prometheus holds at least `seconds` scrapes of the version labelled `hash`. */
export async function waitForHistory(hash: string, seconds: number): Promise<void> {
  const query = `count_over_time(http_requests_total{status="500",rollouts_pod_template_hash="${hash}"}[${seconds + 30}s])`;
  await pollUntil(
    async () => {
      const url = `${clusterInfo().prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`;
      const body = (await (await fetch(url)).json()) as { data: { result: { value: [number, string] }[] } };
      return Number(body.data.result[0]?.value[1] ?? 0) >= seconds;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: `${seconds} s of history for ${hash}` },
  );
}
