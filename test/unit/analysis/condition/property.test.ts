import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessMeasurement } from '../../../../src/analysis/condition/assess.js';
import { compileCondition, evaluateCondition } from '../../../../src/analysis/condition/compile.js';
import { ConditionFault, isConditionError } from '../../../../src/analysis/condition/errors.js';
import { DEFAULT_STEP_BUDGET, EvalContext, evaluate } from '../../../../src/analysis/condition/evaluator.js';

const RUNS = { seed: 42, numRuns: 500 } as const;

/** Pieces of the language Argo users write, glued at random: mostly near-valid, often broken. */
const TOKENS = [
  'result',
  'result[0]',
  'result[-1]',
  'result[1:]',
  'result.a',
  'result?.a',
  '#',
  '#.x',
  '0.05',
  '1',
  '-2',
  '1e3',
  '"s"',
  "'t'",
  'true',
  'false',
  'nil',
  'NaN',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '?',
  '.',
  '..',
  ' ',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '!',
  'not',
  'and',
  'or',
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '^',
  'in',
  '??',
  'matches',
  'contains',
  'startsWith',
  'len(',
  'all(',
  'any(',
  'none(',
  'filter(',
  'map(',
  'count(',
  'abs(',
  'asInt(',
  'asFloat(',
  'isNaN(',
  'isInf(',
  'isNil(',
  'default(',
  'now()',
  'duration("1h")',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((t) => t.join(''));

const leaf = fc.constantFrom('result', 'result[0]', 'len(result)', '0.05', '1', '"a"', 'nil', 'true', '#');
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('e'), fc.constantFrom('<', '==', '&&', '||', '+', '/', '%', '??', 'in', 'matches'), tie('e'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(fc.constantFrom('all', 'any', 'none', 'filter', 'map'), tie('e'), tie('e'))
      .map(([f, a, b]) => `${f}(${a}, {${b}})`),
    fc
      .tuple(fc.constantFrom('asInt', 'asFloat', 'isNaN', 'isInf', 'isNil', 'len', 'abs'), tie('e'))
      .map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    tie('e').map((a) => `!${a}`),
    tie('e').map((a) => `${a}[0:1]`),
  ),
})).e;

const number = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0, 0.05));
const result: fc.Arbitrary<unknown> = fc.oneof(
  number,
  fc.array(number, { maxLength: 4 }),
  fc.constantFrom(null, undefined, [], {}, '', '0.08', 'abc'),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(number, fc.string({ maxLength: 6 })), { maxKeys: 4 }),
);

/** Runs `source` through the public API; anything thrown fails the property. Returns the outcome kind. */
function outcomeOf(source: string, value: unknown): 'bool' | 'error' {
  const compiled = compileCondition(source);
  if (isConditionError(compiled)) return 'error';
  const out = evaluateCondition(compiled, value);
  if (isConditionError(out)) return 'error';
  expect(typeof out).toBe('boolean');
  return 'bool';
}

describe('property: no input makes the condition language throw (fast-check, seed 42)', () => {
  it('compiles any string to a condition or a ConditionError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), tokenSoup),
        (s) => {
          const out = compileCondition(s);
          expect(isConditionError(out) || typeof out.source === 'string').toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('evaluates token soup against any result to a bool or a ConditionError', () => {
    fc.assert(
      fc.property(tokenSoup, result, (s, value) => {
        expect(['bool', 'error']).toContain(outcomeOf(s, value));
      }),
      RUNS,
    );
  });

  it('the evaluator itself throws nothing but ConditionFault on generated expressions', () => {
    fc.assert(
      fc.property(expression, result, (source, value) => {
        const compiled = compileCondition(source);
        if (isConditionError(compiled)) return;
        try {
          evaluate(compiled.ast, new EvalContext(value, compiled.regexps, DEFAULT_STEP_BUDGET));
        } catch (caught) {
          expect(caught).toBeInstanceOf(ConditionFault);
        }
      }),
      RUNS,
    );
  });

  it('assessMeasurement always returns a phase, with a message exactly when not Successful', () => {
    fc.assert(
      fc.property(fc.option(expression), fc.option(expression), result, (success, failure, value) => {
        const verdict = assessMeasurement(
          { successCondition: success ?? undefined, failureCondition: failure ?? undefined },
          value,
        );
        expect(['Successful', 'Failed', 'Inconclusive', 'Error']).toContain(verdict.phase);
        expect(verdict.message === '').toBe(verdict.phase === 'Successful');
      }),
      RUNS,
    );
  });
});
