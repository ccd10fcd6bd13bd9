import { createColors } from 'picocolors';
import { connect, type KubeAccess } from './connect.js';
import { mark } from './timings.js';
import { noPaint, type Paint } from './view/paint.js';

export type { KubeAccess } from './connect.js';

/** Where output goes; `process.stdout` and `process.stderr` satisfy it. */
export interface Writer {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * The process boundary of the CLI, injected so commands are testable: streams, environment, clock and a
 * signal that aborts on SIGINT/SIGTERM (watches end cleanly on it).
 */
export interface CliIO {
  out: Writer;
  err: Writer;
  env: Readonly<Record<string, string | undefined>>;
  now(): Date;
  signal: AbortSignal;
}

/** Output format for scripts: `-o json` or `-o yaml`; absent means human-readable. */
export type OutputFormat = 'json' | 'yaml';

/** The global flags every verb accepts (kubectl's names). */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces: boolean;
  output?: OutputFormat;
  color: boolean;
}

/**
 * What every verb receives. Invariant: `paint` colours only when stdout is a TTY and colour is not disabled
 * (`--no-color`, `NO_COLOR`); `kube()` connects once, on first use, so offline verbs (`lint`,
 * `version`) never need a kubeconfig.
 */
export interface CliContext {
  io: CliIO;
  opts: GlobalOptions;
  tty: boolean;
  paint: Paint;
  kube(): Promise<KubeAccess>;
  /** Writes lines (or one text) to stdout, each ending in a newline. */
  print(lines: string | readonly string[]): void;
}

/** Whether to colour: a TTY, `--color` not turned off, `NO_COLOR` unset; `FORCE_COLOR` (≠ 0) forces it on. */
export function colorEnabled(tty: boolean, opts: GlobalOptions, env: CliIO['env']): boolean {
  if (!opts.color || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0';
  return tty;
}

/** Builds the {@link CliContext} for one invocation. */
export function createContext(io: CliIO, opts: GlobalOptions): CliContext {
  const tty = io.out.isTTY === true;
  const paint = colorEnabled(tty, opts, io.env) ? createColors(true) : noPaint;
  let access: Promise<KubeAccess> | undefined;
  return {
    io,
    opts,
    tty,
    paint,
    kube: () => {
      access ??= connect({ opts, env: io.env }).then((ready) => {
        mark('connected');
        return ready;
      });
      return access;
    },
    print: (lines) => {
      const text = typeof lines === 'string' ? lines : lines.join('\n');
      io.out.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
    },
  };
}

/**
 * Prints `value` for scripts: pretty JSON, or YAML (loaded on demand). Returns false when no `-o` was given
 * so the caller prints its human-readable form instead.
 */
export async function printData(ctx: CliContext, value: unknown): Promise<boolean> {
  if (ctx.opts.output === undefined) return false;
  if (ctx.opts.output === 'json') {
    ctx.print(JSON.stringify(value, null, 2));
    return true;
  }
  const yaml = await import('yaml');
  // Through esbuild's CommonJS interop the named export may only exist on `default`.
  const stringify = yaml.stringify ?? (yaml as unknown as { default: typeof yaml }).default.stringify;
  ctx.print(stringify(value));
  return true;
}
