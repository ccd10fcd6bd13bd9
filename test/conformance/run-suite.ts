import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { GoTestOutput, type TestResult } from './go-test-output.js';
import type { Suite } from './suites.js';

/** Options for {@link runSuite}. */
export interface RunSuiteOptions {
  /** The e2e test binary. */
  binary: string;
  /** Its working directory (the module's `test/e2e`: tests read manifests relative to it). */
  cwd: string;
  suite: Suite;
  /** The methods to run, in order. */
  tests: readonly string[];
  /** Environment of the binary (KUBECONFIG, PATH with kubectl, E2E_*). */
  env: NodeJS.ProcessEnv;
  /** Output of every attempt is appended here. */
  logPath: string;
  /** A test still running after this long is stopped and recorded as `timeout`. */
  perTestTimeoutMs: number;
  /** Progress lines (one per finished test). */
  onResult?: (result: TestResult) => void;
  /** Aborting kills the binary; the tests not finished are recorded `not-run`. */
  signal?: AbortSignal;
  /**
   * Runs after each test ends (one at a time, the suite going on meanwhile), e.g. to delete what the fixture's
   * own clean-up left behind.
   */
  afterTest?: (test: string) => Promise<void>;
}

/** Calls `afterTest` for each ended test, one at a time, in order; `settled` waits for all queued. */
function afterTestQueue(afterTest: RunSuiteOptions['afterTest']) {
  let chain = Promise.resolve();
  return {
    push(test: string): void {
      if (afterTest) chain = chain.then(() => afterTest(test)).catch(() => undefined);
    },
    settled: () => chain,
  };
}

function runPattern(suite: Suite, tests: readonly string[]): string {
  return `^${suite.goTest}$/^(${tests.join('|')})$`;
}

interface Attempt {
  exitCode: number | null;
  timedOut: string | undefined;
}

function attempt(
  options: RunSuiteOptions,
  tests: readonly string[],
  parser: GoTestOutput,
  ended: ReturnType<typeof afterTestQueue>,
): Promise<Attempt> {
  // test2json framing: with plain -test.v a subtest's `--- PASS` line waits until its parent ends.
  const args = [
    '-test.v=test2json',
    '-test.count=1',
    '-test.timeout=0',
    `-test.run=${runPattern(options.suite, tests)}`,
  ];
  appendFileSync(options.logPath, `\n### ${options.binary} ${args.join(' ')}\n`);
  const child = spawn(options.binary, args, { cwd: options.cwd, env: options.env, detached: true });
  let started = Date.now();
  let running = parser.current;
  let timedOut: string | undefined;
  const seen = new Set(parser.results().map((r) => r.test));
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    appendFileSync(options.logPath, text);
    parser.push(text);
    for (const r of parser.results()) {
      if (!seen.has(r.test)) {
        seen.add(r.test);
        options.onResult?.(r);
        ended.push(r.test);
      }
    }
    if (parser.current !== running) {
      running = parser.current;
      started = Date.now();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const kill = () => {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  options.signal?.addEventListener('abort', kill, { once: true });
  const watchdog = setInterval(() => {
    if (parser.current && Date.now() - started > options.perTestTimeoutMs && !timedOut) {
      timedOut = parser.current;
      kill();
    }
  }, 1000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(watchdog);
      options.signal?.removeEventListener('abort', kill);
      parser.end();
      resolve({ exitCode: code, timedOut });
    });
  });
}

/**
 * Runs `tests` of one suite with the e2e binary, one process for as long as it goes well. A test that
 * outlives its deadline is stopped (the process group is killed) and recorded as `timeout`; a test during
 * which the binary exits is recorded as `crash`. Either way the remaining tests run in a new process. Every
 * test of `tests` appears in the result, `not-run` if it never started (or the run was aborted).
 */
export async function runSuite(options: RunSuiteOptions): Promise<TestResult[]> {
  const parser = new GoTestOutput(options.suite.goTest);
  const ended = afterTestQueue(options.afterTest);
  let remaining = [...options.tests];
  while (remaining.length > 0 && !options.signal?.aborted) {
    const outcome = await attempt(options, remaining, parser, ended);
    if (options.signal?.aborted) break;
    const stopped = outcome.timedOut
      ? parser.interrupt('timeout', `stopped after ${Math.round(options.perTestTimeoutMs / 1000)} s`)
      : parser.interrupt('crash', `the e2e binary exited (code ${outcome.exitCode}) during this test`);
    const finished = new Set(parser.results().map((r) => r.test));
    remaining = remaining.filter((t) => !finished.has(t));
    if (!stopped) break;
    const result = parser.results().find((r) => r.test === stopped);
    if (result) options.onResult?.(result);
    ended.push(stopped);
    await ended.settled();
  }
  await ended.settled();
  const byName = new Map(parser.results().map((r) => [r.test, r]));
  return options.tests.map(
    (test) =>
      byName.get(test) ?? {
        test,
        status: 'not-run' as const,
        failure: 'never started (the suite stopped before it; see the log)',
      },
  );
}
