import { describe, expect, it } from 'vitest';
import {
  type BenchResult,
  formatFigure,
  formatTable,
  machineLine,
  verdictOf,
  verdictSummary,
} from '../../../bench/support/report.js';

const figure = (over: Partial<BenchResult>): BenchResult => ({
  name: 'x',
  p50: 10,
  p99: 20,
  unit: 'ms',
  ...over,
});

describe('verdictOf', () => {
  it('judges a threshold on p50 or p99', () => {
    expect(verdictOf(figure({ goal: 'p99 < 1000' }))).toBe('pass');
    expect(verdictOf(figure({ goal: 'p99 < 20' }))).toBe('miss');
    expect(verdictOf(figure({ goal: 'p99 <= 20' }))).toBe('pass');
    expect(verdictOf(figure({ goal: 'p50 = 10' }))).toBe('pass');
    expect(verdictOf(figure({ goal: 'p50 > 10' }))).toBe('miss');
    expect(verdictOf(figure({ goal: 'p50 >= 10.0' }))).toBe('pass');
  });

  it('is empty without a goal, ? for a goal it cannot parse, and miss for a NaN figure', () => {
    expect(verdictOf(figure({}))).toBe('');
    expect(verdictOf(figure({ goal: 'fast enough' }))).toBe('?');
    expect(verdictOf(figure({ goal: 'p99 < 1', p99: Number.NaN }))).toBe('miss');
  });

  it('lets an explicit goalMet win over the parsed goal', () => {
    expect(verdictOf(figure({ goal: 'p99 < 1000', goalMet: false }))).toBe('miss');
    expect(verdictOf(figure({ goal: 'all Healthy', goalMet: true }))).toBe('pass');
  });
});

describe('formatting', () => {
  it('prints integers as is, others to 4 significant digits, NaN as a dash', () => {
    expect(formatFigure(12)).toBe('12');
    expect(formatFigure(1.23456)).toBe('1.235');
    expect(formatFigure(Number.NaN)).toBe('–');
  });

  it('aligns the columns and shows goal and verdict', () => {
    const table = formatTable([
      { bench: 'drift-heal', ...figure({ goal: 'p99 < 1000', notes: 'n' }) },
      { bench: 'scale', ...figure({ name: 'longer name', p50: 1.5 }) },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^bench\s+figure\s+p50\s+p99\s+unit\s+goal\s+verdict\s+notes$/);
    expect(lines[1]).toContain('p99 < 1000  pass');
    expect(lines[2]?.indexOf('1.500')).toBe(lines[0]?.indexOf('p50'));
  });

  it('summarises verdicts and names the shared cores in the machine line', () => {
    expect(verdictSummary([figure({ goal: 'p99 < 1' }), figure({ goal: 'p99 < 100' }), figure({})])).toBe(
      'goals: 1 pass, 1 miss',
    );
    expect(verdictSummary([figure({})])).toBe('no goals');
    const line = machineLine({
      cores: 2,
      cpuModel: 'EPYC',
      memoryGiB: 24,
      node: 'v20',
      loadStart: 1,
      loadEnd: 2,
    });
    expect(line).toContain('2 cores (EPYC), 24 GiB, Node v20');
    expect(line).toContain('share these cores');
  });
});
