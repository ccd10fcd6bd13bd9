import type { Rollout } from '../../api/index.js';
import { clientPhase } from '../phase.js';
import { type Paint, paintStatus, withIcon } from './paint.js';
import { currentSetWeight } from './rollout-info.js';

/** One row of `list rollouts` (Argo's columns); `namespace` only matters with `-A`. */
export interface RolloutRow {
  namespace: string;
  name: string;
  strategy: 'Canary' | 'BlueGreen';
  status: string;
  step: string;
  setWeight: string;
  ready: string;
  desired: number;
  upToDate: number;
  available: number;
}

/**
 * The row of one Rollout: STEP `i/N` (`-` without steps or for blue-green), SET-WEIGHT (`-` for blue-green),
 * READY `ready/current`, DESIRED `spec.replicas` (default 1).
 */
export function rolloutRow(rollout: Rollout): RolloutRow {
  const status = rollout.status;
  const canary = rollout.spec.strategy.canary;
  const total = canary?.steps?.length ?? 0;
  return {
    namespace: rollout.metadata.namespace ?? '',
    name: rollout.metadata.name ?? '',
    strategy: rollout.spec.strategy.blueGreen !== undefined ? 'BlueGreen' : 'Canary',
    status: clientPhase(rollout).phase,
    step:
      canary !== undefined && total > 0 ? `${Math.min(status?.currentStepIndex ?? 0, total)}/${total}` : '-',
    setWeight: canary !== undefined ? String(currentSetWeight(rollout)) : '-',
    ready: `${status?.readyReplicas ?? 0}/${status?.replicas ?? 0}`,
    desired: rollout.spec.replicas ?? 1,
    upToDate: status?.updatedReplicas ?? 0,
    available: status?.availableReplicas ?? 0,
  };
}

/** Rows sorted by namespace, then name. */
export function rolloutRows(rollouts: readonly Rollout[]): RolloutRow[] {
  return rollouts
    .map(rolloutRow)
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

const HEADINGS = [
  'NAME',
  'STRATEGY',
  'STATUS',
  'STEP',
  'SET-WEIGHT',
  'READY',
  'DESIRED',
  'UP-TO-DATE',
  'AVAILABLE',
];

/** Headings and cells of the rows as text; a NAMESPACE column leads when `allNamespaces`. */
export function rowCells(
  rows: readonly RolloutRow[],
  allNamespaces: boolean,
): { head: string[]; body: string[][] } {
  const head = allNamespaces ? ['NAMESPACE', ...HEADINGS] : HEADINGS;
  const body = rows.map((r) => {
    const cells = [
      r.name,
      r.strategy,
      r.status,
      r.step,
      r.setWeight,
      r.ready,
      String(r.desired),
      String(r.upToDate),
      String(r.available),
    ];
    return allNamespaces ? [r.namespace, ...cells] : cells;
  });
  return { head, body };
}

/**
 * kubectl's plain layout (for pipes): columns separated by three spaces, padded to the widest cell, no
 * colour, no box drawing; trailing spaces trimmed.
 */
export function renderPlainTable(head: readonly string[], body: readonly string[][]): string[] {
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  return all.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd(),
  );
}

/** Decorates the STATUS cells of a body (icon and colour), for the TTY table. */
export function decorateStatus(body: readonly string[][], statusColumn: number, paint: Paint): string[][] {
  return body.map((row) =>
    row.map((cell, i) => (i === statusColumn ? paintStatus(paint, cell, withIcon(cell)) : cell)),
  );
}
