import type { CliContext } from '../context.js';

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
