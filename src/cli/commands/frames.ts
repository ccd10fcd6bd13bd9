import type { KubeConfig } from '@kubernetes/client-node';
import type { CliContext } from '../context.js';
import { coalesce, untilAborted, type WatchTarget, watchChanges } from '../watch.js';

/** Draws frames: in place on a TTY (log-update), else the whole text again after a blank line; unchanged text is skipped. */
export async function frameWriter(ctx: CliContext): Promise<{ write(text: string): void; done(): void }> {
  const inPlace = ctx.tty && ctx.opts.output === undefined;
  const draw = inPlace
    ? (await import('log-update')).createLogUpdate(ctx.io.out as NodeJS.WriteStream)
    : undefined;
  let last = '';
  return {
    write: (text) => {
      if (text === last) return;
      if (draw) draw(text);
      else ctx.print(last === '' ? text : `\n${text}`);
      last = text;
    },
    done: () => draw?.done(),
  };
}

/** What a watched view reads, how it shows (text, or data for `-o`), and what it watches. */
export interface WatchedView<S extends { now: Date }> {
  read(): Promise<S>;
  text(snap: S): string;
  data(snap: S): unknown;
  targets: WatchTarget[];
}

/**
 * `get … --watch`: reads and draws the view, then redraws on every change of `targets` until interrupted.
 * On a TTY it redraws in place (log-update; ages tick each second); when piped it prints the whole view
 * again, after a blank line, only when the text changed.
 */
export async function watchView<S extends { now: Date }>(
  ctx: CliContext,
  kubeConfig: () => Promise<KubeConfig>,
  view: WatchedView<S>,
): Promise<number> {
  const frames = await frameWriter(ctx);
  let snap: S | undefined;
  const show = async (fresh: boolean) => {
    if (fresh) snap = await view.read();
    if (snap === undefined) return;
    const now = { ...snap, now: ctx.io.now() };
    frames.write(ctx.opts.output === undefined ? view.text(now) : JSON.stringify(view.data(now), null, 2));
  };
  await show(true);
  const warn = (err: unknown) => ctx.io.err.write(`warning: ${(err as Error).message}\n`);
  watchChanges(
    await kubeConfig(),
    view.targets,
    coalesce(() => show(true), warn),
    ctx.io.signal,
  );
  const tick = ctx.tty ? setInterval(() => void show(false), 1000) : undefined;
  await untilAborted(ctx.io.signal);
  clearInterval(tick);
  frames.done();
  return 0;
}
