import type { Command } from '@commander-js/extra-typings';
import { resumePatch } from '../../api/user-commands.js';
import type { CliApp } from '../program.js';
import { runPatchVerb } from './patch-verb.js';

/** Registers `resume NAME` (Argo CD's resume): clear pause conditions, and `spec.paused=false` if it was true. */
export function registerResume(program: Command, app: CliApp): void {
  program
    .command('resume')
    .description('resume a paused rollout: clear its pause conditions and unset spec.paused')
    .argument('<name>', 'rollout name')
    .action((name, _opts, cmd) =>
      app.run(cmd, (ctx) =>
        runPatchVerb(ctx, name, { build: resumePatch, done: 'resumed', nothing: 'is not paused' }),
      ),
    );
}
