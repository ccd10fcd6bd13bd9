import { parseGoDuration } from '../../api/index.js';
import type { Result } from '../core/index.js';

type Value = { readonly kind: 'time' | 'duration'; readonly ms: number };

const TOKEN = /\s*(?:(now|duration|date)\s*\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')?\s*\)|([+-]))/y;

interface Token {
  readonly fn?: string;
  readonly arg?: string;
  readonly op?: '+' | '-';
}

function tokenize(text: string): Result<Token[]> {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) {
      const rest = text.slice(at).trimStart();
      if (rest === '') break;
      const position = text.length - rest.length + 1;
      return { ok: false, error: `unexpected "${rest.slice(0, 20).trimEnd()}" at position ${position}` };
    }
    if (m[4] !== undefined) tokens.push({ op: m[4] as '+' | '-' });
    else tokens.push({ fn: m[1], arg: m[2] ?? m[3] });
  }
  return { ok: true, value: tokens };
}

function operand(token: Token | undefined, now: Date): Result<Value> {
  if (token?.fn === undefined) return { ok: false, error: 'expected now(), duration("…") or date("…")' };
  if (token.fn === 'now') {
    if (token.arg !== undefined) return { ok: false, error: 'now() takes no argument' };
    return { ok: true, value: { kind: 'time', ms: now.getTime() } };
  }
  if (token.arg === undefined) return { ok: false, error: `${token.fn}() needs a quoted argument` };
  if (token.fn === 'duration') {
    const ms = parseGoDuration(token.arg);
    if (ms === undefined) return { ok: false, error: `invalid duration "${token.arg}"` };
    return { ok: true, value: { kind: 'duration', ms } };
  }
  const ms = Date.parse(token.arg);
  if (Number.isNaN(ms)) return { ok: false, error: `invalid date "${token.arg}"` };
  return { ok: true, value: { kind: 'time', ms } };
}

function combine(left: Value, op: '+' | '-', right: Value): Result<Value> {
  const ms = op === '+' ? left.ms + right.ms : left.ms - right.ms;
  if (left.kind === 'duration' && right.kind === 'duration')
    return { ok: true, value: { kind: 'duration', ms } };
  if (right.kind === 'duration') return { ok: true, value: { kind: 'time', ms } };
  if (op === '+' && left.kind === 'duration') return { ok: true, value: { kind: 'time', ms } };
  if (op === '-' && left.kind === 'time') return { ok: true, value: { kind: 'duration', ms } };
  return { ok: false, error: `invalid operation: ${left.kind} ${op} ${right.kind}` };
}

/**
 * Evaluates a `rangeQuery.start`/`end` expression — the subset of expr-lang date arithmetic Argo's docs use:
 * `now()`, `duration("1h")` (Go duration), `date("2026-01-02T03:04:05Z")`, joined by `+`/`-` — to a time,
 * with `now()` bound to `now`. Anything else, or a result that is not a time, is an error.
 */
export function evalTimeExpression(text: string, now: Date): Result<Date> {
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  if (tokens.value.length === 0) return { ok: false, error: 'expression is empty' };
  let acc = operand(tokens.value[0], now);
  for (let i = 1; i < tokens.value.length && acc.ok; i += 2) {
    const op = tokens.value[i]?.op;
    if (op === undefined) return { ok: false, error: 'expected + or - between operands' };
    const right = operand(tokens.value[i + 1], now);
    acc = right.ok ? combine(acc.value, op, right.value) : right;
  }
  if (!acc.ok) return acc;
  if (acc.value.kind !== 'time') return { ok: false, error: 'expected a time, but got a duration' };
  return { ok: true, value: new Date(acc.value.ms) };
}
