import { describe, expect, it } from 'vitest';
import { evalTimeExpression } from '../../../../src/analysis/providers/prometheus-range.js';
import { findJsonPath, parseJsonPath } from '../../../../src/analysis/providers/web-jsonpath.js';

const doc = {
  data: { ok: true, successPercent: 0.95, 'dotted.key': 1 },
  items: [{ value: 10 }, { value: 20 }],
  status: 'healthy',
  empty: [],
};

function select(path: string, input: unknown = doc) {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) return parsed;
  return findJsonPath(parsed.value, input);
}

describe('Kubernetes JSONPath subset', () => {
  it.each<[string, unknown[]]>([
    ['{$}', [doc]],
    ['{.}', [doc]],
    ['{$.data.ok}', [true]],
    ['{.data}', [doc.data]],
    ['{.status}', ['healthy']],
    ['{$.items[0].value}', [10]],
    ['{.items[-1].value}', [20]],
    ['{.items[*].value}', [10, 20]],
    ['{.data.*}', [true, 0.95, 1]],
    ["{.data['dotted.key']}", [1]],
    ['{.data["successPercent"]}', [0.95]],
    [' { .status } ', ['healthy']],
    ['{.empty[*]}', []],
  ])('%s', (path, expected) => {
    expect(select(path)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, string]>([
    ['{.missing}', 'missing is not found'],
    ['{.data.ok.deeper}', 'deeper is not found'],
    ['{.items[5]}', 'array index out of bounds: index 5, length 2'],
    ['{.status[0]}', 'cannot index string with [0]'],
    ['{..value}', 'unsupported jsonPath syntax at "..value" in "{..value}"'],
    ['{.items[?(@.value>1)]}', 'unsupported jsonPath syntax at "[?(@.value>1)]" in "{.items[?(@.value>1)]}"'],
    ['.data.ok', 'jsonPath must be one {…} expression, got ".data.ok"'],
  ])('%s → %s', (path, error) => {
    expect(select(path)).toEqual({ ok: false, error });
  });
});

describe('rangeQuery time expressions', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it.each<[string, string]>([
    ['now()', '2026-01-01T12:00:00.000Z'],
    ['now() - duration("1h")', '2026-01-01T11:00:00.000Z'],
    ['now() - duration(\'90m\') + duration("30s")', '2026-01-01T10:30:30.000Z'],
    ['now()+duration("5m")', '2026-01-01T12:05:00.000Z'],
    ['date("2026-01-01T00:00:00Z")', '2026-01-01T00:00:00.000Z'],
    ['duration("1h") + now()', '2026-01-01T13:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(evalTimeExpression(text, now)).toEqual({ ok: true, value: new Date(expected) });
  });

  it.each<[string, string]>([
    ['', 'expression is empty'],
    ['duration("1h")', 'expected a time, but got a duration'],
    ['now() + now()', 'invalid operation: time + time'],
    ['now() - duration("soon")', 'invalid duration "soon"'],
    ['now() * 2', 'unexpected "* 2" at position 7'],
    ['now() now()', 'expected + or - between operands'],
  ])('%j → %s', (text, error) => {
    expect(evalTimeExpression(text, now)).toEqual({ ok: false, error });
  });
});
