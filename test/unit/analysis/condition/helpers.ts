import { expect } from 'vitest';
import {
  type CompiledCondition,
  compileCondition,
  evaluateCondition,
} from '../../../../src/analysis/condition/compile.js';
import {
  type ConditionError,
  isConditionError,
  toConditionError,
} from '../../../../src/analysis/condition/errors.js';
import { DEFAULT_STEP_BUDGET, EvalContext, evaluate } from '../../../../src/analysis/condition/evaluator.js';

/** Compiles `source`, failing the test with the error message if it does not compile. */
export function compiled(source: string): CompiledCondition {
  const out = compileCondition(source);
  if (isConditionError(out)) throw new Error(`unexpected compile error: ${out.message} at ${out.offset}`);
  return out;
}

/** Evaluates any expression to its value (not only bools); a ConditionError is returned as data. */
export function evalValue(source: string, result: unknown = null): unknown {
  const c = compiled(source);
  try {
    return evaluate(c.ast, new EvalContext(result, c.regexps, DEFAULT_STEP_BUDGET));
  } catch (caught) {
    return toConditionError(caught, source);
  }
}

/** Evaluates a condition through the public API and expects a bool. */
export function truth(source: string, result: unknown = null): boolean {
  const out = evaluateCondition(compiled(source), result);
  if (isConditionError(out)) throw new Error(`unexpected error: ${out.message} at ${out.offset}`);
  return out;
}

/** The compile error of `source`, or the evaluation error against `result`; fails if there is none. */
export function errorOf(source: string, result: unknown = null): ConditionError {
  const c = compileCondition(source);
  const out = isConditionError(c) ? c : evaluateCondition(c, result);
  expect(isConditionError(out), `expected an error from ${source}`).toBe(true);
  return out as ConditionError;
}
