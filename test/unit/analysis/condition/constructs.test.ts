import { describe, expect, it } from 'vitest';
import { assessMeasurement } from '../../../../src/analysis/condition/assess.js';
import { errorOf, truth } from './helpers.js';

/** One row per construct issue 6 lists, each true for its `result`; the whole language at a glance. */
const CONSTRUCTS: [construct: string, source: string, result: unknown][] = [
  ['comparison <', 'result[0] < 0.05', [0.01]],
  ['comparison >=', 'result >= 0.95', 0.99],
  ['comparison == / !=', 'result == "ok" && result != "ko"', 'ok'],
  ['&& || !', '!(result > 1) && (false || true)', 0.5],
  ['and / or / not', 'not (result > 1) and (false or true)', 0.5],
  ['arithmetic + - * / %', '(result + 1) * 2 - 1 == 3 && 7 % 4 == 3 && result / 2 == 0.5', 1],
  ['power **', '2 ** 10 == 1024', null],
  ['indexing', 'result[0] == 1 && result[-1] == 3', [1, 2, 3]],
  ['slices', 'result[1:] == [2, 3] && result[:1] == [1] && result[0:2] == [1, 2]', [1, 2, 3]],
  ['member access', 'result.data.rate < 0.05 && result["data"]["rate"] < 0.05', { data: { rate: 0.01 } }],
  ['optional member ?.', 'result?.missing?.deeper == nil', {}],
  ['len', 'len(result) == 3 && len("abc") == 3', [1, 2, 3]],
  ['all with #', 'all(result, # < 1000)', [10, 20]],
  ['all with {#}', 'all(result, {# <= 0.01})', [0.001]],
  ['any', 'any(result, # > 0.5)', [0.1, 0.9]],
  ['none', 'none(result, # > 0.5)', [0.1, 0.2]],
  ['filter', 'len(filter(result, # > 1)) == 2', [1, 2, 3]],
  ['map', 'map(result, # * 2) == [2, 4]', [1, 2]],
  ['# with member access', 'all(result, #.ok)', [{ ok: true }]],
  ['in (list)', '"b" in result', ['a', 'b']],
  ['in (map key)', '"k" in result', { k: 1 }],
  ['?? (nil coalescing)', '(result.missing ?? 7) == 7', {}],
  ['?: (ternary)', '(result > 1 ? "big" : "small") == "small"', 0.5],
  ['matches', 'result matches "^v[0-9]+$"', 'v12'],
  ['asInt', 'asInt(result) > 5', '6'],
  ['asFloat', 'asFloat(result) < 0.05', '0.01'],
  ['isNaN', 'isNaN(result)', Number.NaN],
  ['isInf', 'isInf(result)', Number.POSITIVE_INFINITY],
  ['isNil', 'isNil(result)', null],
  ['default', 'default(result, 0) < 0.05', null],
  ['len(result) == 0 guard on no data', 'len(result) == 0 || result[0] >= 0.95', []],
];

describe('every construct of the condition language', () => {
  it.each(CONSTRUCTS)('%s: %s', (_construct, source, result) => {
    expect(truth(source, result)).toBe(true);
  });
});

describe('errors users meet, and the no-data outcome', () => {
  it('an operator on the wrong type suggests result[0]', () => {
    expect(errorOf('result < 0.05', [0.08]).message).toMatch(/use result\[0\]/);
  });

  it('a syntax error carries its position', () => {
    expect(errorOf('result[0] <', [1])).toMatchObject({ kind: 'syntax', line: 1, column: 12 });
  });

  it('an empty result is a clearly worded Error measurement, not an index error', () => {
    const verdict = assessMeasurement({ successCondition: 'result[0] < 0.05' }, []);
    expect(verdict.phase).toBe('Error');
    expect(verdict.message).toBe(
      'could not evaluate successCondition "result[0] < 0.05": metric result is nil or empty: no data returned from the metric provider',
    );
  });

  it.each([
    ['len(result) == 0 || result[0] < 0.05', undefined, 'Successful'],
    ['len(result) > 0 && result[0] < 0.05', undefined, 'Failed'],
    ['len(result) > 0 && result[0] < 0.05', 'len(result) > 0 && result[0] >= 0.05', 'Inconclusive'],
  ])('no data with success %s / failure %s is %s', (success, failure, phase) => {
    expect(assessMeasurement({ successCondition: success, failureCondition: failure }, []).phase).toBe(phase);
  });
});
