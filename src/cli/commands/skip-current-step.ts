import type { Command } from '@commander-js/extra-typings';
import { skipCurrentStepPatch } from '../../api/user-commands.js';
import type { CliApp } from '../program.js';
import { runPatchVerb } from './patch-verb.js';

/** Registers `skip-current-step NAME` (Argo CD's action): clear pause conditions and move to the next step. */
export function registerSkipCurrentStep(program: Command, app: CliApp): void {
  program
    .command('skip-current-step')
    .description('skip the current canary step')
    .argument('<name>', 'rollout name')
    .action((name, _opts, cmd) =>
      app.run(cmd, (ctx) =>
        runPatchVerb(ctx, name, { build: skipCurrentStepPatch, done: 'skipped the current step' }),
      ),
    );
}
