import type { Command } from '@commander-js/extra-typings';
import { abortPatch } from '../../api/user-commands.js';
import type { CliApp } from '../program.js';
import { runPatchVerb } from './patch-verb.js';

/** Registers `abort NAME`: status `{abort:true}` through the status subresource. */
export function registerAbort(program: Command, app: CliApp): void {
  program
    .command('abort')
    .description('abort the update: send all traffic back to stable and scale the canary down')
    .argument('<name>', 'rollout name')
    .action((name, _opts, cmd) =>
      app.run(cmd, (ctx) => runPatchVerb(ctx, name, { build: abortPatch, done: 'aborted' })),
    );
}
