import {
  type BinaryOp,
  FUNCTION_ARITY,
  isFunctionName,
  isPredicateName,
  type Node,
  type PredicateName,
  type UnaryOp,
} from './ast.js';
import { fail } from './errors.js';
import type { Token } from './tokenizer.js';
import { checkBinaryTypes, checkUnaryType } from './types.js';
import { BLOCKED_PROPERTIES } from './values.js';

/** Deepest AST (and deepest parser recursion) accepted; deeper input is a `limit` error. */
export const MAX_AST_DEPTH = 64;

interface BinaryInfo {
  readonly op: BinaryOp;
  readonly prec: number;
  readonly right?: true;
}

/** expr-lang's precedence table (parser/operator): higher binds tighter; `**` is right-associative. */
const BINARY: Readonly<Record<string, BinaryInfo>> = {
  '||': { op: '||', prec: 10 },
  or: { op: '||', prec: 10 },
  '&&': { op: '&&', prec: 15 },
  and: { op: '&&', prec: 15 },
  '==': { op: '==', prec: 20 },
  '!=': { op: '!=', prec: 20 },
  '<': { op: '<', prec: 20 },
  '<=': { op: '<=', prec: 20 },
  '>': { op: '>', prec: 20 },
  '>=': { op: '>=', prec: 20 },
  in: { op: 'in', prec: 20 },
  matches: { op: 'matches', prec: 20 },
  contains: { op: 'contains', prec: 20 },
  startsWith: { op: 'startsWith', prec: 20 },
  endsWith: { op: 'endsWith', prec: 20 },
  '..': { op: '..', prec: 25 },
  '+': { op: '+', prec: 30 },
  '-': { op: '-', prec: 30 },
  '*': { op: '*', prec: 60 },
  '/': { op: '/', prec: 60 },
  '%': { op: '%', prec: 60 },
  '**': { op: '**', prec: 100, right: true },
  '??': { op: '??', prec: 500 },
};

const UNARY: Readonly<Record<string, { op: UnaryOp; prec: number }>> = {
  '!': { op: '!', prec: 50 },
  not: { op: '!', prec: 50 },
  '-': { op: '-', prec: 90 },
  '+': { op: '+', prec: 90 },
};

const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);
const KEYWORDS = new Set(['true', 'false', 'nil', 'not', 'and', 'or', ...NEGATABLE]);

const describe = (t: Token): string =>
  t.type === 'eof' ? 'end of input' : t.type === 'string' ? 'string literal' : `"${t.value}"`;

const lookup = <T>(table: Readonly<Record<string, T>>, t: Token): T | undefined =>
  (t.type === 'op' || t.type === 'ident') && Object.hasOwn(table, t.value) ? table[t.value] : undefined;

/**
 * Builds the AST for a token stream from `tokenize`. Throws a positioned fault on any syntax error, unknown
 * name or function, wrong arity, blocked property name, statically mismatched operand types, or when
 * nesting exceeds `MAX_AST_DEPTH`. The whole input must be one expression.
 */
export function parse(tokens: readonly Token[]): Node {
  const parser = new Parser(tokens);
  const node = parser.expression(0);
  parser.expectEnd();
  return node;
}

class Parser {
  private i = 0;
  private nesting = 0;
  private closures = 0;
  private readonly depths = new WeakMap<Node, number>();

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private is(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'op' && t.value === value;
  }

  private expect(value: string): Token {
    if (!this.is(value))
      fail(`expected "${value}" but found ${describe(this.peek())}`, this.peek().pos, 'syntax');
    return this.next();
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.type !== 'eof') fail(`unexpected token ${describe(t)}`, t.pos, 'syntax');
  }

  private make(node: Node, ...children: (Node | undefined)[]): Node {
    let depth = 1;
    for (const child of children) {
      if (child !== undefined) depth = Math.max(depth, (this.depths.get(child) ?? 1) + 1);
    }
    if (depth > MAX_AST_DEPTH)
      fail(`expression nested deeper than ${MAX_AST_DEPTH} levels`, node.pos, 'limit');
    this.depths.set(node, depth);
    return node;
  }

  expression(minPrec: number): Node {
    if (++this.nesting > MAX_AST_DEPTH) {
      fail(`expression nested deeper than ${MAX_AST_DEPTH} levels`, this.peek().pos, 'limit');
    }
    let left = this.unary();
    for (
      let info = this.binaryAhead();
      info !== undefined && info.prec >= minPrec;
      info = this.binaryAhead()
    ) {
      left = this.binaryTail(left, info);
    }
    if (minPrec === 0 && this.is('?')) left = this.conditional(left);
    this.nesting--;
    return left;
  }

  private binaryAhead(): (BinaryInfo & { negated: boolean }) | undefined {
    const t = this.peek();
    if (t.type === 'ident' && t.value === 'not') {
      const after = this.peek(1);
      const info = after.type === 'ident' && NEGATABLE.has(after.value) ? lookup(BINARY, after) : undefined;
      return info === undefined ? undefined : { ...info, negated: true };
    }
    const info = lookup(BINARY, t);
    return info === undefined ? undefined : { ...info, negated: false };
  }

  private binaryTail(left: Node, info: BinaryInfo & { negated: boolean }): Node {
    const opToken = this.next();
    if (info.negated) this.next();
    const right = this.expression(info.right === true ? info.prec : info.prec + 1);
    checkBinaryTypes(info.op, left, right, opToken.pos);
    const node = this.make({ type: 'binary', op: info.op, left, right, pos: opToken.pos }, left, right);
    return info.negated ? this.make({ type: 'unary', op: '!', operand: node, pos: opToken.pos }, node) : node;
  }

  private conditional(test: Node): Node {
    const q = this.expect('?');
    const then = this.expression(0);
    this.expect(':');
    const otherwise = this.expression(0);
    return this.make({ type: 'conditional', test, then, otherwise, pos: q.pos }, test, then, otherwise);
  }

  private unary(): Node {
    const t = this.peek();
    const info = lookup(UNARY, t);
    if (info === undefined) return this.postfix(this.primary());
    this.next();
    const operand = this.expression(info.prec);
    checkUnaryType(info.op, operand, t.pos);
    return this.make({ type: 'unary', op: info.op, operand, pos: t.pos }, operand);
  }

  private primary(): Node {
    const t = this.next();
    if (t.type === 'number') return this.make({ type: 'literal', value: t.num ?? Number.NaN, pos: t.pos });
    if (t.type === 'string') return this.make({ type: 'literal', value: t.value, pos: t.pos });
    if (t.type === 'ident') return this.identifier(t);
    if (t.type === 'op') return this.punctuation(t);
    return fail(`unexpected token ${describe(t)}`, t.pos, 'syntax');
  }

  private punctuation(t: Token): Node {
    if (t.value === '(') {
      const inner = this.expression(0);
      this.expect(')');
      return inner;
    }
    if (t.value === '[') return this.arrayLiteral(t);
    if (this.closures > 0 && t.value === '#') return this.make({ type: 'pointer', pos: t.pos });
    if (this.closures > 0 && t.value === '.' && this.peek().type === 'ident') {
      const pointer = this.make({ type: 'pointer', pos: t.pos });
      const name = this.next().value;
      if (BLOCKED_PROPERTIES.has(name))
        fail(`access to property ${name} is not allowed`, t.pos + 1, 'syntax');
      return this.make({ type: 'member', object: pointer, name, optional: false, pos: t.pos }, pointer);
    }
    if (t.value === '#') fail('# can only be used inside a predicate closure', t.pos, 'syntax');
    if (t.value === '{') fail('closures are only allowed as predicate arguments', t.pos, 'syntax');
    return fail(`unexpected token ${describe(t)}`, t.pos, 'syntax');
  }

  private identifier(t: Token): Node {
    if (t.value === 'true' || t.value === 'false') {
      return this.make({ type: 'literal', value: t.value === 'true', pos: t.pos });
    }
    if (t.value === 'nil') return this.make({ type: 'literal', value: null, pos: t.pos });
    if (KEYWORDS.has(t.value)) fail(`unexpected token ${describe(t)}`, t.pos, 'syntax');
    if (this.is('(')) return this.call(t);
    if (t.value === 'result') return this.make({ type: 'result', pos: t.pos });
    return fail(`unknown name ${t.value}`, t.pos, 'name');
  }

  private arrayLiteral(open: Token): Node {
    const items: Node[] = [];
    while (!this.is(']')) {
      items.push(this.expression(0));
      if (!this.is(']')) this.expect(',');
    }
    this.expect(']');
    return this.make({ type: 'array', items, pos: open.pos }, ...items);
  }

  private call(name: Token): Node {
    if (isPredicateName(name.value)) return this.predicate(name, name.value);
    if (!isFunctionName(name.value)) fail(`unknown func ${name.value}`, name.pos, 'name');
    this.expect('(');
    const args: Node[] = [];
    while (!this.is(')')) {
      args.push(this.expression(0));
      if (!this.is(')')) this.expect(',');
    }
    this.expect(')');
    const [min, max] = FUNCTION_ARITY[name.value];
    if (args.length < min) fail(`not enough arguments to call ${name.value}`, name.pos, 'syntax');
    if (args.length > max) fail(`too many arguments to call ${name.value}`, name.pos, 'syntax');
    return this.make({ type: 'call', name: name.value, args, pos: name.pos }, ...args);
  }

  private predicate(name: Token, predicate: PredicateName): Node {
    this.expect('(');
    const subject = this.expression(0);
    if (!this.is(','))
      fail(`${predicate} expects a predicate as its second argument`, this.peek().pos, 'syntax');
    this.next();
    this.closures++;
    const braced = this.is('{');
    if (braced) this.next();
    const body = this.expression(0);
    if (braced) this.expect('}');
    this.closures--;
    if (this.is(',')) this.next();
    this.expect(')');
    return this.make({ type: 'predicate', name: predicate, subject, body, pos: name.pos }, subject, body);
  }

  private postfix(start: Node): Node {
    let node = start;
    for (;;) {
      if (this.is('.') || this.is('?.')) node = this.member(node);
      else if (this.is('[')) node = this.indexOrSlice(node, false);
      else return node;
    }
  }

  private member(object: Node): Node {
    const dot = this.next();
    const optional = dot.value === '?.';
    if (optional && this.is('[')) return this.indexOrSlice(object, true);
    const name = this.next();
    if (name.type !== 'ident') fail(`expected a property name after "${dot.value}"`, name.pos, 'syntax');
    if (this.is('(')) fail(`method calls are not supported: ${name.value}()`, name.pos, 'syntax');
    if (BLOCKED_PROPERTIES.has(name.value))
      fail(`access to property ${name.value} is not allowed`, name.pos, 'syntax');
    return this.make({ type: 'member', object, name: name.value, optional, pos: dot.pos }, object);
  }

  private indexOrSlice(object: Node, optional: boolean): Node {
    const open = this.expect('[');
    const from = this.is(':') ? undefined : this.expression(0);
    if (from !== undefined && !this.is(':')) {
      this.expect(']');
      return this.make({ type: 'index', object, index: from, optional, pos: open.pos }, object, from);
    }
    this.expect(':');
    const to = this.is(']') ? undefined : this.expression(0);
    this.expect(']');
    return this.make({ type: 'slice', object, from, to, pos: open.pos }, object, from, to);
  }
}
