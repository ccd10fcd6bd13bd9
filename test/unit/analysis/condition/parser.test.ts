import { describe, expect, it } from 'vitest';
import {
  compileCondition,
  formatConditionError,
  isConditionError,
} from '../../../../src/analysis/condition/index.js';
import { compiled, errorOf, evalValue } from './helpers.js';

describe('precedence and associativity (expr-lang operator table)', () => {
  it.each<[string, unknown]>([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 ** 3 ** 2', 512],
    ['-2 ** 2', -4],
    ['(-2) ** 2', 4],
    ['2 * 3 ** 2', 18],
    ['-3 * 2', -6],
    ['7 % 4 * 2', 6],
    ['12 / 4 / 3', 1],
    ['2 ?? 1 * 10', 20],
    ['nil ?? 3 + 1', 4],
    ['1 + 1..3', [2, 3]],
    ['1..1 + 2', [1, 2, 3]],
    ['1 + 2 == 3', true],
    ['1 < 2 == true', true],
    ['!true == false', true],
    ['not true == false', true],
    ['!false && false', false],
    ['!(false && false)', true],
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['false and true or true', true],
    ['true ? 1 : 2 + 3', 1],
    ['false ? 1 : 2 + 3', 5],
    ['false ? 1 : true ? 2 : 3', 2],
    ['1 > 2 ? "a" : "b"', 'b'],
    ['2 in [1, 2] && 3 not in [1, 2]', true],
    ['"abc" not contains "z" and "abc" not startsWith "b"', true],
    ['"abc" not endsWith "c" || "abc" not matches "^a"', false],
    ['[1, 2, 3][1:] == [2, 3]', true],
    ['[[1, 2], [3]][0][1]', 2],
    ['-[1, 2][1]', -2],
  ])('%s → %j', (source, expected) => {
    expect(evalValue(source)).toEqual(expected);
  });

  it('builds a left-leaning tree for left-associative operators', () => {
    const { ast } = compiled('1 - 2 - 3');
    expect(ast).toMatchObject({
      type: 'binary',
      op: '-',
      left: { type: 'binary', op: '-' },
      right: { value: 3 },
    });
  });

  it('parses `not in` as negation of `in`', () => {
    expect(compiled('1 not in result').ast).toMatchObject({
      type: 'unary',
      op: '!',
      operand: { type: 'binary', op: 'in' },
    });
  });

  it.each([
    ['all(result, {# > 0.9})', 'all'],
    ['any(result, # > 0.9)', 'any'],
    ['none(result, {.status == "bad"})', 'none'],
    ['count(result, {# > 1},)', 'count'],
  ])('parses predicate %s with or without braces', (source, name) => {
    expect(compiled(source).ast).toMatchObject({ type: 'predicate', name, body: { type: 'binary' } });
  });

  it('accepts comments, newlines, trailing commas in arrays and optional chaining', () => {
    expect(evalValue('// leading\n[1, 2,] == [1, 2] /* trailing */')).toBe(true);
    expect(evalValue('result?.a?.b ?? "none"', {})).toBe('none');
    expect(evalValue('result?.[0] ?? -1', null)).toBe(-1);
  });
});

describe('compile errors carry kind and position', () => {
  it.each<[string, 'syntax' | 'name' | 'limit', number, RegExp]>([
    ['', 'syntax', 0, /unexpected token end of input/],
    ['1 +', 'syntax', 3, /unexpected token end of input/],
    ['(1 + 2', 'syntax', 6, /expected "\)" but found end of input/],
    ['result[0', 'syntax', 8, /expected "\]"/],
    ['1 2', 'syntax', 2, /unexpected token "2"/],
    ['result >= 0.9 0.1', 'syntax', 14, /unexpected token "0.1"/],
    ['invalidVariable', 'name', 0, /^unknown name invalidVariable$/],
    ['result > threshold', 'name', 9, /unknown name threshold/],
    ['sum(result) > 1', 'name', 0, /unknown func sum/],
    ['len() > 0', 'syntax', 0, /not enough arguments to call len/],
    ['len(result, 1) > 0', 'syntax', 0, /too many arguments to call len/],
    ['default(result) > 1', 'syntax', 0, /not enough arguments to call default/],
    ['all(result)', 'syntax', 10, /all expects a predicate/],
    ['# > 1', 'syntax', 0, /# can only be used inside a predicate closure/],
    ['{# > 1}', 'syntax', 0, /closures are only allowed/],
    ['.x == 1', 'syntax', 0, /unexpected token "\."/],
    ["result.Name() == 'hi'", 'syntax', 7, /method calls are not supported/],
    ['result. == 1', 'syntax', 8, /expected a property name/],
    ['and == 1', 'syntax', 0, /unexpected token "and"/],
    ['1 == true', 'syntax', 2, /invalid operation: == \(mismatched types int and bool\)/],
    ['asFloat(result) == "1.1"', 'syntax', 16, /mismatched types float64 and string/],
    ['"a" - 1', 'syntax', 4, /invalid operation: - \(mismatched types string and int\)/],
    ['len(result) < "3"', 'syntax', 12, /mismatched types int and string/],
    ['"x" matches "a(b"', 'syntax', 12, /error parsing regexp/],
    ['1 && true', 'syntax', 2, /invalid operation: && \(mismatched types int and bool\)/],
    ['isNaN(result) || "x"', 'syntax', 14, /mismatched types bool and string/],
    ['!1', 'syntax', 0, /invalid operation: ! \(mismatched type int\)/],
    ['-"a" == 1', 'syntax', 0, /invalid operation: - \(mismatched type string\)/],
    ['not len(result)', 'syntax', 0, /mismatched type int/],
  ])('%j → %s error at %d', (source, kind, offset, message) => {
    const error = errorOf(source);
    expect(error).toMatchObject({ type: 'ConditionError', kind, offset });
    expect(error.message).toMatch(message);
  });

  it('reports line and column on multi-line sources and formats a caret', () => {
    const source = 'len(result) > 0 &&\n  result[0] >= bogus';
    const error = errorOf(source);
    expect(error).toMatchObject({ line: 2, column: 16, kind: 'name' });
    expect(formatConditionError(error, source)).toBe(
      'unknown name bogus (2:16)\n |   result[0] >= bogus\n |                ^',
    );
  });

  it('returns errors as data and never throws for odd input', () => {
    for (const source of ['(', ')', ']]', '?', ':', '"', '\\', '#', '..', '!', 'not', '1 ? 2', 'a.b.c']) {
      expect(() => compileCondition(source)).not.toThrow();
      expect(isConditionError(compileCondition(source))).toBe(true);
    }
  });
});
