import { childrenOf, type Node } from './ast.js';
import { type ConditionError, makeConditionError, toConditionError } from './errors.js';
import { DEFAULT_STEP_BUDGET, EvalContext, evaluate } from './evaluator.js';
import { parse } from './parser.js';
import { compileRegex } from './regex.js';
import { tokenize } from './tokenizer.js';
import { typeName } from './values.js';

/** Largest accepted condition source, in UTF-8 bytes. */
export const MAX_SOURCE_BYTES = 4096;

/**
 * A parsed, validated condition. Immutable and free of per-evaluation state, so one compiled condition
 * (per template) can be evaluated any number of times, concurrently, against different results.
 */
export interface CompiledCondition {
  readonly type: 'CompiledCondition';
  readonly source: string;
  readonly ast: Node;
  /** Regexps of `matches` operators whose pattern is a string literal, compiled once. */
  readonly regexps: ReadonlyMap<string, RegExp>;
}

/** Evaluation knobs; the defaults are what the controller uses. */
export interface EvaluateOptions {
  /** Steps one evaluation may take before it is an error; default `DEFAULT_STEP_BUDGET`. */
  readonly maxSteps?: number;
}

function collectRegexps(node: Node, into: Map<string, RegExp>): void {
  if (node.type === 'binary' && node.op === 'matches') {
    const pattern = node.right;
    if (pattern.type === 'literal' && typeof pattern.value === 'string') {
      into.set(pattern.value, compileRegex(pattern.value, pattern.pos));
    }
  }
  for (const child of childrenOf(node)) collectRegexps(child, into);
}

/**
 * Parses and checks a `successCondition`/`failureCondition`. Never throws: syntax errors, unknown names
 * or functions, wrong arity, invalid literal regexps and exceeded limits (source over `MAX_SOURCE_BYTES`,
 * AST deeper than 64) come back as a `ConditionError` with the offending position.
 */
export function compileCondition(source: string): CompiledCondition | ConditionError {
  if (new TextEncoder().encode(source).length > MAX_SOURCE_BYTES) {
    return makeConditionError('limit', `condition longer than ${MAX_SOURCE_BYTES} bytes`, 0, source);
  }
  try {
    const ast = parse(tokenize(source));
    const regexps = new Map<string, RegExp>();
    collectRegexps(ast, regexps);
    return { type: 'CompiledCondition', source, ast, regexps };
  } catch (caught) {
    return toConditionError(caught, source);
  }
}

/**
 * Evaluates a compiled condition with `result` bound to the measurement value (JSON-like: number,
 * number[], string, bool, plain object/array, or null/undefined as nil). Returns the boolean outcome,
 * or a `ConditionError` for any runtime error or a non-bool outcome ("expected bool, but got …").
 * Never throws, and never reads anything but own properties of `result`.
 */
export function evaluateCondition(
  compiled: CompiledCondition,
  result: unknown,
  options: EvaluateOptions = {},
): boolean | ConditionError {
  const ctx = new EvalContext(result, compiled.regexps, options.maxSteps ?? DEFAULT_STEP_BUDGET);
  try {
    const out = evaluate(compiled.ast, ctx);
    if (typeof out === 'boolean') return out;
    return makeConditionError('runtime', `expected bool, but got ${typeName(out)}`, 0, compiled.source);
  } catch (caught) {
    return toConditionError(caught, compiled.source);
  }
}
