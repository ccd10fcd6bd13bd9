/** How one e2e test ended. `timeout`: the runner stopped it at its deadline; `crash`: the binary exited inside it. */
export type TestStatus = 'pass' | 'fail' | 'skip' | 'timeout' | 'crash' | 'not-run';

/** One test method of a suite, as the e2e binary reported it. */
export interface TestResult {
  /** The method name, e.g. `TestCanaryScaleDownDelay`. */
  test: string;
  status: TestStatus;
  /** Seconds the binary reported (pass/fail/skip only). */
  seconds?: number;
  /** The first failure line of a failed test, one line, at most 400 characters. */
  failure?: string;
}

const RESULT = /^\s*--- (PASS|FAIL|SKIP): (\S+) \(([\d.]+)s\)/;
const RUN = /^=== (RUN|CONT|PAUSE|NAME)\s+(\S+)/;
const LOGRUS_ERROR = /level=(?:error|fatal|panic) msg="((?:[^"\\]|\\.)*)"/;
const GO_LOG = /^\s+[\w.-]+\.go:\d+: (.*)$/;
const TESTIFY_ERROR = /^\s+Error:\s+(.*)$/;
const TESTIFY_FIELD = /^\s+(Error Trace|Error|Test|Messages):/;
const MAX_FAILURE = 400;
const FRAMING_MARKER = '\u0016';

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_FAILURE ? `${flat.slice(0, MAX_FAILURE - 1)}…` : flat;
}

function unquoteLogrus(msg: string): string {
  return msg.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? ' ' : c === 't' ? ' ' : c));
}

/** The testify assertion starting at `lines[i]` (`Error:` and its continuation lines, then `Messages:`). */
function testifyMessage(lines: readonly string[], i: number): string {
  const parts = [lines[i]?.match(TESTIFY_ERROR)?.[1] ?? ''];
  for (let j = i + 1; j < lines.length; j++) {
    const line = lines[j] ?? '';
    const field = line.match(TESTIFY_FIELD)?.[1];
    if (field === 'Messages') parts.push(line.replace(/^\s+Messages:\s+/, ''));
    else if (field) continue;
    else if (/^\s{8,}\S/.test(line) && !RESULT.test(line)) parts.push(line);
    else break;
  }
  return parts.join(' ');
}

/**
 * The first failure message among a failed test's output lines: a logrus error/fatal message, a
 * `file.go:N: message` line of t.Fatal/t.Error, a testify `Error:` block, or a panic.
 */
export function firstFailure(lines: readonly string[]): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const logrus = line.match(LOGRUS_ERROR);
    if (logrus?.[1]) return oneLine(unquoteLogrus(logrus[1]));
    const goLog = line.match(GO_LOG);
    if (goLog?.[1]?.trim()) return oneLine(goLog[1]);
    if (TESTIFY_ERROR.test(line)) return oneLine(testifyMessage(lines, i));
    if (line.startsWith('panic: ')) return oneLine(line);
  }
  return undefined;
}

/** The `Message:` line of the Rollout the fixture prints after a failure (`kubectl argo rollouts get`). */
const ROLLOUT_MESSAGE = /^Message:\s+(.+)$/;

/** The first failure line, with the failed Rollout's status message when the fixture printed one. */
function failureWithStatus(lines: readonly string[]): string {
  const first = firstFailure(lines) ?? 'failed (no message)';
  const message = lines.map((l) => l.match(ROLLOUT_MESSAGE)?.[1]).find(Boolean);
  return message ? oneLine(`${first} [rollout: ${message}]`) : first;
}

/** Incremental parser of `go test -v` output for the methods of one testify suite (`<goTest>/<method>`). */
export class GoTestOutput {
  readonly #prefix: string;
  readonly #results = new Map<string, TestResult>();
  readonly #output = new Map<string, string[]>();
  #current: string | undefined;
  #partial = '';

  constructor(goTest: string) {
    this.#prefix = `${goTest}/`;
  }

  /** The method that has started and not finished, if any. */
  get current(): string | undefined {
    return this.#current;
  }

  /**
   * Feeds a chunk of output (lines may be split across chunks). The ^V markers of `-test.v=test2json`
   * framing lines are dropped.
   */
  push(chunk: string): void {
    const text = this.#partial + chunk.replaceAll(FRAMING_MARKER, '');
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  /** Ends the output: flushes a partial last line. */
  end(): void {
    if (this.#partial) this.#line(this.#partial);
    this.#partial = '';
  }

  #method(name: string): string | undefined {
    if (!name.startsWith(this.#prefix)) return undefined;
    return name.slice(this.#prefix.length).split('/')[0];
  }

  #line(line: string): void {
    const result = line.match(RESULT);
    if (result) {
      const method = this.#method(result[2] ?? '');
      if (method && result[2] === `${this.#prefix}${method}`) {
        this.#finish(method, result[1] ?? '', Number(result[3]));
        return;
      }
    }
    const run = line.match(RUN);
    if (run) {
      const method = this.#method(run[2] ?? '');
      if (method && run[1] !== 'PAUSE' && !this.#results.has(method)) this.#current = method;
    }
    if (this.#current) {
      const out = this.#output.get(this.#current) ?? [];
      out.push(line);
      this.#output.set(this.#current, out);
    }
  }

  #finish(method: string, verdict: string, seconds: number): void {
    const status = verdict === 'PASS' ? 'pass' : verdict === 'SKIP' ? 'skip' : 'fail';
    const lines = this.#output.get(method) ?? [];
    const failure = status === 'fail' ? failureWithStatus(lines) : undefined;
    this.#results.set(method, { test: method, status, seconds, ...(failure ? { failure } : {}) });
    if (this.#current === method) this.#current = undefined;
  }

  /**
   * Marks the unfinished method (if any) as stopped with `status` and `reason`, keeping its first failure
   * line when one was printed; returns its name.
   */
  interrupt(status: 'timeout' | 'crash', reason: string): string | undefined {
    const method = this.#current;
    if (!method) return undefined;
    const seen = firstFailure(this.#output.get(method) ?? []);
    this.#results.set(method, {
      test: method,
      status,
      failure: oneLine(seen ? `${reason}; ${seen}` : reason),
    });
    this.#current = undefined;
    return method;
  }

  /** Every finished (or interrupted) method so far. */
  results(): TestResult[] {
    return [...this.#results.values()];
  }
}
