import { isWorse } from '../../analysis/core/index.js';
import type { Paint } from '../view/paint.js';
import type { ReplayedMeasurement } from './replay-run.js';

/** Size and colours of a chart. */
export interface ChartOptions {
  /** Most columns; consecutive measurements share a column when there are more. */
  readonly width: number;
  /** Rows of bars (each row has 8 levels). */
  readonly height: number;
  readonly paint: Paint;
}

interface Column {
  readonly at: Date;
  readonly value?: number;
  readonly phase: string;
  readonly inRun: boolean;
}

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** One character per phase under the bars, readable without colour. */
const MARKS: Readonly<Record<string, string>> = {
  Successful: '✔',
  Failed: '✖',
  Error: '!',
  Inconclusive: '?',
};

function toColumns(measurements: readonly ReplayedMeasurement[], width: number): Column[] {
  const per = Math.max(1, Math.ceil(measurements.length / Math.max(1, width)));
  const columns: Column[] = [];
  for (let i = 0; i < measurements.length; i += per) {
    const group = measurements.slice(i, i + per);
    const values = group.flatMap((m) => (m.plotted === undefined ? [] : [m.plotted]));
    const phase = group.reduce((worst, m) => (isWorse(worst, m.phase) ? m.phase : worst), 'Successful');
    const at = (group[0] as ReplayedMeasurement).at;
    const inRun = group.some((m) => m.inRun);
    columns.push(
      values.length === 0 ? { at, phase, inRun } : { at, value: Math.max(...values), phase, inRun },
    );
  }
  return columns;
}

/** Shortest readable form of a number for axis labels. */
export function shortNumber(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function colour(paint: Paint, column: Column, text: string): string {
  if (!column.inRun) return paint.gray(text);
  if (column.phase === 'Failed' || column.phase === 'Error') return paint.red(text);
  if (column.phase === 'Inconclusive') return paint.yellow(text);
  return paint.green(text);
}

function barRows(columns: readonly Column[], o: ChartOptions, label: (row: number) => string): string[] {
  const values = columns.flatMap((c) => (c.value === undefined ? [] : [c.value]));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const levels = o.height * 8;
  const level = (v: number) => (hi === lo ? 1 : Math.max(1, Math.round(((v - lo) / (hi - lo)) * levels)));
  const rows: string[] = [];
  for (let row = o.height - 1; row >= 0; row--) {
    const cells = columns.map((c) => {
      if (c.value === undefined) return ' ';
      const fill = Math.min(8, Math.max(0, level(c.value) - row * 8));
      return colour(o.paint, c, BLOCKS[fill] as string);
    });
    rows.push(`${label(row)}${row === o.height - 1 || row === 0 ? '┤' : '│'}${cells.join('')}`);
  }
  return rows;
}

const clock = (d: Date): string => d.toISOString().slice(11, 19);

/**
 * A terminal chart of one metric's replayed measurements: bars of the charted value scaled between its
 * minimum and maximum (labelled on the axis), a row of phase marks (✔ ✖ ! ?) beneath, the first and last
 * times (UTC), and a ▲ under the column where the run ended (`endedAt`). Columns after the end are gray;
 * Failed and Error columns red, Inconclusive yellow. Without any charted value only the marks are drawn.
 */
export function renderChart(
  measurements: readonly ReplayedMeasurement[],
  o: ChartOptions,
  endedAt?: Date,
): string[] {
  if (measurements.length === 0) return [];
  const columns = toColumns(measurements, o.width);
  const values = columns.flatMap((c) => (c.value === undefined ? [] : [c.value]));
  const top = values.length === 0 ? '' : shortNumber(Math.max(...values));
  const bottom = values.length === 0 ? '' : shortNumber(Math.min(...values));
  const pad = Math.max(top.length, bottom.length);
  const label = (row: number) => `${(row === o.height - 1 ? top : row === 0 ? bottom : '').padStart(pad)} `;
  const lines = values.length === 0 ? [] : barRows(columns, o, label);
  const indent = ' '.repeat(pad + 2);
  lines.push(indent + columns.map((c) => colour(o.paint, c, MARKS[c.phase] ?? '·')).join(''));
  const first = clock(columns[0]?.at as Date);
  const last = clock(measurements.at(-1)?.at as Date);
  const room = columns.length - first.length;
  lines.push(indent + (room > last.length ? first + last.padStart(room) : `${first} – ${last}`));
  const end = endedAt === undefined ? -1 : columns.findLastIndex((c) => c.at.getTime() <= endedAt.getTime());
  if (end >= 0) lines.push(`${indent}${' '.repeat(end)}▲ the run ended here (${clock(endedAt as Date)})`);
  return lines;
}
