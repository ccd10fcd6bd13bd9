import type { Command } from '@commander-js/extra-typings';
import { type CliContext, printData } from '../context.js';
import { CliError } from '../errors.js';
import type { RolloutsApi } from '../kube.js';
import { parseImageAssignment, setImageOps } from '../patches.js';
import type { CliApp } from '../program.js';
import { imageOps, templatePointer, workloadTarget, workloadTemplate } from '../workload-ref.js';

const ATTEMPTS = 3;

function stale(err: unknown): boolean {
  return err instanceof CliError && (err.reason === 'Conflict' || err.reason === 'Invalid');
}

/**
 * One attempt: patches the image into the Rollout's `spec.template`, or, with `spec.workloadRef`, into the
 * referenced workload's template (as Argo's plugin updates the Deployment); each conditional on the
 * resourceVersion of the object read.
 */
async function setImageOnce(
  api: RolloutsApi,
  name: string,
  assignment: { container: string; image: string },
): Promise<object> {
  const rollout = await api.getRollout(name);
  const target = workloadTarget(rollout);
  if (target === undefined)
    return api.jsonPatch(name, setImageOps(rollout, assignment.container, assignment.image));
  const doc = await api.getWorkload(target.kind, target.name);
  const template = workloadTemplate(target.kind, doc);
  const ops = imageOps(template, templatePointer(target.kind), doc.metadata?.resourceVersion, assignment);
  return api.jsonPatchWorkload(target.kind, target.name, ops);
}

/**
 * `set image NAME CONTAINER=IMAGE`: replaces the image of the named container (`*`: every container) in
 * `spec.template` (with `spec.workloadRef`: in the referenced Deployment, ReplicaSet or PodTemplate),
 * conditional on the object's resourceVersion; a concurrent change re-reads and retries (three attempts in
 * all), like Argo's update-on-conflict loop.
 */
export async function runSetImage(ctx: CliContext, name: string, assignment: string): Promise<number> {
  const parsed = parseImageAssignment(assignment);
  const { api } = await ctx.kube();
  let result: object | undefined;
  for (let attempt = 1; result === undefined; attempt++) {
    try {
      result = await setImageOnce(api, name, parsed);
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
