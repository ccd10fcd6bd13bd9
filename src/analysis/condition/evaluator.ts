import type { Node } from './ast.js';
import { callFunction, runPredicate } from './builtins.js';
import { fail } from './errors.js';
import { applyBinary, applyUnary, type OperatorContext } from './operators.js';
import { getIndex, getMember, getSlice, isNil, typeName } from './values.js';

/** Default number of evaluation steps (node visits, elements iterated or compared) one evaluation may take. */
export const DEFAULT_STEP_BUDGET = 100_000;

/**
 * Mutable per-evaluation state. A fresh context is created for every evaluation, so compiled ASTs stay
 * shareable; `pointers` is the stack of `#` bindings of the enclosing predicate closures.
 */
export class EvalContext implements OperatorContext {
  private steps = 0;
  /** Offset of the node being evaluated, for the position of a budget error. */
  at = 0;
  readonly pointers: unknown[] = [];

  constructor(
    readonly result: unknown,
    readonly regexps: ReadonlyMap<string, RegExp>,
    private readonly budget: number,
  ) {}

  spend(n: number): void {
    this.steps += n;
    if (this.steps > this.budget) {
      fail(`evaluation exceeded the step budget of ${this.budget}`, this.at, 'limit');
    }
  }
}

function requireBool(v: unknown, what: string, pos: number): boolean {
  if (typeof v !== 'boolean') {
    const hint = Array.isArray(v) ? '; result is a list: use result[0] or all(result, {...})' : '';
    return fail(`invalid operation: ${what} (operand is ${typeName(v)}, want bool)${hint}`, pos);
  }
  return v;
}

function evaluateLazy(node: Node & { type: 'binary' }, ctx: EvalContext): unknown {
  const left = evaluate(node.left, ctx);
  if (node.op === '??') return isNil(left) ? evaluate(node.right, ctx) : left;
  const l = requireBool(left, node.op, node.pos);
  if (node.op === '&&' ? !l : l) return l;
  return requireBool(evaluate(node.right, ctx), node.op, node.pos);
}

function evaluatePredicate(node: Node & { type: 'predicate' }, ctx: EvalContext): unknown {
  const subject = evaluate(node.subject, ctx);
  return runPredicate(
    node.name,
    subject,
    (item) => {
      ctx.spend(1);
      ctx.pointers.push(item);
      try {
        return evaluate(node.body, ctx);
      } finally {
        ctx.pointers.pop();
      }
    },
    node.pos,
  );
}

function evaluateAccess(node: Node & { type: 'member' | 'index' | 'slice' }, ctx: EvalContext): unknown {
  const object = evaluate(node.object, ctx);
  if (node.type === 'member') return getMember(object, node.name, node.optional, node.pos);
  if (node.type === 'index') {
    if (node.optional && isNil(object)) return null;
    return getIndex(object, evaluate(node.index, ctx), node.pos);
  }
  const from = node.from === undefined ? null : evaluate(node.from, ctx);
  const to = node.to === undefined ? null : evaluate(node.to, ctx);
  return getSlice(object, from, to, node.pos);
}

/**
 * Evaluates `node` against `ctx`, charging one step per node. Returns a JSON-like value (null for nil);
 * throws a positioned `ConditionFault` for type errors, out-of-range access, blocked properties and
 * exhausted budgets. Recursion depth is bounded by the AST depth limit.
 */
export function evaluate(node: Node, ctx: EvalContext): unknown {
  ctx.at = node.pos;
  ctx.spend(1);
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'result':
      return ctx.result ?? null;
    case 'pointer':
      return ctx.pointers[ctx.pointers.length - 1] ?? null;
    case 'member':
    case 'index':
    case 'slice':
      return evaluateAccess(node, ctx);
    case 'call':
      return callFunction(
        node.name,
        node.args.map((arg) => evaluate(arg, ctx)),
        ctx.result,
        node.pos,
      );
    case 'predicate':
      return evaluatePredicate(node, ctx);
    case 'array':
      return node.items.map((item) => evaluate(item, ctx));
    case 'unary':
      return applyUnary(node.op, evaluate(node.operand, ctx), node.pos);
    case 'binary':
      if (node.op === '&&' || node.op === '||' || node.op === '??') return evaluateLazy(node, ctx);
      return applyBinary(node.op, evaluate(node.left, ctx), evaluate(node.right, ctx), node.pos, ctx);
    case 'conditional': {
      const test = requireBool(evaluate(node.test, ctx), '?:', node.pos);
      return evaluate(test ? node.then : node.otherwise, ctx);
    }
  }
}
