import type { FunctionName, PredicateName } from './ast.js';
import { fail } from './errors.js';
import { isNil, lengthOf, typeName } from './values.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;

function shown(v: unknown): string {
  if (Array.isArray(v)) return '[...]';
  return v !== null && typeof v === 'object' ? '{...}' : String(v);
}

function notSupported(fn: string, v: unknown, pos: number): never {
  return fail(`${fn}() not supported on ${typeName(v)} ${shown(v)}`, pos);
}

/** Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits only, int64 range. */
function parseInt64(s: string, pos: number): number {
  if (!/^[+-]?\d+$/.test(s)) fail(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`, pos);
  const big = BigInt(s);
  if (big < INT64_MIN || big > INT64_MAX) {
    fail(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`, pos);
  }
  return Number(big);
}

/** Go's strconv.ParseFloat(s, 64) for decimal input plus `Inf`/`Infinity`/`NaN` in any case. */
function parseFloat64(s: string, pos: number): number {
  const inf = INFINITY.exec(s);
  if (inf !== null) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN;
  if (!DECIMAL_FLOAT.test(s)) fail(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`, pos);
  const value = Number(s);
  if (!Number.isFinite(value))
    fail(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`, pos);
  return value;
}

function asInt(v: unknown, pos: number): number {
  if (typeof v === 'string') return parseInt64(v, pos);
  if (typeof v !== 'number') return notSupported('asInt', v, pos);
  if (!Number.isFinite(v))
    return fail(`asInt() cannot convert ${v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN'}`, pos);
  return Math.trunc(v);
}

function asFloat(v: unknown, pos: number): number {
  if (typeof v === 'string') return parseFloat64(v, pos);
  if (typeof v !== 'number') return notSupported('asFloat', v, pos);
  return v;
}

function numberArg(fn: string, v: unknown, pos: number): number {
  if (typeof v === 'number') return v;
  const hint = Array.isArray(v) ? '; result is a list: use result[0]' : '';
  return fail(`cannot use ${typeName(v)} as argument (type float64) to call ${fn}${hint}`, pos);
}

/**
 * Calls a plain function with already evaluated arguments (arity was checked at compile time).
 * `isNil` and `default` ignore their first argument and look at the measurement `result`, exactly as
 * Argo's environment closes over the raw result. Conversion failures are positioned runtime faults.
 */
export function callFunction(
  name: FunctionName,
  args: readonly unknown[],
  result: unknown,
  pos: number,
): unknown {
  const [first, second] = args;
  switch (name) {
    case 'len':
      return lengthOf(first, pos);
    case 'abs':
      return Math.abs(numberArg('abs', first, pos));
    case 'asInt':
      return asInt(first, pos);
    case 'asFloat':
      return asFloat(first, pos);
    case 'isNaN':
      return Number.isNaN(numberArg('isNaN', first, pos));
    case 'isInf': {
      const n = numberArg('isInf', first, pos);
      return n === Number.POSITIVE_INFINITY || n === Number.NEGATIVE_INFINITY;
    }
    case 'isNil':
      return isNil(result);
    case 'default':
      return isNil(result) ? second : result;
  }
}

/**
 * Runs a predicate builtin over an array subject, calling `test` once per element in order with `#`
 * bound by the caller. `all`/`any`/`none`/`one`/`filter`/`count` require `test` to return a bool;
 * `all`, `any` and `none` stop at the first deciding element. Empty arrays give all → true,
 * any → false, none → true, one → false, count → 0.
 */
export function runPredicate(
  name: PredicateName,
  subject: unknown,
  test: (item: unknown) => unknown,
  pos: number,
): unknown {
  if (!Array.isArray(subject)) {
    const hint = isNil(subject) ? 'nil' : typeName(subject);
    return fail(`${name}() expects an array, got ${hint}`, pos);
  }
  const items: readonly unknown[] = subject;
  if (name === 'map') return items.map((item) => test(item));
  const check = (item: unknown): boolean => {
    const out = test(item);
    if (typeof out !== 'boolean')
      fail(`predicate of ${name}() should return bool, got ${typeName(out)}`, pos);
    return out;
  };
  switch (name) {
    case 'all':
      return items.every(check);
    case 'any':
      return items.some(check);
    case 'none':
      return !items.some(check);
    case 'filter':
      return items.filter(check);
    case 'one':
      return items.filter(check).length === 1;
    case 'count':
      return items.filter(check).length;
  }
}
