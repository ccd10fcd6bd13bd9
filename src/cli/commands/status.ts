import type { Command } from '@commander-js/extra-typings';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Rollout } from '../../api/index.js';
import { Resources, resourcePath } from '../../kube/resources.js';
import type { CliContext, KubeAccess } from '../context.js';
import { clientPhase, phaseLine, statusVerdict } from '../phase.js';
import type { CliApp } from '../program.js';
import { coalesce, watchChanges } from '../watch.js';
import { durationFlag } from './restart.js';

/** Exit code of `status` when `--timeout` passes first (Degraded and other errors exit 1). */
export const TIMEOUT_EXIT_CODE = 2;
/** Exit code when interrupted (SIGINT/SIGTERM) before a verdict. */
export const INTERRUPTED_EXIT_CODE = 130;
const POLL_MS = 5000;

/** Options of `status`: keep watching (default) and give up after `timeoutMs` (0: never). */
export interface StatusOptions {
  watch: boolean;
  timeoutMs: number;
}

type Verdict = { done: boolean; exitCode: number };

/** Prints each new phase line; reports Degraded on stderr; remembers the last line for the timeout message. */
function observer(ctx: CliContext, name: string, opts: StatusOptions) {
  const state = { last: '' };
  const observe = (rollout: Rollout): Verdict => {
    const p = clientPhase(rollout);
    const line = phaseLine(p);
    if (line !== state.last) ctx.print(line);
    state.last = line;
    const verdict = statusVerdict(p);
    if (verdict.exitCode !== 0)
      ctx.io.err.write(`error: rollout "${name}" is Degraded: ${p.message || 'no message'}\n`);
    return verdict.done || !opts.watch ? { done: true, exitCode: verdict.exitCode } : verdict;
  };
  return { state, observe };
}

/** The safety-net poll and the `--timeout` timer; both stop when `signal` aborts. */
function armTimers(
  t: { check: () => void; end: (code: number) => void; signal: AbortSignal; timeoutMs: number },
  onTimeout: () => void,
): void {
  const poll = setInterval(t.check, POLL_MS);
  const timer =
    t.timeoutMs > 0
      ? setTimeout(() => {
          onTimeout();
          t.end(TIMEOUT_EXIT_CODE);
        }, t.timeoutMs)
      : undefined;
  t.signal.addEventListener('abort', () => {
    clearInterval(poll);
    clearTimeout(timer);
  });
}

function watchUntilDone(
  ctx: CliContext,
  { api, kc }: { api: KubeAccess['api']; kc: KubeConfig },
  name: string,
  opts: StatusOptions,
  { state, observe }: ReturnType<typeof observer>,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const stop = new AbortController();
    const end = (code: number) => {
      stop.abort();
      resolve(code);
    };
    const check = coalesce(
      async () => {
        const verdict = observe(await api.getRollout(name));
        if (verdict.done) end(verdict.exitCode);
      },
      (err) => {
        stop.abort();
        reject(err);
      },
    );
    const path = resourcePath(Resources.rollouts, api.namespace);
    watchChanges(kc, [{ path, query: { fieldSelector: `metadata.name=${name}` } }], check, stop.signal);
    armTimers({ check, end, signal: stop.signal, timeoutMs: opts.timeoutMs }, () => {
      ctx.io.err.write(
        `error: rollout "${name}" did not become Healthy within the timeout (last: ${state.last})\n`,
      );
    });
    ctx.io.signal.addEventListener('abort', () => end(INTERRUPTED_EXIT_CODE), {
      once: true,
      signal: stop.signal,
    });
  });
}

/**
 * `status NAME`: prints the phase (`Phase - message`) each time it changes and exits 0 once Healthy, 1 once
 * Degraded, {@link TIMEOUT_EXIT_CODE} when `--timeout` passes. Without `--watch` it prints once and exits 0
 * unless Degraded. Changes arrive by watch, with a slow poll as a safety net.
 */
export async function runStatus(ctx: CliContext, name: string, opts: StatusOptions): Promise<number> {
  const access = await ctx.kube();
  const watcher = observer(ctx, name, opts);
  const first = watcher.observe(await access.api.getRollout(name));
  if (first.done) return first.exitCode;
  return watchUntilDone(ctx, { api: access.api, kc: await access.kubeConfig() }, name, opts, watcher);
}

/** Registers `status`. */
export function registerStatus(program: Command, app: CliApp): void {
  program
    .command('status')
    .description(
      'print the rollout phase until it is Healthy (exit 0), Degraded (exit 1) or the timeout passes (exit 2)',
    )
    .argument('<name>', 'rollout name')
    .option('-w, --watch', 'watch until Healthy or Degraded (the default)', true)
    .option('--no-watch', 'print the phase once')
    .option('-t, --timeout <duration>', 'give up after this long, e.g. 5m (0: wait forever)', '0')
    .action((name, opts, cmd) =>
      app.run(cmd, (ctx) =>
        runStatus(ctx, name, { watch: opts.watch, timeoutMs: durationFlag('--timeout', opts.timeout) }),
      ),
    );
}
