import type { BlueGreenStrategy } from '../../api/index.js';
import type { Draft, PlanContext } from '../plan-context.js';

/** The hash each blue-green Service should select this pass; undefined leaves the Service as it is. */
export interface SelectorTargets {
  active: string | undefined;
  preview: string | undefined;
}

function point(ctx: PlanContext, draft: Draft, service: string | undefined, hash: string | undefined): void {
  if (service === undefined || hash === undefined) return;
  const observed = ctx.snapshot.services?.find((s) => s.name === service);
  if (observed === undefined || observed.podTemplateHash === hash) return;
  const target = ctx.snapshot.replicaSets.find((rs) => rs.podTemplateHash === hash);
  if ((target?.availableReplicas ?? 0) === 0) return;
  draft.actions.push({ kind: 'setServiceSelector', service, podTemplateHash: hash });
}

/**
 * Points `activeService` and `previewService` at their target hashes (only Services present in the snapshot,
 * only at a ReplicaSet with an available pod) and records them in `status.blueGreen.activeSelector` /
 * `previewSelector` once the Service shows them or the selector action is planned.
 */
export function planBlueGreenServices(
  ctx: PlanContext,
  draft: Draft,
  bg: BlueGreenStrategy,
  targets: SelectorTargets,
): void {
  point(ctx, draft, bg.activeService, targets.active);
  point(ctx, draft, bg.previewService, targets.preview);
  const planned = (service: string | undefined, hash: string | undefined) =>
    hash !== undefined &&
    (ctx.snapshot.services?.some((s) => s.name === service && s.podTemplateHash === hash) ||
      draft.actions.some(
        (a) => a.kind === 'setServiceSelector' && a.service === service && a.podTemplateHash === hash,
      ));
  const status = { ...draft.status.blueGreen };
  if (planned(bg.activeService, targets.active)) status.activeSelector = targets.active;
  if (bg.previewService && planned(bg.previewService, targets.preview))
    status.previewSelector = targets.preview;
  draft.status.blueGreen = status;
}
