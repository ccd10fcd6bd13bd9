import type { BlueGreenStrategy } from '../../api/index.js';
import type { Draft, PlanContext } from '../plan/context.js';
import { pointService } from '../plan/point-service.js';

/** The hash each blue-green Service should select this pass; undefined leaves the Service as it is. */
export interface SelectorTargets {
  active: string | undefined;
  preview: string | undefined;
}

/**
 * Points `activeService` and `previewService` at their target hashes (`pointService`) and records them in
 * `status.blueGreen.activeSelector` / `previewSelector` once the Service shows them or the action is planned.
 */
export function planBlueGreenServices(
  ctx: PlanContext,
  draft: Draft,
  bg: BlueGreenStrategy,
  targets: SelectorTargets,
): void {
  pointService(ctx, draft, bg.activeService, targets.active);
  pointService(ctx, draft, bg.previewService, targets.preview);
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
