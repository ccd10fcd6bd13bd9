import type { Command } from '@commander-js/extra-typings';
import { parseGoDuration } from '../../api/duration.js';
import { restartPatch } from '../../api/user-commands.js';
import { CliError } from '../errors.js';
import type { CliApp } from '../program.js';
import { runPatchVerb } from './patch-verb.js';

/** Parses a duration flag (`30s`, `5m`, `1h30m`, `0`); throws a {@link CliError} naming the flag otherwise. */
export function durationFlag(flag: string, text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 0)
    throw new CliError(`invalid ${flag} "${text}": use a duration like 30s, 5m or 1h`);
  return ms;
}

/** Registers `restart NAME [--in D]`: spec `{restartAt: now + D}`. */
export function registerRestart(program: Command, app: CliApp): void {
  program
    .command('restart')
    .description('restart the pods of a rollout (spec.restartAt)')
    .argument('<name>', 'rollout name')
    .option('-i, --in <duration>', 'restart after this delay, e.g. 30s', '0')
    .action((name, opts, cmd) =>
      app.run(cmd, (ctx) => {
        const delay = durationFlag('--in', opts.in);
        return runPatchVerb(ctx, name, { build: () => restartPatch(ctx.io.now(), delay), done: 'restarts' });
      }),
    );
}
