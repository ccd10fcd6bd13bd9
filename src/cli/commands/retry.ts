import type { Command } from '@commander-js/extra-typings';
import { retryPatch } from '../../api/user-commands.js';
import type { CliApp } from '../program.js';
import { runPatchVerb } from './patch-verb.js';

/** Registers `retry rollout NAME`: status `{abort:false}` through the status subresource. */
export function registerRetry(program: Command, app: CliApp): void {
  const retry = program.command('retry').description('retry an aborted rollout');
  retry
    .command('rollout')
    .alias('ro')
    .description('retry an aborted rollout from its first step')
    .argument('<name>', 'rollout name')
    .action((name, _opts, cmd) =>
      app.run(cmd, (ctx) => runPatchVerb(ctx, name, { build: retryPatch, done: 'retried' })),
    );
}
