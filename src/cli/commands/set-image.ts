import type { Command } from '@commander-js/extra-typings';
import type { Rollout } from '../../api/index.js';
import { type CliContext, printData } from '../context.js';
import { CliError } from '../errors.js';
import { parseImageAssignment, setImageOps } from '../patches.js';
import type { CliApp } from '../program.js';

const ATTEMPTS = 3;

function stale(err: unknown): boolean {
  return err instanceof CliError && (err.reason === 'Conflict' || err.reason === 'Invalid');
}

/**
 * `set image NAME CONTAINER=IMAGE`: replaces the image of the named container (`*`: every container) in
 * `spec.template`, conditional on the Rollout's resourceVersion; a concurrent change re-reads and retries
 * (three attempts in all), like Argo's update-on-conflict loop.
 */
export async function runSetImage(ctx: CliContext, name: string, assignment: string): Promise<number> {
  const { container, image } = parseImageAssignment(assignment);
  const { api } = await ctx.kube();
  let result: Rollout | undefined;
  for (let attempt = 1; result === undefined; attempt++) {
    const rollout = await api.getRollout(name);
    try {
      result = await api.jsonPatch(name, setImageOps(rollout, container, image));
    } catch (err) {
      if (!stale(err) || attempt >= ATTEMPTS) throw err;
    }
  }
  if (await printData(ctx, result)) return 0;
  ctx.print(`rollout '${name}' image updated`);
  return 0;
}

/** Registers `set image`. */
export function registerSetImage(program: Command, app: CliApp): void {
  const set = program.command('set').description('update fields of a rollout');
  set
    .command('image')
    .description('set the image of a container (CONTAINER=IMAGE; * for every container)')
    .argument('<name>', 'rollout name')
    .argument('<assignment>', 'CONTAINER=IMAGE')
    .action((name, assignment, _opts, cmd) => app.run(cmd, (ctx) => runSetImage(ctx, name, assignment)));
}
