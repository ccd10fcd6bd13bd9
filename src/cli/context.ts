import type { KubeConfig } from '@kubernetes/client-node';
import { createColors } from 'picocolors';
import { ClientNodeKubeClient, loadKubeConfig } from '../kube/client.js';
import { CliError } from './errors.js';
import { RolloutsApi } from './kube.js';
import { noPaint, type Paint } from './view/paint.js';

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

/** The connection a verb uses: the API wrapper for the chosen namespace and the loaded kubeconfig. */
export interface KubeAccess {
  api: RolloutsApi;
  kc: KubeConfig;
}

/**
 * What every verb receives. Invariant: `paint` colours only when stdout is a TTY and colour is not disabled
 * (`--no-color`, `NO_COLOR`); `kube()` loads the kubeconfig once, on first use, so offline verbs
 * (`lint`, `version`) never need one.
 */
export interface CliContext {
  io: CliIO;
  opts: GlobalOptions;
  tty: boolean;
  paint: Paint;
  kube(): KubeAccess;
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

function connect(opts: GlobalOptions): KubeAccess {
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context });
  } catch (err) {
    throw new CliError(`cannot load kubeconfig: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!kc.getCurrentCluster())
    throw new CliError('kubeconfig has no current cluster (set --context or KUBECONFIG)');
  const fromContext = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const namespace = opts.namespace ?? (fromContext || 'default');
  return { api: new RolloutsApi(new ClientNodeKubeClient(kc), namespace), kc };
}

/** Builds the {@link CliContext} for one invocation. */
export function createContext(io: CliIO, opts: GlobalOptions): CliContext {
  const tty = io.out.isTTY === true;
  const paint = colorEnabled(tty, opts, io.env) ? createColors(true) : noPaint;
  let access: KubeAccess | undefined;
  return {
    io,
    opts,
    tty,
    paint,
    kube: () => {
      access ??= connect(opts);
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
