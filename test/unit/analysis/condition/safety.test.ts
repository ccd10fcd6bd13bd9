import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileCondition,
  evaluateCondition,
  isConditionError,
  MAX_AST_DEPTH,
  MAX_SOURCE_BYTES,
} from '../../../../src/analysis/condition/index.js';
import { compiled, errorOf, evalValue, truth } from './helpers.js';

describe('property access is own-property only', () => {
  it.each([
    ['result.__proto__ == nil', 'syntax', 7],
    ['result.constructor == nil', 'syntax', 7],
    ['result.prototype == nil', 'syntax', 7],
    ['result?.constructor == nil', 'syntax', 8],
    ['any(result, .constructor == nil)', 'syntax', 13],
    ['result["__proto__"] == nil', 'runtime', 6],
    ['result["constructor"] == nil', 'runtime', 6],
    ['result["proto" + "type"] == nil', 'runtime', 6],
  ])('blocks %s (%s error at %d)', (source, kind, offset) => {
    const error = errorOf(source, {});
    expect(error).toMatchObject({ kind, offset });
    expect(error.message).toMatch(/is not allowed/);
  });

  it('blocks a JSON-parsed own __proto__ key too', () => {
    const result: unknown = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(errorOf('result["__proto__"].polluted', result).message).toMatch(/__proto__ is not allowed/);
  });

  it.each([
    ['result.toString == nil', {}],
    ['result.hasOwnProperty == nil', {}],
    ['result.valueOf == nil', Object.create(null)],
  ])('sees inherited names as missing keys: %s', (source, result) => {
    expect(truth(source, result)).toBe(true);
  });

  it.each([
    ['result.size > 0', new Map([['a', 1]])],
    ['result.getTime() > 0', new Date()],
    [
      'result.x == 1',
      new (class {
        x = 1;
      })(),
    ],
    ['result.length > 0', [1]],
    ['result.length > 0', 'abc'],
    ['result.name == "f"', () => 1],
  ])('treats non-plain values as opaque: %s', (source, result) => {
    const c = compileCondition(source);
    const out = isConditionError(c) ? c : evaluateCondition(c, result);
    expect(isConditionError(out)).toBe(true);
  });

  it('never writes to the result or to prototypes', () => {
    const result = { a: [1, 2] };
    truth('map(result.a, {# * 2}) == [2, 4] && len(filter(result.a, {# > 1})) == 1', result);
    expect(result).toEqual({ a: [1, 2] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('size, depth and budget limits', () => {
  it('accepts a source of exactly MAX_SOURCE_BYTES and rejects one byte more', () => {
    const padded = (n: number): string => `true${' '.repeat(n - 4)}`;
    expect(isConditionError(compileCondition(padded(MAX_SOURCE_BYTES)))).toBe(false);
    expect(errorOf(padded(MAX_SOURCE_BYTES + 1))).toMatchObject({
      kind: 'limit',
      message: expect.stringMatching(/4096 bytes/),
    });
  });

  it('counts UTF-8 bytes, not characters', () => {
    const source = `"${'é'.repeat(2048)}" == ""`;
    expect(source.length).toBeLessThan(MAX_SOURCE_BYTES);
    expect(errorOf(source).kind).toBe('limit');
  });

  it.each([
    ['nested parentheses', `${'('.repeat(MAX_AST_DEPTH + 1)}true${')'.repeat(MAX_AST_DEPTH + 1)}`],
    ['a long left-associative chain', Array.from({ length: MAX_AST_DEPTH + 2 }, () => '1').join(' + ')],
    ['stacked unary operators', `${'!'.repeat(MAX_AST_DEPTH + 1)}true`],
    ['nested array literals', `${'['.repeat(MAX_AST_DEPTH + 1)}${']'.repeat(MAX_AST_DEPTH + 1)} == nil`],
    ['a long member chain', `result${'.a'.repeat(MAX_AST_DEPTH + 1)} == nil`],
  ])('rejects %s deeper than MAX_AST_DEPTH', (_name, source) => {
    const error = errorOf(source);
    expect(error.kind).toBe('limit');
    expect(error.message).toMatch(/nested deeper than 64/);
  });

  it('accepts reasonable depth', () => {
    expect(truth(`${'('.repeat(30)}true${')'.repeat(30)}`)).toBe(true);
    expect(truth(`${Array.from({ length: 40 }, () => '1').join(' + ')} == 40`)).toBe(true);
  });

  it('stops a runaway evaluation with the step budget', () => {
    const error = errorOf('all(1..100000, {all(1..100000, {# > 0})})');
    expect(error.kind).toBe('limit');
    expect(error.message).toMatch(/step budget of 100000/);
  });

  it('honours a custom step budget', () => {
    const c = compiled('all(result, {# > 0})');
    const result = Array.from({ length: 20 }, () => 1);
    expect(evaluateCondition(c, result, { maxSteps: 1000 })).toBe(true);
    expect(evaluateCondition(c, result, { maxSteps: 10 })).toMatchObject({ kind: 'limit' });
  });

  it('charges element comparisons of deep equality', () => {
    const big = Array.from({ length: 60_000 }, () => 1);
    const c = compiled('result == result && result == result');
    expect(evaluateCondition(c, big)).toMatchObject({ kind: 'limit' });
  });

  it('caps ranges and string growth', () => {
    expect(errorOf('len(1..1000000) > 0')).toMatchObject({ kind: 'limit' });
    expect(errorOf('len(result + result) > 0', 'x'.repeat(600_000))).toMatchObject({ kind: 'limit' });
  });
});

describe('matches uses RE2-compatible, backtracking-safe patterns', () => {
  it.each([
    ['result matches "(a+)+$"', /can backtrack catastrophically/],
    ['result matches "^(a|aa)*$"', /can backtrack catastrophically/],
    ['result matches "((ab)*c)+"', /can backtrack catastrophically/],
    ['result matches "a*b*c*d"', /more than 2 unbounded quantifiers/],
    ['result matches "x{1,100}y{1,100}z{1,100}"', /more than 2 unbounded quantifiers/],
    ['result matches "(?=a)"', /lookaround/],
    ['result matches "(a)\\\\1"', /backreferences/],
    ['result matches "[[:alpha:]]"', /POSIX/],
    ['result matches "(?U)a+"', /unsupported regexp flags/],
  ])('rejects %s at compile time', (source, message) => {
    const error = errorOf(source, 'aaaa');
    expect(error.offset).toBe(15);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['result matches ".*error.*"', 'an error here', true],
    ['result matches "^(ab)+$"', 'ababab', true],
    ['result matches "^(a+)?b$"', 'aab', true],
    ['result matches "^\\\\d{1,3}$"', '123', true],
    ['result matches "(?P<code>5\\\\d\\\\d)"', 'HTTP 503', true],
    ['result matches "(?is)^a.b$"', 'A\nB', true],
    ['result matches "\\\\Aab"', 'xab', false],
  ])('matches %s against %j', (source, result, expected) => {
    expect(truth(source, result)).toBe(expected);
  });

  it('refuses over-long subjects instead of risking slow matches', () => {
    expect(errorOf('result matches "a.*b"', 'a'.repeat(2000))).toMatchObject({ kind: 'limit' });
  });

  it('checks dynamic patterns at run time', () => {
    expect(evalValue('"aaa" matches result', '(a+)+')).toMatchObject({ type: 'ConditionError' });
  });
});

/** mulberry32: a tiny deterministic PRNG so the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('robustness', () => {
  const vocabulary = [
    'result',
    '#',
    '.',
    '?.',
    '[',
    ']',
    '(',
    ')',
    '{',
    '}',
    ',',
    ':',
    '?',
    '??',
    '0',
    '1',
    '-1',
    '0.5',
    '1e3',
    '"a"',
    "'b'",
    'nil',
    'true',
    'false',
    '+',
    '-',
    '*',
    '/',
    '%',
    '**',
    '..',
    '<',
    '<=',
    '>',
    '>=',
    '==',
    '!=',
    '!',
    'not',
    'and',
    'or',
    '&&',
    '||',
    'in',
    'matches',
    'contains',
    'startsWith',
    'endsWith',
    'len',
    'abs',
    'all',
    'any',
    'none',
    'one',
    'filter',
    'map',
    'count',
    'asInt',
    'asFloat',
    'isNaN',
    'isInf',
    'isNil',
    'default',
    '__proto__',
    'constructor',
    'x',
    '"(a+)+"',
    '\\',
    '"',
    '@',
  ];
  const results: unknown[] = [
    null,
    0.5,
    Number.NaN,
    [1, 2],
    [],
    'a',
    { a: [1] },
    true,
    [Number.POSITIVE_INFINITY],
  ];

  it('never throws on 5000 random token sequences (seeded)', () => {
    const random = prng(20240601);
    let compiledCount = 0;
    for (let i = 0; i < 5000; i++) {
      const length = 1 + Math.floor(random() * 12);
      const source = Array.from({ length }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(
        ' ',
      );
      const c = compileCondition(source);
      if (isConditionError(c)) continue;
      compiledCount++;
      for (const result of results) {
        const out = evaluateCondition(c, result);
        expect(typeof out === 'boolean' || isConditionError(out)).toBe(true);
      }
    }
    expect(compiledCount).toBeGreaterThan(50);
  });
});

describe('implementation constraints', () => {
  const dir = join(import.meta.dirname, '../../../../src/analysis/condition');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files)('%s uses no eval, Function, node:* imports or clocks and stays under 300 lines', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(text).not.toMatch(/\beval\s*\(|\bFunction\s*\(|new\s+Function/);
    expect(text).not.toMatch(/from\s+'node:|require\(/);
    expect(text).not.toMatch(/Date\.now|new Date|setTimeout|setInterval|performance\./);
    expect(source.split('\n').length).toBeLessThanOrEqual(300);
  });
});
