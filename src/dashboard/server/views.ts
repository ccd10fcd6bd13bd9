import type { Rollout } from '../../api/index.js';
import { rolloutRow } from '../../cli/view/list.js';
import { rolloutInfo } from '../../cli/view/rollout-info.js';
import { age, ownedBy, type RolloutSnapshot } from '../../cli/view/snapshot.js';
import type { ListView, RolloutPageView, RolloutRowView } from '../model.js';
import { analysisRunView } from './analysis-charts.js';
import {
  type EventObject,
  eventViews,
  gitView,
  notificationsView,
  stepViews,
  weightViews,
} from './rollout-parts.js';

/** The images of the Rollout's own pod template (none with `workloadRef`). */
function templateImages(rollout: Rollout): string[] {
  const containers = (rollout.spec.template?.spec as { containers?: { image?: string }[] } | undefined)
    ?.containers;
  return (containers ?? []).map((c) => c.image ?? '');
}

function containerNames(rollout: Rollout): string[] {
  const containers = (rollout.spec.template?.spec as { containers?: { name?: string }[] } | undefined)
    ?.containers;
  return (containers ?? []).map((c) => c.name ?? '').filter((n) => n !== '');
}

/** One list row: the plugin's `list rollouts` columns plus the phase message, images and age. */
export function rowView(rollout: Rollout, now: Date): RolloutRowView {
  const row = rolloutRow(rollout);
  return {
    namespace: row.namespace,
    name: row.name,
    strategy: row.strategy,
    phase: row.status,
    message: rollout.status?.message ?? '',
    step: row.step,
    setWeight: row.setWeight,
    ready: row.ready,
    desired: row.desired,
    images: templateImages(rollout),
    age: age(rollout.metadata.creationTimestamp, now),
  };
}

/** The list page of `namespace`, rows sorted by name. */
export function listView(namespace: string, rollouts: readonly Rollout[], now: Date): ListView {
  const rows = rollouts.map((r) => rowView(r, now)).sort((a, b) => a.name.localeCompare(b.name));
  return { namespace, rows };
}

/** Everything a Rollout page shows: the `get rollout` snapshot plus the namespace's Events. */
export interface PageSnapshot extends RolloutSnapshot {
  events: readonly EventObject[];
}

/**
 * The Rollout page: the `get rollout` model (same tree, same tags), steps, weights, a chart per metric of
 * each AnalysisRun the Rollout owns (newest first), its Events, Git write-back and notifications.
 * `denied` (section → sentence) is passed through so the page says what the user may not see.
 */
export function rolloutPage(snap: PageSnapshot, denied: Record<string, string> = {}): RolloutPageView {
  const info = rolloutInfo(snap);
  const { rollout } = snap;
  const revisionOf = new Map<string, number>();
  for (const rev of info.revisions)
    for (const run of rev.analysisRuns) revisionOf.set(run.name, rev.revision);
  const owner = { kind: 'Rollout', name: rollout.metadata.name ?? '', uid: rollout.metadata.uid };
  const runs = snap.analysisRuns
    .filter((run) => ownedBy(run, owner))
    .map((run) => analysisRunView(run, revisionOf.get(run.metadata.name ?? '') ?? 0, snap.now))
    .sort((a, b) => b.revision - a.revision || b.name.localeCompare(a.name));
  const git = gitView(rollout);
  const notifications = notificationsView(rollout);
  return {
    info,
    steps: stepViews(rollout),
    weights: weightViews(rollout, info.actualWeight),
    analysisRuns: runs,
    events: eventViews(snap.events, rollout, snap.now),
    containers: containerNames(rollout),
    ...(git === undefined ? {} : { git }),
    ...(notifications === undefined ? {} : { notifications }),
    denied,
  };
}
