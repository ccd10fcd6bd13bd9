import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ensurePluginBuilt, runKubectl } from './support/cli.js';
import { clusterInfo } from './support/cluster.js';
import {
  completedRun,
  createArgoObject,
  expectControllerAlive,
  type MetricsFault,
  type MetricsStub,
  startMetricsStub,
  type WriteOutcome,
} from './support/faults.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';

// biome-ignore lint/suspicious/noExplicitAny: the cases break the shape on purpose
type Spec = Record<string, any>;

const metric = (extra: Spec = {}, provider?: Spec): Spec => ({
  name: 'm',
  interval: '1s',
  count: 3,
  consecutiveErrorLimit: 0,
  successCondition: 'result[0] < 1',
  provider: provider ?? { prometheus: { address: clusterInfo().prometheusUrl, query: 'vector(0.5)' } },
  ...extra,
});
const spec = (m: Spec = {}, provider?: Spec, rest: Spec = {}): Spec => ({
  metrics: [metric(m, provider)],
  ...rest,
});
const prom = (query: string) => ({ prometheus: { address: clusterInfo().prometheusUrl, query } });
const web = (url: string) => ({ web: { url, jsonPath: '{$.value}' } });

/** Malformed AnalysisTemplates: refused by the API, or flagged by `kubectl vireo lint`, naming the field. */
const TEMPLATES: [name: string, spec: () => Spec, field: RegExp][] = [
  ['no-metrics', () => ({ metrics: [] }), /spec\.metrics/],
  ['bad-interval', () => spec({ interval: 'often' }), /metrics\[0\]\.interval/],
  ['duplicate-metric', () => ({ metrics: [metric(), metric()] }), /metrics\[1\]\.name/],
  ['no-provider', () => spec({}, {}), /metrics\[0\]\.provider/],
  [
    'two-providers',
    () => spec({}, { ...prom('up'), ...web('http://127.0.0.1:9') }),
    /metrics\[0\]\.provider/,
  ],
  ['failure-limit-negative', () => spec({ failureLimit: -2 }), /metrics\[0\]\.failureLimit/],
  ['count-not-a-number', () => spec({ count: 'many' }), /metrics\[0\]\.count/],
  ['arg-without-value', () => spec({}, undefined, { args: [{ name: 'a', valueFrom: {} }] }), /args\[0\]/],
  ['duplicate-args', () => spec({}, undefined, { args: [{ name: 'a' }, { name: 'a' }] }), /args\[1\]\.name/],
  ['dry-run-unknown', () => spec({}, undefined, { dryRun: [{ metricName: 'ghost' }] }), /dryRun\[0\]/],
  ['prometheus-no-query', () => spec({}, { prometheus: {} }), /prometheus\.query/],
  ['error-limit-negative', () => spec({ consecutiveErrorLimit: -1 }), /consecutiveErrorLimit/],
  [
    'lint-condition-syntax',
    () => spec({ successCondition: 'result[0] <' }),
    /metrics\[0\]\.successCondition/,
  ],
  [
    'lint-unknown-function',
    () => spec({ failureCondition: 'frobnicate(result)' }),
    /failureCondition.*frobnicate/,
  ],
  ['lint-undeclared-arg', () => spec({}, prom('up{app="{{args.app}}"}')), /metrics\[0\]: .*args\.app/],
  ['lint-ftp-url', () => spec({}, web('ftp://127.0.0.1/x')), /provider\.web\.url: .*ftp/],
];

const nested = (depth: number): unknown => (depth === 0 ? 'x' : { deeper: [nested(depth - 1)] });

/** Malformed AnalysisRuns: phase Error with a message matching, or (`api`) refused by the API server. */
const RUNS: [name: string, spec: (stub: string) => Spec, expected: RegExp, api?: boolean][] = [
  ['bad-promql', () => spec({}, prom('sum(rate(')), /parse error|bad_data/i],
  ['condition-syntax', () => spec({ successCondition: 'result[0] <' }), /unexpected|syntax|expected/i],
  ['condition-unknown-function', () => spec({ failureCondition: 'frobnicate(result)' }), /frobnicate/],
  ['condition-unicode-operator', () => spec({ successCondition: 'result[0] ≤ 1' }), /≤|unexpected/],
  ['condition-too-long', () => spec({ successCondition: `${'result[0] < 1 || '.repeat(300)}true` }), /4096/],
  ['missing-arg', () => spec({}, prom('up{app="{{args.app}}"}')), /args\.app|"app"/],
  [
    'missing-secret',
    () =>
      spec({}, undefined, { args: [{ name: 's', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }),
    /nope/,
  ],
  ['web-file-url', () => spec({}, web('file:///etc/passwd')), /http/i],
  ['web-ftp-url', () => spec({}, web('ftp://127.0.0.1/x')), /http/i],
  [
    'huge-arg',
    (stub) => spec({}, web(`${stub}/{{args.big}}`), { args: [{ name: 'big', value: 'x'.repeat(300_000) }] }),
    /./,
  ],
  ['no-provider', () => spec({}, {}), /provider/i],
  [
    'deep-junk-arg',
    () => spec({}, undefined, { args: [{ name: 'a', value: nested(40) }] }),
    /args\[0\]\.value/,
    true,
  ],
];

const FAULTS: MetricsFault[] = ['slow', 'garbage', 'wrong-shape'];

describe('bad AnalysisTemplates and AnalysisRuns, and faulty metrics providers', () => {
  let env: EngineEnv;
  let pid: number | undefined;
  let dir: string;
  const stubs = new Map<MetricsFault, MetricsStub>();
  const templates = new Map<string, WriteOutcome>();
  const runs = new Map<string, WriteOutcome>();

  const object = (kind: string, name: string, body: Spec) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind,
    metadata: { name },
    spec: body,
  });

  beforeAll(async () => {
    env = await startEngine('bad-analysis');
    pid = env.controller.process.pid;
    dir = mkdtempSync(join(tmpdir(), 'vireo-bad-analysis-'));
    for (const fault of [...FAULTS, 'ok' as const]) stubs.set(fault, await startMetricsStub(fault));
    const ok = stubs.get('ok')?.url ?? '';
    for (const [name, body] of TEMPLATES) {
      const outcome = await createArgoObject(
        env.kc,
        env.namespace,
        'analysistemplates',
        object('AnalysisTemplate', name, body()),
      );
      templates.set(name, outcome);
    }
    for (const [name, body] of RUNS) {
      runs.set(
        name,
        await createArgoObject(env.kc, env.namespace, 'analysisruns', object('AnalysisRun', name, body(ok))),
      );
    }
  });
  afterAll(async () => {
    await env?.stop();
    for (const stub of stubs.values()) await stub.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`has at least 20 analysis cases (${TEMPLATES.length + RUNS.length})`, () => {
    expect(TEMPLATES.length + RUNS.length).toBeGreaterThanOrEqual(20);
  });

  it('lints every AnalysisTemplate with file:line and the field path; the API refusals name the field', async () => {
    ensurePluginBuilt();
    const files = TEMPLATES.map(([name, body]) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, stringify(object('AnalysisTemplate', name, body())));
      return file;
    });
    const r = await runKubectl(['vireo', 'lint', ...files]).done;
    expect(r.code).toBe(1);
    TEMPLATES.forEach(([name, , field], i) => {
      const mine = r.stdout.split('\n').filter((l) => l.startsWith(`${files[i]}:`));
      expect(mine.join('\n'), `${name}\n${r.stdout}`).toMatch(/:\d+: spec\./);
      expect(mine.join('\n'), name).toMatch(field);
      const outcome = templates.get(name);
      if (outcome?.ok === false) expect(outcome.message, name).toMatch(field);
    });
  });

  it.each(RUNS.map(([name, , expected, api]) => [name, expected, api] as const))(
    'AnalysisRun %s ends in Error with a clear message',
    async (name, expected, api) => {
      const outcome = runs.get(name);
      if (api) {
        expect(outcome?.ok).toBe(false);
        expect(outcome?.ok === false && outcome.message).toMatch(expected);
        return;
      }
      expect(outcome, JSON.stringify(outcome)).toEqual({ ok: true });
      const status = await completedRun(env.kc, env.namespace, name);
      expect(status.phase, JSON.stringify(status)).toBe('Error');
      expect(JSON.stringify(status)).toMatch(expected);
    },
  );

  it.each(FAULTS)(
    'a %s Prometheus gives Error measurements and errors the run after consecutiveErrorLimit',
    async (fault) => {
      const address = stubs.get(fault)?.url ?? '';
      const provider = { prometheus: { address, query: 'up', timeout: 1 } };
      const body = spec({ count: 10, consecutiveErrorLimit: 2 }, provider);
      expect(
        await createArgoObject(
          env.kc,
          env.namespace,
          'analysisruns',
          object('AnalysisRun', `fault-${fault}`, body),
        ),
      ).toEqual({ ok: true });
      const status = await completedRun(env.kc, env.namespace, `fault-${fault}`, 90_000);
      expect(status.phase, JSON.stringify(status)).toBe('Error');
      const result = status.metricResults?.[0];
      expect(result?.error).toBe(3);
      expect(
        result?.measurements?.every((m) => m.phase === 'Error'),
        JSON.stringify(result),
      ).toBe(true);
      expect(stubs.get(fault)?.requests()).toBeGreaterThanOrEqual(3);
    },
  );

  it('keeps the controller running through all of it', async () => {
    await expectControllerAlive(env.controller, pid);
  });
});
