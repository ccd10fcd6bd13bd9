import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScrapeTargets } from '../../harness/prometheus.js';
import { pollUntil } from '../../harness/wait.js';
import { ensurePluginBuilt, runKubectl } from './support/cli.js';
import { clusterInfo } from './support/cluster.js';

/** Scrapes served healthy before the exporter turns bad. */
const HEALTHY_SCRAPES = 12;

interface Report {
  metrics: { how: string; measurements: { at: string; value?: string; phase: string; inRun: boolean }[] }[];
  verdict: { phase: string; aborted: boolean; at?: string; message: string };
}

/** A loopback exporter and what it has served. */
interface TurningExporter {
  server: Server;
  scrapes: number;
  /** When the first bad value was served. */
  turnedAt?: number;
}

/** A loopback exporter: `vireo_replay_error_rate{app}` is 0.01 for the first scrapes, then 0.08. */
async function startTurningExporter(app: string): Promise<TurningExporter> {
  const state: Omit<TurningExporter, 'server'> = { scrapes: 0 };
  const server = createServer((_req, res) => {
    state.scrapes++;
    if (state.scrapes === HEALTHY_SCRAPES + 1) state.turnedAt = Date.now();
    const value = state.scrapes > HEALTHY_SCRAPES ? 0.08 : 0.01;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`vireo_replay_error_rate{app="${app}"} ${value}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { server });
}

function template(successCondition: string, extra: object = {}): string {
  const metric = {
    name: 'error-rate',
    interval: '1s',
    failureLimit: 2,
    successCondition,
    // the address a cluster would use; --prometheus points the replay at the harness's server
    provider: {
      prometheus: {
        address: 'http://prometheus.monitoring.svc:9090',
        query: 'vireo_replay_error_rate{app="{{args.app}}"}',
      },
    },
    ...extra,
  };
  const body = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'replayed' },
    spec: { args: [{ name: 'app' }], metrics: [metric] },
  };
  const file = join(mkdtempSync(join(tmpdir(), 'vireo-analyze-')), 'template.yaml');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('kubectl vireo analyze against the real Prometheus (history from a loopback exporter)', () => {
  let exporter: TurningExporter;
  const app = `replay-${process.pid}`;
  let from = '';

  beforeAll(async () => {
    ensurePluginBuilt();
    exporter = await startTurningExporter(app);
    const port = (exporter.server.address() as AddressInfo).port;
    writeScrapeTargets(clusterInfo().prometheusTargetsDir, `replay-${port}`, [`127.0.0.1:${port}`]);
    const firstScrape = Date.now();
    // history: the healthy stretch, the turn, and at least 10 s of the bad stretch stored in Prometheus
    const query = encodeURIComponent(
      `count_over_time((vireo_replay_error_rate{app="${app}"} > 0.05)[2m:1s])`,
    );
    await pollUntil(
      async () => {
        const body = (await (
          await fetch(`${clusterInfo().prometheusUrl}/api/v1/query?query=${query}`)
        ).json()) as {
          data: { result: { value: [number, string] }[] };
        };
        return Number(body.data.result[0]?.value[1] ?? 0) >= 10;
      },
      {
        timeoutMs: 90_000,
        intervalMs: 500,
        description: 'Prometheus to hold the healthy and the bad stretch',
      },
    );
    from = `${Math.ceil((Date.now() - firstScrape) / 1000) + 2}s`;
  });
  afterAll(async () => {
    await new Promise((resolve) => exporter?.server.close(resolve));
  });

  const analyze = (file: string, ...more: string[]) =>
    runKubectl([
      'vireo',
      'analyze',
      '--template',
      file,
      '--from',
      from,
      '--args',
      `app=${app}`,
      '--prometheus',
      clusterInfo().prometheusUrl,
      ...more,
    ]).done;

  it('shows the healthy measurements passing, the bad ones failing, and that the run would have aborted', async () => {
    const file = template('len(result) == 0 || result[0] < 0.05');
    const text = await analyze(file);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(
      'error-rate — every 1s; range query; successCondition len(result) == 0 || result[0] < 0.05; failureLimit 2',
    );
    expect(text.stdout).toMatch(/✔+✖+/);
    expect(text.stdout).toContain('Metric "error-rate" assessed Failed due to failed (3) > failureLimit (2)');
    expect(text.stdout).toContain('→ the Rollout would have aborted.');

    const json = await analyze(file, '-o', 'json');
    const report = JSON.parse(json.stdout) as Report;
    const measured = report.metrics[0]?.measurements ?? [];
    const phases = measured.map((m) => m.phase).join(' ');
    expect(phases).toMatch(/^(Successful )+(Failed ?)+$/);
    expect(
      measured.filter((m) => m.phase === 'Successful').every((m) => m.value === '[0.01]' || m.value === '[]'),
    ).toBe(true);
    expect(measured.filter((m) => m.phase === 'Failed').every((m) => m.value === '[0.08]')).toBe(true);
    const inRunFailures = measured.filter((m) => m.inRun && m.phase === 'Failed');
    expect(inRunFailures).toHaveLength(3);
    expect(report.verdict).toMatchObject({ phase: 'Failed', aborted: true, at: inRunFailures[2]?.at });
    // the first failing measurement is the first one after the exporter turned (scraped within a second)
    const firstFailure = Date.parse(inRunFailures[0]?.at ?? '');
    expect(Math.abs(firstFailure - (exporter.turnedAt ?? 0))).toBeLessThan(3000);
  });

  it('a looser threshold over the same history passes (count 5) and exits 0', async () => {
    const text = await analyze(template('len(result) == 0 || result[0] < 0.1', { count: 5 }));
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\d+ measurements: \d+ Successful\n/);
    expect(text.stdout).toContain('Verdict: the run would have been Successful at');
    expect(text.stdout).toContain('→ the analysis would have passed.');
  });

  it('reports a missing argument and an unreachable Prometheus as one error line, exit 1', async () => {
    const file = template('result[0] < 0.05');
    const missing = await runKubectl(['vireo', 'analyze', '--template', file, '--from', '1m']).done;
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'error: argument "app" has no value: pass --args app=VALUE\n',
    ]);
    const down = await runKubectl([
      'vireo',
      'analyze',
      '--template',
      file,
      '--from',
      '1m',
      '--args',
      'app=x',
      '--prometheus',
      'http://127.0.0.1:9',
    ]).done;
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^error: metric "error-rate": Prometheus query to http:\/\/127\.0\.0\.1:9\/api\/v1\/query_range failed: /,
    );
  });
});
