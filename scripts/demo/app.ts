import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Counts of one version's answers by HTTP status. */
export interface RequestCounts {
  ok: number;
  errors: number;
}

/**
 * Whether the `n`-th request (0-based) of a version failing at `errorRate` fails: exactly
 * `floor(n * rate)` of the first `n` requests fail, spread evenly, so a short window already shows the rate.
 */
export function failsAt(n: number, errorRate: number): boolean {
  return Math.floor((n + 1) * errorRate) > Math.floor(n * errorRate);
}

/** The Prometheus text exposition of a version's request counters. */
export function metricsText(app: string, version: string, counts: RequestCounts): string {
  const series = (status: string, value: number) =>
    `http_requests_total{app="${app}",version="${version}",status="${status}"} ${value}`;
  return [
    '# HELP http_requests_total Requests served, by status.',
    '# TYPE http_requests_total counter',
    series('200', counts.ok),
    series('500', counts.errors),
    '',
  ].join('\n');
}

/** One version of the demo application: a loopback HTTP server answering `/` and `/metrics`. */
export interface VersionServer {
  version: string;
  errorRate: number;
  port: number;
  counts: RequestCounts;
  close(): Promise<void>;
}

/**
 * Starts version `version` of app `app` on 127.0.0.1 (a free port): `/` answers 200, or 500 for the
 * share `errorRate` of requests; `/metrics` exports `http_requests_total{app,version,status}` (both
 * statuses from the start, so the error series exists before the first error).
 */
export async function startVersionServer(
  app: string,
  version: string,
  errorRate: number,
): Promise<VersionServer> {
  const counts: RequestCounts = { ok: 0, errors: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(metricsText(app, version, counts));
      return;
    }
    const fail = failsAt(counts.ok + counts.errors, errorRate);
    if (fail) counts.errors++;
    else counts.ok++;
    res.statusCode = fail ? 500 : 200;
    res.end(fail ? 'internal error\n' : `${app} ${version}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    version,
    errorRate,
    port: (server.address() as AddressInfo).port,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
