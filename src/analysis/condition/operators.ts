import type { BinaryOp, UnaryOp } from './ast.js';
import { fail } from './errors.js';
import { compileRegex, MAX_MATCH_SUBJECT } from './regex.js';
import { deepEqual, isRecord, typeName } from './values.js';

/** Longest string `+` may build; bounds memory like the step budget bounds time. */
export const MAX_STRING_LENGTH = 1 << 20;

/** Most elements a `..` range may produce. */
export const MAX_RANGE_LENGTH = 100_000;

/** What operators need from the evaluation: the step budget and precompiled regexps by pattern. */
export interface OperatorContext {
  spend(n: number): void;
  readonly regexps: ReadonlyMap<string, RegExp>;
}

/**
 * The error for an operator applied to operand types it does not accept, with the mismatched types.
 * When one side is a list the message suggests indexing, since `result < 0.05` on a Prometheus vector
 * is the most common mistake.
 */
function mismatch(op: string, left: unknown, right: unknown, pos: number): never {
  const base = `invalid operation: ${op} (mismatched types ${typeName(left)} and ${typeName(right)})`;
  const hint =
    Array.isArray(left) || Array.isArray(right)
      ? '; result is a list (one value per series): use result[0] or a predicate such as all(result, {# < 0.05})'
      : '';
  return fail(base + hint, pos);
}

/**
 * Go's math.Pow special cases where JavaScript's `**` differs: Pow(1, y) = 1 for any y (NaN included),
 * Pow(-1, ±Inf) = 1.
 */
function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

function arithmetic(op: BinaryOp, a: number, b: number, pos: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '**':
      return goPow(a, b);
    default: {
      if (!Number.isInteger(a) || !Number.isInteger(b))
        fail(`invalid operation: % not defined on float64`, pos);
      if (b === 0) fail('integer divide by zero', pos);
      return a % b;
    }
  }
}

function compare(op: BinaryOp, a: unknown, b: unknown, pos: number): boolean {
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  const bothStrings = typeof a === 'string' && typeof b === 'string';
  if (!bothNumbers && !bothStrings) return mismatch(op, a, b, pos);
  const x = a as number | string;
  const y = b as number | string;
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  return x >= y;
}

function range(a: unknown, b: unknown, pos: number, ctx: OperatorContext): number[] {
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isInteger(a) || !Number.isInteger(b)) {
    return mismatch('..', a, b, pos);
  }
  const length = Math.max(0, b - a + 1);
  if (length > MAX_RANGE_LENGTH)
    fail(`range ${a}..${b} has more than ${MAX_RANGE_LENGTH} elements`, pos, 'limit');
  ctx.spend(length);
  return Array.from({ length }, (_, i) => a + i);
}

function membership(a: unknown, b: unknown, pos: number, ctx: OperatorContext): boolean {
  if (Array.isArray(b)) return b.some((x) => deepEqual(a, x, (n) => ctx.spend(n)));
  if (isRecord(b)) {
    if (typeof a !== 'string') return mismatch('in', a, b, pos);
    return Object.hasOwn(b, a);
  }
  return mismatch('in', a, b, pos);
}

function stringOp(op: BinaryOp, a: unknown, b: unknown, pos: number, ctx: OperatorContext): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return mismatch(op, a, b, pos);
  ctx.spend(1 + Math.ceil(a.length / 64));
  if (op === 'contains') return a.includes(b);
  if (op === 'startsWith') return a.startsWith(b);
  if (op === 'endsWith') return a.endsWith(b);
  if (a.length > MAX_MATCH_SUBJECT)
    fail(`matches: string longer than ${MAX_MATCH_SUBJECT} characters`, pos, 'limit');
  const regexp = ctx.regexps.get(b) ?? compileRegex(b, pos);
  return regexp.test(a);
}

/**
 * Applies a strict (both operands evaluated) binary operator with expr-lang's typing: numbers for
 * arithmetic and `..`; numbers or strings for ordering; `+` also concatenates strings; `==`/`!=` are
 * deep equality (NaN unequal to everything); the string operators need two strings. Anything else
 * is a positioned runtime fault. `&&`, `||` and `??` are handled by the evaluator (they short-circuit).
 */
export function applyBinary(
  op: BinaryOp,
  a: unknown,
  b: unknown,
  pos: number,
  ctx: OperatorContext,
): unknown {
  switch (op) {
    case '==':
      return deepEqual(a, b, (n) => ctx.spend(n));
    case '!=':
      return !deepEqual(a, b, (n) => ctx.spend(n));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b, pos);
    case '..':
      return range(a, b, pos, ctx);
    case 'in':
      return membership(a, b, pos, ctx);
    case 'matches':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return stringOp(op, a, b, pos, ctx);
    default:
      return applyArithmetic(op, a, b, pos);
  }
}

function applyArithmetic(op: BinaryOp, a: unknown, b: unknown, pos: number): unknown {
  if (typeof a === 'number' && typeof b === 'number') return arithmetic(op, a, b, pos);
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    if (a.length + b.length > MAX_STRING_LENGTH) fail('string concatenation exceeds 1 MiB', pos, 'limit');
    return a + b;
  }
  return mismatch(op, a, b, pos);
}

/** `!` needs a bool; unary `-`/`+` need a number. */
export function applyUnary(op: UnaryOp, v: unknown, pos: number): unknown {
  if (op === '!') {
    if (typeof v !== 'boolean') fail(`invalid operation: ! (mismatched type ${typeName(v)})`, pos);
    return !v;
  }
  if (typeof v !== 'number') {
    const hint = Array.isArray(v) ? '; result is a list: use result[0]' : '';
    return fail(`invalid operation: ${op} (mismatched type ${typeName(v)})${hint}`, pos);
  }
  return op === '-' ? -v : v;
}
