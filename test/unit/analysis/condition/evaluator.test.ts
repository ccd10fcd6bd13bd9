import { describe, expect, it } from 'vitest';
import { errorOf, evalValue, truth } from './helpers.js';

const NaN_ = Number.NaN;
const Inf = Number.POSITIVE_INFINITY;

describe('operators', () => {
  it.each<[string, unknown, unknown]>([
    ['result + 1', 2, 3],
    ['result - 0.5', 2, 1.5],
    ['result * 3', 2, 6],
    ['result / 4', 2, 0.5],
    ['7 / 2', null, 3.5],
    ['7 % 3', null, 1],
    ['-7 % 3', null, -1],
    ['2 ** 10', null, 1024],
    ['2 ** -1', null, 0.5],
    ['+result', 4, 4],
    ['-result', 4, -4],
    ['"ab" + "cd"', null, 'abcd'],
    ['1..4', null, [1, 2, 3, 4]],
    ['3..1', null, []],
    ['result ?? 7', null, 7],
    ['result ?? 7', 0, 0],
    ['result ?? 7', false, false],
    ['result.missing ?? "dflt"', {}, 'dflt'],
  ])('%s with result=%j → %j', (source, result, expected) => {
    expect(evalValue(source, result)).toEqual(expected);
  });

  it.each<[string, unknown, boolean]>([
    ['result < 0.05', 0.01, true],
    ['result <= 0.05', 0.05, true],
    ['result > 0.05', 0.05, false],
    ['result >= 0.05', 0.05, true],
    ['result == 1', 1.0, true],
    ['result != 1', 2, true],
    ['"abc" < "abd"', null, true],
    ['"b" >= "a"', null, true],
    ['result == true', true, true],
    ['result == false', true, false],
    ['result == nil', null, true],
    ['result == nil', [], false],
    ['result != nil', 0, true],
    ['result == [1, 2]', [1, 2], true],
    ['result == [1, 2]', [2, 1], false],
    ['result == result', { a: [1, { b: 'x' }] }, true],
    ['result == "1"', 1, false],
    ['2 in result', [2, 2], true],
    ['3 in result', [2, 2], false],
    ['[1, 2] in result', [[1, 2], [3]], true],
    ['"error" in result', { error: 0 }, true],
    ['"toString" in result', {}, false],
    ['result contains "ok"', 'status ok', true],
    ['result startsWith "sta"', 'status', true],
    ['result endsWith "tus"', 'status', true],
    ['result matches "^[a-z]+$"', 'status', true],
    ['result matches "(?i)^STATUS$"', 'status', true],
    ['result matches "^\\\\d+$"', '123', true],
    ['result matches "a\\\\z"', 'ba\n', false],
    ['"ab" matches result', 'b', true],
    ['true && result', true, true],
    ['false || result', false, false],
    ['true and not false', null, true],
  ])('%s with result=%j → %s', (source, result, expected) => {
    expect(truth(source, result)).toBe(expected);
  });

  it.each([
    ['!(false && result > "x")', 1],
    ['true || result > "x"', 1],
    ['false ? result[9] : true', []],
    ['nil ?? true', null],
  ])('short-circuits %s without evaluating the erroring branch', (source, result) => {
    expect(truth(source, result)).toBe(true);
  });
});

describe('Go float semantics: NaN and ±Inf', () => {
  it.each<[string, unknown, boolean]>([
    ['result == result', NaN_, false],
    ['result != result', NaN_, true],
    ['result < 1', NaN_, false],
    ['result > 1', NaN_, false],
    ['result >= 0.9', NaN_, false],
    ['result <= 0.9', NaN_, false],
    ['isNaN(result)', NaN_, true],
    ['isNaN(result)', 1, false],
    ['isNaN(result) || result >= 0.9', NaN_, true],
    ['isNaN(result) || result >= 0.9', 0.95, true],
    ['isNaN(result) || result >= 0.9', 0.5, false],
    ['isInf(result)', Inf, true],
    ['isInf(result)', -Inf, true],
    ['isInf(result)', NaN_, false],
    ['isInf(result)', 1e308, false],
    ['result > 1e308', Inf, true],
    ['-result < 0', Inf, true],
    ['isInf(1 / 0)', null, true],
    ['isNaN(0 / 0)', null, true],
    ['isInf(result[0]) && result[0] < 0', [-Inf], true],
    ['isNaN(result - result)', Inf, true],
    ['result[0] in result', [NaN_], false],
    ['result == [1]', [NaN_], false],
    ['all(result, {isNaN(#)})', [NaN_, NaN_], true],
    ['1 ** result == 1', NaN_, true],
    ['(-1) ** result == 1', Inf, true],
    ['isNaN(result ** 0 - 1) == false', NaN_, true],
  ])('%s with result=%s → %s', (source, result, expected) => {
    expect(truth(source, result)).toBe(expected);
  });
});

describe('member access, indexing and slices', () => {
  const doc = { a: { b: [10, 20, 30] }, 'with-dash': 1, n: null };
  it.each<[string, unknown, unknown]>([
    ['result[0]', [0.97], 0.97],
    ['result[-1]', [1, 2, 3], 3],
    ['result.a.b[1]', doc, 20],
    ['result["with-dash"]', doc, 1],
    ['result["a"]["b"][2]', doc, 30],
    ['result.missing', doc, null],
    ['result.n', doc, null],
    ['result[1:3]', [1, 2, 3, 4], [2, 3]],
    ['result[:2]', [1, 2, 3], [1, 2]],
    ['result[1:]', [1, 2, 3], [2, 3]],
    ['result[:]', [1, 2, 3], [1, 2, 3]],
    ['result[-2:]', [1, 2, 3], [2, 3]],
    ['result[2:1]', [1, 2, 3], []],
    ['result[0:99]', [1, 2], [1, 2]],
    ['result[1:3]', 'hello', 'el'],
    ['result[0]', 'hé', 'h'],
    ['result[0].Values[1]', [{ Values: [0.1, 0.2] }], 0.2],
  ])('%s on %j → %j', (source, result, expected) => {
    expect(evalValue(source, result)).toEqual(expected);
  });
});

describe('builtins and Argo helpers', () => {
  it.each<[string, unknown, unknown]>([
    ['len(result)', [1, 2, 3], 3],
    ['len(result)', 'héllo', 5],
    ['len(result)', { a: 1, b: 2 }, 2],
    ['len(result)', [], 0],
    ['abs(result)', -2.5, 2.5],
    ['all(result, {# < 100})', [1, 2], true],
    ['all(result, {# < 100})', [], true],
    ['any(result, {# > 1})', [1, 2], true],
    ['any(result, {# > 1})', [], false],
    ['none(result, {# > 1})', [1, 0], true],
    ['one(result, {# > 1})', [1, 2, 3], false],
    ['one(result, {# > 2})', [1, 2, 3], true],
    ['filter(result, {# % 2 == 0})', [1, 2, 3, 4], [2, 4]],
    ['map(result, {# * 2})', [1, 2], [2, 4]],
    ['count(result, {# >= 0.9})', [0.95, 0.5, 0.91], 2],
    ['map(result, .name)', [{ name: 'a' }, { name: 'b' }], ['a', 'b']],
    ['all(result, {all(#, {# > 0})})', [[1], [2, 3]], true],
    ['map(result, {map(#, {# + 1})})', [[1], [2]], [[2], [3]]],
    ['any(1..5, # == 3)', null, true],
    ['asInt(result)', '42', 42],
    ['asInt(result)', '-7', -7],
    ['asInt(result)', 1.9, 1],
    ['asInt(result)', -1.9, -1],
    ['asFloat(result)', '1.5', 1.5],
    ['asFloat(result)', '1e3', 1000],
    ['asFloat(result)', 'NaN', NaN_],
    ['asFloat(result)', '-Inf', -Inf],
    ['asFloat(result)', 3, 3],
    ['isNil(result)', null, true],
    ['isNil(result)', undefined, true],
    ['isNil(result)', [], false],
    ['isNil(result)', 0, false],
    ['isNil(1)', null, true],
    ['default(result, 0)', null, 0],
    ['default(result, 0)', 5, 5],
    ['default(nil, 0)', 5, 5],
    ['default(result, 0)', [], []],
  ])('%s with result=%j → %j', (source, result, expected) => {
    expect(evalValue(source, result)).toEqual(expected);
  });
});

describe('Argo documentation examples', () => {
  it.each<[string, unknown, boolean]>([
    ['result[0] >= 0.95', [0.97], true],
    ['result[0] >= 0.95', [0.9], false],
    ['result < 0.05', 0.01, true],
    ['result < 0.05', 0.08, false],
    ['len(result) > 0 && all(result, {# < 100})', [1, 99], true],
    ['len(result) > 0 && all(result, {# < 100})', [], false],
    ['len(result) == 0 || result[0] >= 0.95', [], true],
    ['all(result, # < 1000)', [999, 1], true],
    ['all(result[0].Values, {# <= 0.01})', [{ Values: [0.001, 0.01] }], true],
    ['isNaN(result) || result >= 0.9', NaN_, true],
    ['default(result, 0) > 5', null, false],
    ['default(result, 0) > 5', 6, true],
    ['default(result, 0) < 0.05', null, true],
    ['asInt(result) == 1', '1', true],
    ['asInt(result) == 1', 1, true],
    ['asInt(result) == 1', 1.123, true],
    ['asInt(result) > 5', '6', true],
    ['asFloat(result) == 1.1', '1.1', true],
    ['asFloat(result) >= 1.1', '1.1', true],
    ['asFloat(result) <= 1.1', 1.1, true],
    ['asFloat(result) == 1', 1, true],
    ['result.field == "ok"', { field: 'ok' }, true],
    ['result == true', true, true],
    ['result == false', true, false],
    ['result > 1', 5, true],
    ['2 in result', [2, 2], true],
    [
      'all(result.service_apdex.values.values, {# > 1})',
      { service_apdex: { label: null, values: { values: [2, 2] } } },
      true,
    ],
  ])('%s with result=%j → %s', (source, result, expected) => {
    expect(truth(source, result)).toBe(expected);
  });
});

describe('runtime errors (→ Error measurements)', () => {
  it.each<[string, unknown, number, RegExp]>([
    [
      'result < 0.05',
      [0.08],
      7,
      /mismatched types \[\]float64 and float64\); result is a list .* use result\[0\]/,
    ],
    ['result[0] >= 0.95', [], 6, /^index out of range: 0 \(array length is 0\)$/],
    ['result[3] > 1', [1, 2], 6, /index out of range: 3 \(array length is 2\)/],
    ['result[-3] > 1', [1, 2], 6, /index out of range: -3/],
    ['result[0.5] > 1', [1, 2], 6, /invalid index type float64/],
    ['result["a"] > 1', [1], 6, /invalid index type string/],
    ['result[0] > 1', 5, 6, /cannot index int/],
    ['result[0] > 1', null, 6, /cannot index nil/],
    ['result.a.b > 1', { a: null }, 8, /cannot fetch b from nil/],
    ['result.a > 1', [1], 6, /cannot fetch a from \[\]float64/],
    ['result.length > 0', 'abc', 6, /cannot fetch length from string/],
    ['result[1:2] == 1', 5, 6, /cannot slice int/],
    ['result > "x"', 1, 7, /mismatched types int and string/],
    ['result + 1 > 0', 'a', 7, /mismatched types string and int/],
    ['result % 2 == 0', 2.5, 7, /% not defined on float64/],
    ['result % 0 == 0', 4, 7, /integer divide by zero/],
    ['!result', 1, 0, /invalid operation: ! \(mismatched type int\)/],
    ['-result > 0', [1], 0, /mismatched type \[\]float64\); result is a list/],
    ['result && true', 1, 7, /&& \(operand is int, want bool\)/],
    ['true && result', 1, 5, /&& \(operand is int, want bool\)/],
    ['result ? true : false', 1, 7, /\?: \(operand is int, want bool\)/],
    ['result', 1, 0, /^expected bool, but got int$/],
    ['result', 'x', 0, /^expected bool, but got string$/],
    ['result', null, 0, /^expected bool, but got nil$/],
    ['result', [true], 0, /^expected bool, but got \[\]interface \{\}$/],
    ['result..3 == []', 1.5, 6, /mismatched types float64 and int/],
    ['1 in result', 'abc', 2, /invalid operation: in/],
    ['1 in result', { a: 1 }, 2, /invalid operation: in/],
    ['result contains 1', 'a', 7, /mismatched types string and int/],
    ['all(result, {# > 0})', 1, 0, /all\(\) expects an array, got int/],
    ['all(result, {# > 0})', null, 0, /all\(\) expects an array, got nil/],
    ['all(result, {#})', [1], 0, /predicate of all\(\) should return bool, got int/],
    ['count(result, {#})', ['x'], 0, /should return bool, got string/],
    ['len(result) > 0', 5, 0, /invalid argument for len \(type int\)/],
    ['abs(result) > 0', 'x', 0, /cannot use string as argument/],
    [
      'isNaN(result)',
      [1],
      0,
      /cannot use \[\]float64 as argument \(type float64\) to call isNaN; result is a list/,
    ],
    ['isInf(result)', 'x', 0, /to call isInf/],
    ['asInt(result) == 1.1', '1.1', 0, /strconv.ParseInt: parsing "1.1": invalid syntax/],
    ['asInt(result) == 1', 'notint', 0, /invalid syntax/],
    ['asInt(result) == 1', '99999999999999999999', 0, /value out of range/],
    ['asInt(result) == 1', NaN_, 0, /asInt\(\) cannot convert NaN/],
    ['asInt(result) == 1', true, 0, /asInt\(\) not supported on bool true/],
    ['asFloat(result) == 1.1', 'NotANum', 0, /strconv.ParseFloat: parsing "NotANum": invalid syntax/],
    ['asFloat(result) == 1.1', '1e999', 0, /value out of range/],
    ['asFloat(result) == 1.1', [1], 0, /asFloat\(\) not supported on \[\]float64/],
  ])('%s with result=%j fails at %d', (source, result, offset, message) => {
    const error = errorOf(source, result);
    expect(error).toMatchObject({ kind: 'runtime', offset });
    expect(error.message).toMatch(message);
  });
});
