import type { Command } from '@commander-js/extra-typings';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Rollout } from '../../api/index.js';
import { canonicalJson } from '../../rollout/core/pod-template-hash.js';
import { type CliContext, printData } from '../context.js';
import { CliError } from '../errors.js';
import type { RolloutsApi } from '../kube.js';
import { type RevisionSource, revisionNumber, templateWithoutHash, undoOps, undoTarget } from '../patches.js';
import type { CliApp } from '../program.js';
import { ownedBy } from '../view/snapshot.js';
import { templatePointer, workloadTarget, workloadTemplate } from '../workload-ref.js';

/** The template `undo` compares with: the Rollout's own, or that of the workload `spec.workloadRef` names. */
async function currentTemplate(api: RolloutsApi, rollout: Rollout): Promise<PodTemplateSpec | undefined> {
  const workload = workloadTarget(rollout);
  if (workload === undefined) return rollout.spec.template;
  return workloadTemplate(workload.kind, await api.getWorkload(workload.kind, workload.name));
}

/** Sends the undo patch to the Rollout, or with `spec.workloadRef` to the referenced workload (as Argo's plugin). */
function restore(api: RolloutsApi, rollout: Rollout, target: RevisionSource): Promise<object> {
  const workload = workloadTarget(rollout);
  const name = rollout.metadata.name ?? '';
  if (workload === undefined) return api.jsonPatch(name, undoOps(target));
  return api.jsonPatchWorkload(workload.kind, workload.name, undoOps(target, templatePointer(workload.kind)));
}

/**
 * `undo NAME [--to-revision N]`: replaces `spec.template` (with `spec.workloadRef`: the referenced
 * workload's template) with the template of revision N (0: the previous revision) minus its
 * pod-template-hash label. Prints "skipped rollback" when the template already matches.
 */
export async function runUndo(ctx: CliContext, name: string, toRevision: number): Promise<number> {
  const { api } = await ctx.kube();
  const rollout = await api.getRollout(name);
  const owner = { kind: 'Rollout', name, uid: rollout.metadata.uid };
  const owned = (await api.replicaSets()).filter((rs) => ownedBy(rs, owner));
  const target = undoTarget(owned, toRevision);
  const revision = revisionNumber(target);
  const template = target.spec?.template as PodTemplateSpec;
  if (canonicalJson(templateWithoutHash(template)) === canonicalJson(await currentTemplate(api, rollout))) {
    ctx.print(`rollout '${name}' skipped rollback (current template already matches revision ${revision})`);
    return 0;
  }
  const result = await restore(api, rollout, target);
  if (await printData(ctx, result)) return 0;
  ctx.print(`rollout '${name}' rolled back to revision ${revision}`);
  return 0;
}

function revisionFlag(text: string): number {
  if (!/^\d+$/.test(text))
    throw new CliError(`invalid --to-revision "${text}": use a revision number (0 = previous)`);
  return Number.parseInt(text, 10);
}

/** Registers `undo`. */
export function registerUndo(program: Command, app: CliApp): void {
  program
    .command('undo')
    .description('roll back to a previous revision of the pod template')
    .argument('<name>', 'rollout name')
    .option('--to-revision <n>', 'the revision to roll back to (0 = previous)', '0')
    .action((name, opts, cmd) => app.run(cmd, (ctx) => runUndo(ctx, name, revisionFlag(opts.toRevision))));
}
