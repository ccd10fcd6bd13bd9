/** The colour functions the views use; `picocolors.createColors(enabled)` satisfies it. */
export interface Paint {
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  gray(text: string): string;
}

const identity = (text: string) => text;

/** A {@link Paint} that returns text unchanged (pipes, `--no-color`, `NO_COLOR`). */
export const noPaint: Paint = {
  bold: identity,
  red: identity,
  green: identity,
  yellow: identity,
  gray: identity,
};

const ICONS: Readonly<Record<string, string>> = {
  Healthy: '✔',
  Successful: '✔',
  Running: '✔',
  Progressing: '◌',
  Pending: '◌',
  ContainerCreating: '◌',
  NotReady: '◌',
  Paused: '॥',
  Degraded: '✖',
  Failed: '✖',
  Error: '✖',
  Inconclusive: '⚠',
  ScaledDown: '•',
  Terminating: '•',
};

/**
 * Argo's status icon for a phase: ✔ Healthy/Successful (and a Running pod), ◌ in progress (a Running
 * AnalysisRun or metric), ॥ Paused, ✖ failed, ⚠ Inconclusive, • scaled down; otherwise ?.
 */
export function statusIcon(status: string, kind = ''): string {
  if (status === 'Running' && kind !== 'Pod') return '◌';
  return ICONS[status] ?? '?';
}

/** Colours an already padded status cell by its phase: green good, yellow in progress, red failed, gray idle. */
export function paintStatus(paint: Paint, status: string, cell: string, kind = ''): string {
  const icon = statusIcon(status, kind);
  if (icon === '✔') return paint.green(cell);
  if (icon === '✖') return paint.red(cell);
  if (icon === '◌' || icon === '⚠') return paint.yellow(cell);
  if (icon === '॥' || icon === '•') return paint.gray(cell);
  return cell;
}

/** `✔ Healthy`: the icon and the status, as every view shows a phase. */
export function withIcon(status: string, kind = ''): string {
  return `${statusIcon(status, kind)} ${status}`;
}
