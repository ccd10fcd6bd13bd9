import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBinaries } from '../harness/binaries.js';
import { repoRoot } from '../harness/crds.js';
import { newRunDir } from '../harness/environment.js';
import { pinnedVersions } from '../harness/versions.js';
import { type ArgoRollouts, ensureArgoRollouts } from '../test/conformance/argo-rollouts.js';
import { type RunningController, startController } from '../test/conformance/controllers.js';
import {
  type ConformanceEnvironment,
  createNamespace,
  deleteNamespace,
  installControllerCrds,
  namespacedKubeconfig,
  startConformanceEnvironment,
} from '../test/conformance/environment.js';
import {
  type ControllerName,
  comparisonRows,
  markdownCounts,
  markdownTable,
  reparsedRun,
  type SuiteRun,
  suiteCounts,
} from '../test/conformance/report.js';
import { runSuite } from '../test/conformance/run-suite.js';
import { listSuiteTests, SUITES, type Suite, selectSuites, selectTests } from '../test/conformance/suites.js';

const USAGE = `Usage: npm run conformance -- [options]
Runs Argo Rollouts' own e2e suites (built from its Go module) against Argo's controller and against Vireo on
one local control plane, and prints one table. Results and logs go to conformance/results/<time>/.

  --suite <regexp>        suites to run (default: all of ${'Functional, Canary, Analysis, BlueGreen, Istio, RollbackWindow, HeaderRouting, MirrorRoute, Experiment, APISIX, AppMesh'})
  --run <regexp>          only the test methods matching this (e.g. '^TestCanary')
  --controller <which>    vireo | argo | both (default both; Argo's controller runs first)
  --wait-timeout <s>      E2E_WAIT_TIMEOUT of the fixtures (default 90, Argo's own default)
  --test-timeout <min>    stop a test that runs longer than this and continue (default 15)
  --report <json>...      print the table of earlier results.json files (later ones win) and exit
  --reparse               with --report: read each test's verdict and failure again from the suite logs
                          beside each results.json
  --help`;

/** Parsed command line of the runner. */
interface Options {
  suites: Suite[];
  run?: string;
  controllers: ControllerName[];
  waitTimeout: string;
  testTimeoutMs: number;
  report: string[];
  reparse: boolean;
}

const INSTANCE_ID = 'argo-rollouts-e2e';

function parseOptions(argv: string[]): Options | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      suite: { type: 'string' },
      run: { type: 'string' },
      controller: { type: 'string', default: 'both' },
      'wait-timeout': { type: 'string', default: '90' },
      'test-timeout': { type: 'string', default: '15' },
      report: { type: 'boolean', default: false },
      reparse: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const which = values.controller;
  if (which !== 'vireo' && which !== 'argo' && which !== 'both') {
    throw new Error(`--controller must be vireo, argo or both (got ${which})`);
  }
  return {
    suites: selectSuites(values.suite),
    ...(values.run ? { run: values.run } : {}),
    controllers: which === 'both' ? ['argo', 'vireo'] : [which],
    waitTimeout: values['wait-timeout'],
    testTimeoutMs: Number(values['test-timeout']) * 60_000,
    report: values.report ? positionals : [],
    reparse: values.reparse,
  };
}

function e2eEnv(kubeconfig: string, kubectl: string, options: Options): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: kubeconfig,
    PATH: `${dirname(kubectl)}:${process.env.PATH ?? ''}`,
    E2E_INSTANCE_ID: INSTANCE_ID,
    E2E_WAIT_TIMEOUT: options.waitTimeout,
  };
}

/** What the fixtures delete after each test (e2e_suite.go deleteResources), by kind. */
const E2E_KINDS = [
  'rollouts.argoproj.io',
  'analysisruns.argoproj.io',
  'analysistemplates.argoproj.io',
  'clusteranalysistemplates.argoproj.io',
  'experiments.argoproj.io',
  'deployments.apps',
  'services',
  'ingresses.networking.k8s.io',
  'virtualservices.networking.istio.io',
  'destinationrules.networking.istio.io',
  'jobs.batch',
].join(',');

/**
 * Deletes (without waiting) the objects a test left: the fixture's AfterTest does the same, but not when it
 * fails first (e.g. a typed list of a Rollout it cannot decode), and such an object would then break the
 * suite's later listings.
 */
function deleteLeftovers(kubectl: string, kubeconfig: string, test: string): Promise<void> {
  return new Promise((resolve) => {
    execFile(
      kubectl,
      [
        `--kubeconfig=${kubeconfig}`,
        'delete',
        E2E_KINDS,
        '-l',
        `e2e-test-name=${test}`,
        '--wait=false',
        '--ignore-not-found',
      ],
      () => resolve(),
    );
  });
}

function say(line: string): void {
  process.stderr.write(`conformance: ${line}\n`);
}

/** Runs the chosen suites against one controller in its own namespace; returns one SuiteRun per suite. */
async function runController(
  name: ControllerName,
  env: ConformanceEnvironment,
  argo: ArgoRollouts,
  dir: string,
  options: Options,
  signal: AbortSignal,
): Promise<SuiteRun[]> {
  const namespace = `e2e-${name}`;
  await installControllerCrds(env.admin, name, argo);
  await createNamespace(env.admin, namespace);
  const kubeconfig = namespacedKubeconfig(env.admin, namespace, join(dir, `e2e-${name}.kubeconfig`));
  const controller: RunningController = await startController(name, env, argo, dir, INSTANCE_ID);
  say(`${name}: controller up (log ${controller.logPath})`);
  const runs: SuiteRun[] = [];
  try {
    for (const suite of options.suites) {
      if (signal.aborted) break;
      const tests = selectTests(listSuiteTests(join(argo.moduleDir, 'test', 'e2e'), suite), options.run);
      if (tests.length === 0) continue;
      const started = Date.now();
      const results = await runSuite({
        binary: argo.e2eTest,
        cwd: join(argo.moduleDir, 'test', 'e2e'),
        suite,
        tests,
        env: e2eEnv(kubeconfig, env.controlPlane.binaries.kubectl, options),
        logPath: join(dir, `${name}-${suite.name}.log`),
        perTestTimeoutMs: options.testTimeoutMs,
        signal,
        afterTest: (test) => deleteLeftovers(env.controlPlane.binaries.kubectl, kubeconfig, test),
        onResult: (r) =>
          say(`${name} ${suite.name}/${r.test}: ${r.status}${r.failure ? ` — ${r.failure}` : ''}`),
      });
      runs.push({ suite: suite.name, controller: name, results, seconds: (Date.now() - started) / 1000 });
      writeFileSync(join(dir, `${name}-${suite.name}.json`), JSON.stringify(runs.at(-1), null, 2));
    }
  } finally {
    if (!(await deleteNamespace(env.admin, namespace)))
      say(`${name}: namespace ${namespace} not deleted in time`);
    await controller.stop();
  }
  return runs;
}

/** What results.json holds. */
interface ResultsFile {
  started: string;
  finished: string;
  versions: Record<string, string>;
  machine: { cpus: number; loadavg: number[] };
  options: { suites: string[]; run?: string; controllers: ControllerName[]; waitTimeout: string };
  runs: SuiteRun[];
}

/** Joins runs; for the same (controller, suite, test) a later run's result replaces an earlier one. */
function mergeRuns(files: readonly SuiteRun[][]): SuiteRun[] {
  const merged = new Map<string, SuiteRun>();
  for (const runs of files) {
    for (const run of runs) {
      const key = `${run.controller}/${run.suite}`;
      const earlier = merged.get(key);
      const later = new Map(run.results.map((r) => [r.test, r]));
      const results = earlier
        ? [
            ...earlier.results.map((r) => later.get(r.test) ?? r),
            ...run.results.filter((r) => !earlier.results.some((e) => e.test === r.test)),
          ]
        : run.results;
      merged.set(key, { ...run, results, seconds: (earlier?.seconds ?? 0) + run.seconds });
    }
  }
  return [...merged.values()];
}

function printReport(runs: readonly SuiteRun[]): string {
  const rows = comparisonRows(runs);
  const text = `${markdownCounts(suiteCounts(rows))}\n\n${markdownTable(rows)}\n`;
  process.stdout.write(text);
  return text;
}

/** The runs of a results.json, optionally re-read from the suite logs beside it. */
function readResults(path: string, reparse: boolean): SuiteRun[] {
  const runs = (JSON.parse(readFileSync(path, 'utf8')) as ResultsFile).runs;
  if (!reparse) return runs;
  return runs.map((run) => {
    const goTest = SUITES.find((s) => s.name === run.suite)?.goTest ?? run.suite;
    const log = join(dirname(path), `${run.controller}-${run.suite}.log`);
    return existsSync(log) ? reparsedRun(run, goTest, readFileSync(log, 'utf8')) : run;
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.report.length > 0) {
    const files = options.report.map((f) => readResults(f, options.reparse));
    printReport(mergeRuns(files));
    return;
  }
  ensureBinaries();
  const argo = ensureArgoRollouts();
  const resultsRoot = join(repoRoot, 'conformance', 'results');
  const dir = join(resultsRoot, new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const started = new Date().toISOString();
  say(`results in ${dir}`);
  const env = await startConformanceEnvironment(newRunDir('conformance'), argo, true);
  const abort = new AbortController();
  const stopOnSignal = () => {
    say('stopping (signal): the running test is killed, what finished is kept');
    abort.abort();
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const runs: SuiteRun[] = [];
  try {
    for (const name of options.controllers) {
      if (abort.signal.aborted) break;
      runs.push(...(await runController(name, env, argo, dir, options, abort.signal)));
    }
  } finally {
    await env.stop();
  }
  const results: ResultsFile = {
    started,
    finished: new Date().toISOString(),
    versions: { ...pinnedVersions() },
    machine: { cpus: cpus().length, loadavg: loadavg() },
    options: {
      suites: options.suites.map((s) => s.name),
      ...(options.run ? { run: options.run } : {}),
      controllers: options.controllers,
      waitTimeout: options.waitTimeout,
    },
    runs,
  };
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2));
  copyFileSync(join(dir, 'results.json'), join(resultsRoot, 'latest.json'));
  writeFileSync(join(dir, 'table.md'), printReport(runs));
  if (abort.signal.aborted) process.exitCode = 130;
}

main().catch((err: unknown) => {
  process.stderr.write(`conformance: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
