import type { Command } from '@commander-js/extra-typings';
import { promoteFullPatch, promotePatch } from '../../api/user-commands.js';
import type { CliContext } from '../context.js';
import type { CliApp } from '../program.js';
import { runPatchVerb } from './patch-verb.js';

/** `promote NAME [--full]`: see `promotePatch` / `promoteFullPatch` for exactly what is sent. */
export function runPromote(ctx: CliContext, name: string, full: boolean): Promise<number> {
  return full
    ? runPatchVerb(ctx, name, {
        build: promoteFullPatch,
        done: 'fully promoted',
        nothing: 'is already fully promoted',
      })
    : runPatchVerb(ctx, name, { build: promotePatch, done: 'promoted', nothing: 'has nothing to promote' });
}

/** Registers `promote`. */
export function registerPromote(program: Command, app: CliApp): void {
  program
    .command('promote')
    .description(
      'promote a paused rollout to its next step, or with --full skip all remaining steps and analysis',
    )
    .argument('<name>', 'rollout name')
    .option('--full', 'fully promote: skip remaining steps, pauses and analysis', false)
    .action((name, opts, cmd) => app.run(cmd, (ctx) => runPromote(ctx, name, opts.full)));
}
