import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeScrapeTargets } from '../../../harness/prometheus.js';
import { pollUntil } from '../../../harness/wait.js';
import { clusterInfo } from './cluster.js';

/** The query of the `error-rate` metric, with the app as the AnalysisTemplate/Run argument `app`. */
export const ERROR_RATE_QUERY = 'vireo_test_error_rate{app="{{args.app}}"}';

/** A loopback exporter whose `vireo_test_error_rate{app}` values the test sets. */
export function startExporter(rates: Record<string, number>): Promise<Server> {
  const server = createServer((_req, res) => {
    const lines = Object.entries(rates).map(([app, v]) => `vireo_test_error_rate{app="${app}"} ${v}`);
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`${lines.join('\n')}\n`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Has the shared Prometheus scrape `exporter` as the job `<job>-<port>`. */
export function scrapeExporter(exporter: Server, job: string): void {
  const port = (exporter.address() as AddressInfo).port;
  writeScrapeTargets(clusterInfo().prometheusTargetsDir, `${job}-${port}`, [`127.0.0.1:${port}`]);
}

/** Waits until Prometheus has scraped a `vireo_test_error_rate` sample for `app`. */
export async function waitForErrorRate(app: string): Promise<void> {
  await pollUntil(
    async () => {
      const q = encodeURIComponent(`vireo_test_error_rate{app="${app}"}`);
      const res = (await (await fetch(`${clusterInfo().prometheusUrl}/api/v1/query?query=${q}`)).json()) as {
        data: { result: unknown[] };
      };
      return res.data.result.length > 0;
    },
    { timeoutMs: 30_000, description: 'Prometheus to scrape the exporter' },
  );
}

/** Waits until Prometheus answers `value` for `app` (the exporter's value was changed and scraped since). */
export async function waitForErrorRateValue(app: string, value: number): Promise<void> {
  await pollUntil(
    async () => {
      const q = encodeURIComponent(`vireo_test_error_rate{app="${app}"}`);
      const res = (await (await fetch(`${clusterInfo().prometheusUrl}/api/v1/query?query=${q}`)).json()) as {
        data: { result: { value: [number, string] }[] };
      };
      return Number(res.data.result[0]?.value[1]) === value;
    },
    { timeoutMs: 30_000, description: `Prometheus to see ${value} for ${app}` },
  );
}

/**
 * The `error-rate` metric: three measurements a second apart of the exporter's error rate on the shared
 * Prometheus, failing above 5%; `prometheus` adds provider fields, `extra` metric fields.
 */
export function errorRateMetric(prometheus: object = {}, extra: object = {}): object {
  return {
    name: 'error-rate',
    interval: '1s',
    count: 3,
    failureLimit: 1,
    successCondition: 'result[0] < 0.05',
    provider: {
      prometheus: { address: clusterInfo().prometheusUrl, query: ERROR_RATE_QUERY, ...prometheus },
    },
    ...extra,
  };
}
