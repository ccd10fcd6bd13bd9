import type { BinaryOp, Node, UnaryOp } from './ast.js';
import { fail } from './errors.js';

/** A type known before evaluation, in Go's spelling; `undefined` means only known at run time. */
type StaticType = 'int' | 'float64' | 'string' | 'bool' | '[]interface {}' | 'nil';

const RETURNS: Readonly<Record<string, StaticType>> = {
  len: 'int',
  asInt: 'int',
  asFloat: 'float64',
  isNaN: 'bool',
  isInf: 'bool',
  isNil: 'bool',
};

const BOOLEAN_OPS = new Set<BinaryOp>([
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  '&&',
  '||',
]);

function literalType(value: null | boolean | number | string): StaticType {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  return Number.isInteger(value) ? 'int' : 'float64';
}

/** The static type of `node` where expr-lang's checker would know it (literals, typed helpers, operators). */
export function staticType(node: Node): StaticType | undefined {
  switch (node.type) {
    case 'literal':
      return literalType(node.value);
    case 'call':
      return RETURNS[node.name];
    case 'array':
      return '[]interface {}';
    case 'unary':
      return node.op === '!' ? 'bool' : staticType(node.operand);
    case 'binary':
      if (BOOLEAN_OPS.has(node.op)) return 'bool';
      return node.op === '..' ? '[]interface {}' : undefined;
    case 'predicate':
      return node.name === 'map' || node.name === 'filter'
        ? '[]interface {}'
        : node.name === 'count'
          ? 'int'
          : 'bool';
    default:
      return undefined;
  }
}

const isNumber = (t: StaticType): boolean => t === 'int' || t === 'float64';
const bothNumbers = (a: StaticType, b: StaticType): boolean => isNumber(a) && isNumber(b);
const numbersOrStrings = (a: StaticType, b: StaticType): boolean =>
  bothNumbers(a, b) || (a === 'string' && b === 'string');

const RULES: Partial<Record<BinaryOp, (a: StaticType, b: StaticType) => boolean>> = {
  '==': (a, b) => a === 'nil' || b === 'nil' || a === b || bothNumbers(a, b),
  '!=': (a, b) => a === 'nil' || b === 'nil' || a === b || bothNumbers(a, b),
  '<': numbersOrStrings,
  '<=': numbersOrStrings,
  '>': numbersOrStrings,
  '>=': numbersOrStrings,
  '+': numbersOrStrings,
  '-': bothNumbers,
  '*': bothNumbers,
  '/': bothNumbers,
  '%': bothNumbers,
  '**': bothNumbers,
  '..': bothNumbers,
  '&&': (a, b) => a === 'bool' && b === 'bool',
  '||': (a, b) => a === 'bool' && b === 'bool',
};

/**
 * Rejects at compile time a binary operation whose operand types are both statically known and
 * incompatible, as expr-lang's type checker does: `asFloat(result) == "1.1"` fails with
 * "invalid operation: == (mismatched types float64 and string)". Unknown types pass to run time.
 */
export function checkBinaryTypes(op: BinaryOp, left: Node, right: Node, pos: number): void {
  const a = staticType(left);
  const b = staticType(right);
  if (a === undefined || b === undefined || (RULES[op]?.(a, b) ?? true)) return;
  fail(`invalid operation: ${op} (mismatched types ${a} and ${b})`, pos, 'syntax');
}

/** The unary counterpart of `checkBinaryTypes`: `!` needs a bool, `-`/`+` a number, when statically known. */
export function checkUnaryType(op: UnaryOp, operand: Node, pos: number): void {
  const t = staticType(operand);
  if (t === undefined || (op === '!' ? t === 'bool' : isNumber(t))) return;
  fail(`invalid operation: ${op} (mismatched type ${t})`, pos, 'syntax');
}
