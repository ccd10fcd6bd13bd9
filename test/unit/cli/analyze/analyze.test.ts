import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, replayArgs } from '../../../../src/cli/analyze/analyze.js';
import type { CliIO } from '../../../../src/cli/context.js';
import { runCli } from '../../../../src/cli/program.js';
import { useStub } from '../../analysis/providers/provider-setup.js';
import { json } from '../../analysis/providers/stub-server.js';

const stub = useStub();
const NOW = new Date('2026-01-01T12:00:00Z');
const T0 = NOW.getTime() / 1000 - 300;

const template = (metric: Record<string, unknown> = {}, args: object[] = [{ name: 'app', value: 'shop' }]) =>
  JSON.stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'error-rate' },
    spec: {
      args,
      metrics: [
        {
          name: 'error-rate',
          interval: '1m',
          failureLimit: 1,
          successCondition: 'result[0] < 0.05',
          provider: { prometheus: { address: 'http://unused.invalid', query: 'errors{app="{{args.app}}"}' } },
          ...metric,
        },
      ],
    },
  });

/** A matrix over the last 5 minutes at 1 m: one series with a gap at 11:57, rising errors at the end. */
function history() {
  const points: [number, string][] = [
    [T0, '0.01'],
    [T0 + 60, '0.01'],
    [T0 + 180, '0.06'],
    [T0 + 240, '0.07'],
    [T0 + 300, '0.09'],
  ];
  stub.handle(
    json({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: points }] } }),
  );
}

const request = (text: string, extra: object = {}) => ({
  file: 't.yaml',
  text,
  from: '5m',
  args: [],
  prometheus: stub.base,
  interval: '1m',
  env: {},
  now: NOW,
  signal: new AbortController().signal,
  ...extra,
});

describe('analyze (against a stub Prometheus)', () => {
  it('takes one range query at the interval and splits it back into instant vectors', async () => {
    history();
    const { report } = await analyze(request(template()));
    const params = Object.fromEntries(stub.seen[0]?.url.searchParams ?? []);
    expect(stub.seen.map((s) => s.url.pathname)).toEqual(['/api/v1/query_range']);
    expect(params).toEqual({
      query: 'errors{app="shop"}',
      start: String(T0),
      end: String(T0 + 300),
      step: '60',
    });
    const measured = report.metrics[0]?.measurements.map((m) => [
      m.at.toISOString().slice(11, 16),
      m.value,
      m.phase,
      m.inRun,
    ]);
    expect(measured).toEqual([
      ['11:55', '[0.01]', 'Successful', true],
      ['11:56', '[0.01]', 'Successful', true],
      ['11:57', '[]', 'Error', true],
      ['11:58', '[0.06]', 'Failed', true],
      ['11:59', '[0.07]', 'Failed', true],
      ['12:00', '[0.09]', 'Failed', false],
    ]);
    expect(report.verdict).toMatchObject({ phase: 'Failed', aborted: true });
    expect(report.verdict.at?.toISOString()).toBe('2026-01-01T11:59:00.000Z');
    expect(report.args).toEqual({ app: 'shop' });
  });

  it('replays web metrics as skipped and leaves them out of the run', async () => {
    history();
    const web = { provider: { web: { url: 'http://example.invalid' } } };
    const { report } = await analyze(request(template(web)));
    expect(report.metrics[0]).toMatchObject({
      how: 'skipped',
      skipped: 'web metrics cannot be replayed (only prometheus and plugin["vireo.dev/judge"])',
    });
    expect(stub.seen).toHaveLength(0);
  });

  it('asks the provider once per measurement for a rangeQuery metric', async () => {
    history();
    const prometheus = {
      address: 'http://unused.invalid',
      query: 'q',
      rangeQuery: { start: 'now() - duration("1m")', end: 'now()', step: '30s' },
    };
    const { report } = await analyze(request(template({ provider: { prometheus } }), { from: '2m' }));
    expect(report.metrics[0]?.how).toBe('one query per measurement');
    const ends = stub.seen.map((s) => Number(s.url.searchParams.get('end'))).sort();
    expect(ends).toEqual([120, 60, 0].map((back) => NOW.getTime() / 1000 - back));
  });

  it('refuses bad flags and arguments with a message naming what to pass', async () => {
    await expect(analyze(request(template(), { from: 'two hours' }))).rejects.toThrow(
      '--from must be a positive duration such as "2h" or "30m", got "two hours"',
    );
    expect(() => replayArgs([{ name: 'app' }], [])).toThrow(
      'argument "app" has no value: pass --args app=VALUE',
    );
    expect(() => replayArgs([{ name: 'app' }], ['env=prod'])).toThrow(
      'argument "env" is not declared by the template (declared: app)',
    );
    const secret = [{ name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
    expect(() => replayArgs(secret, [])).toThrow(
      'argument "token" comes from a Secret or a field: pass --args token=VALUE',
    );
    expect(replayArgs(secret, ['token=abc'])).toEqual([{ name: 'token', value: 'abc', secret: true }]);
    await expect(analyze(request('kind: Rollout'))).rejects.toThrow(
      't.yaml: no AnalysisTemplate or ClusterAnalysisTemplate found',
    );
  });
});

function io(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: { write: (s: string) => (out += s) },
    err: { write: (s: string) => (err += s) },
    env: {},
    now: () => NOW,
    signal: new AbortController().signal,
    stdout: () => out,
    stderr: () => err,
  };
}

describe('kubectl vireo analyze (in process)', () => {
  it('prints a chart, the failed measurements and the verdict, and exits 2 when the run would abort', async () => {
    history();
    const file = join(mkdtempSync(join(tmpdir(), 'vireo-analyze-')), 'template.yaml');
    writeFileSync(file, template());
    const out = io();
    const code = await runCli(
      ['analyze', '--template', file, '--from', '5m', '--prometheus', stub.base, '--args', 'app=shop'],
      out,
    );
    expect(out.stderr()).toBe('');
    expect(code).toBe(2);
    const text = out.stdout();
    expect(text).toContain(
      'Replaying "error-rate" from 2026-01-01T11:55:00.000Z to 2026-01-01T12:00:00.000Z (5m), args: app=shop',
    );
    expect(text).toContain('      ✔✔!✖✖✖');
    expect(text).toContain('6 measurements: 2 Successful, 1 Error, 3 Failed');
    expect(text).toContain(
      '12:00:00 Failed (after the run ended)  successCondition "result[0] < 0.05" evaluated to false (measured value [0.09])',
    );
    expect(text).toContain('Verdict: the run would have been Failed at 11:59:00 (4m after it started)');
    expect(text).toContain('→ the Rollout would have aborted.');
    const asJson = io();
    expect(
      await runCli(
        ['analyze', '--template', file, '--from', '5m', '--prometheus', stub.base, '-o', 'json'],
        asJson,
      ),
    ).toBe(2);
    expect(JSON.parse(asJson.stdout())).toMatchObject({
      template: 'error-rate',
      verdict: { phase: 'Failed', aborted: true },
    });
  }, 30_000);
});

describe('the judge example', () => {
  it('lints clean: {{role}} is kept, every {{args.…}} is declared', async () => {
    const { lintText } = await import('../../../../src/cli/lint/lint.js');
    const file = 'examples/analysis-judge.yaml';
    const text = readFileSync(new URL(`../../../../${file}`, import.meta.url), 'utf8');
    expect(lintText(file, text)).toEqual({ problems: [], checked: 2 });
    const broken = text.replace('{{args.namespace}}",rollouts', '{{args.ns}}",rollouts');
    expect(lintText(file, broken).problems.map((p) => p.message)).toEqual(['failed to resolve {{args.ns}}']);
  });
});
