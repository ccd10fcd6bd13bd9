/** Binary operators after normalisation (`and` → `&&`, `or` → `||`). `not in` etc. parse as `!` over these. */
export type BinaryOp =
  | '**'
  | '*'
  | '/'
  | '%'
  | '+'
  | '-'
  | '..'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | 'in'
  | 'matches'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | '&&'
  | '||'
  | '??';

/** Unary operators after normalisation (`not` → `!`). */
export type UnaryOp = '!' | '-' | '+';

/** Builtins whose second argument is a predicate closure evaluated once per element with `#` bound. */
export type PredicateName = 'all' | 'any' | 'none' | 'one' | 'filter' | 'map' | 'count';

/** Plain functions: expr-lang builtins and Argo's environment helpers. */
export type FunctionName = 'len' | 'abs' | 'asInt' | 'asFloat' | 'isNaN' | 'isInf' | 'isNil' | 'default';

/** A literal value as it appears in the source. */
export type LiteralValue = null | boolean | number | string;

interface Base {
  /** 0-based offset of the token that names this node (operator, identifier or opening bracket). */
  readonly pos: number;
}

/**
 * The condition AST. Trees are immutable and hold no functions or prototypes, so a compiled condition can
 * be shared and evaluated many times. Depth never exceeds the parser's limit.
 */
export type Node =
  | (Base & { readonly type: 'literal'; readonly value: LiteralValue })
  | (Base & { readonly type: 'result' })
  | (Base & { readonly type: 'pointer' })
  | (Base & {
      readonly type: 'member';
      readonly object: Node;
      readonly name: string;
      readonly optional: boolean;
    })
  | (Base & {
      readonly type: 'index';
      readonly object: Node;
      readonly index: Node;
      readonly optional: boolean;
    })
  | (Base & { readonly type: 'slice'; readonly object: Node; readonly from?: Node; readonly to?: Node })
  | (Base & { readonly type: 'call'; readonly name: FunctionName; readonly args: readonly Node[] })
  | (Base & {
      readonly type: 'predicate';
      readonly name: PredicateName;
      readonly subject: Node;
      readonly body: Node;
    })
  | (Base & { readonly type: 'array'; readonly items: readonly Node[] })
  | (Base & { readonly type: 'unary'; readonly op: UnaryOp; readonly operand: Node })
  | (Base & { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node })
  | (Base & {
      readonly type: 'conditional';
      readonly test: Node;
      readonly then: Node;
      readonly otherwise: Node;
    });

/** `[minArgs, maxArgs]` per function, checked at compile time like expr-lang's typed environment. */
export const FUNCTION_ARITY: Readonly<Record<FunctionName, readonly [number, number]>> = {
  len: [1, 1],
  abs: [1, 1],
  asInt: [1, 1],
  asFloat: [1, 1],
  isNaN: [1, 1],
  isInf: [1, 1],
  isNil: [1, 1],
  default: [2, 2],
};

/** Names accepted as predicate builtins. */
const PREDICATE_NAMES: ReadonlySet<string> = new Set<PredicateName>([
  'all',
  'any',
  'none',
  'one',
  'filter',
  'map',
  'count',
]);

/** Narrows an identifier to a known plain function name (own keys of `FUNCTION_ARITY` only). */
export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTION_ARITY, name);
}

/** Narrows an identifier to a predicate builtin name. */
export function isPredicateName(name: string): name is PredicateName {
  return PREDICATE_NAMES.has(name);
}

/** The direct sub-expressions of `node`, in source order. */
export function childrenOf(node: Node): Node[] {
  switch (node.type) {
    case 'member':
      return [node.object];
    case 'index':
      return [node.object, node.index];
    case 'slice':
      return [node.object, node.from, node.to].filter((n): n is Node => n !== undefined);
    case 'call':
      return [...node.args];
    case 'array':
      return [...node.items];
    case 'predicate':
      return [node.subject, node.body];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.then, node.otherwise];
    default:
      return [];
  }
}
