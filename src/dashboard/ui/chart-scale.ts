import type { MetricChartView } from '../model.js';

/** Drawing box of a metric chart, in SVG units. */
export const CHART = { width: 560, height: 180, left: 52, right: 16, top: 14, bottom: 28 } as const;

/** The value range a chart shows: every measured value and every threshold, padded by 10 %. */
export function valueRange(chart: MetricChartView): { min: number; max: number } {
  const values = [
    ...chart.points.flatMap((p) => (p.value === undefined ? [] : [p.value])),
    ...chart.thresholds.map((t) => t.value),
  ];
  if (values.length === 0) return { min: 0, max: 1 };
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return { min: min - pad, max: max + pad };
  }
  const pad = (max - min) * 0.1;
  min -= pad;
  max += pad;
  return { min, max };
}

/**
 * Round tick values spanning `range`: the step of 1, 2 or 5 × 10^n closest (by ratio) to a quarter of it.
 * Example: 0.35–1.0 → [0.4, 0.6, 0.8, 1].
 */
export function ticksOf(range: { min: number; max: number }): number[] {
  const rough = (range.max - range.min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const distance = (m: number) => Math.abs(Math.log((m * magnitude) / rough));
  const step = [1, 2, 5, 10].reduce((best, m) => (distance(m) < distance(best) ? m : best)) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(range.min / step) * step; t <= range.max + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

/** The y pixel of `value` in `range` (top is the maximum). */
export function yOf(value: number, range: { min: number; max: number }): number {
  const inner = CHART.height - CHART.top - CHART.bottom;
  return CHART.top + ((range.max - value) / (range.max - range.min)) * inner;
}

/** The x pixel of the `index`-th of `count` measurements (evenly spaced, oldest left). */
export function xOf(index: number, count: number): number {
  const inner = CHART.width - CHART.left - CHART.right;
  return count <= 1 ? CHART.left + inner / 2 : CHART.left + (index / (count - 1)) * inner;
}

/** A tick label: at most 4 significant digits, no trailing zeros. */
export function tickText(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

const OP_TEXT: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

/** `success when ≥ 0.95` / `failure when < 0.5`: the words beside a threshold line. */
export function thresholdText(t: MetricChartView['thresholds'][number]): string {
  return `${t.of} when ${OP_TEXT[t.op] ?? t.op} ${tickText(t.value)}`;
}

/**
 * Where a metric stands against its failure limit, in words: `3 failed of limit 2: over the limit`.
 * Argo fails a metric once `failed > failureLimit` (a limit of -1 disables it).
 */
export function failureLimitText(chart: MetricChartView): string {
  if (chart.failureLimit < 0) return `${chart.failed} failed (no failure limit)`;
  const over = chart.failed > chart.failureLimit;
  return `${chart.failed} failed of limit ${chart.failureLimit}${over ? ': over the limit' : ''}`;
}
