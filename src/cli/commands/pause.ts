import type { Command } from '@commander-js/extra-typings';
import { pausePatch } from '../../api/user-commands.js';
import type { CliApp } from '../program.js';
import { runPatchVerb } from './patch-verb.js';

/** Registers `pause NAME`: spec `{paused:true}`. */
export function registerPause(program: Command, app: CliApp): void {
  program
    .command('pause')
    .description('pause a rollout (spec.paused=true)')
    .argument('<name>', 'rollout name')
    .action((name, _opts, cmd) =>
      app.run(cmd, (ctx) => runPatchVerb(ctx, name, { build: pausePatch, done: 'paused' })),
    );
}
