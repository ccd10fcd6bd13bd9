import { fail } from './errors.js';

/** Lexical classes; keywords such as `and`, `in`, `true` arrive as `ident` and the parser decides. */
export type TokenType = 'number' | 'string' | 'ident' | 'op' | 'eof';

/**
 * One token. `value` is the operator or identifier text, or the decoded string contents; `num` is set
 * exactly for `number` tokens. `pos` is the 0-based offset of the first character.
 */
export interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly num?: number;
  readonly pos: number;
}

const OPERATORS = [
  '**',
  '..',
  '??',
  '?.',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '*',
  '/',
  '%',
  '+',
  '-',
  '.',
  '?',
  ':',
  '<',
  '>',
  '!',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
] as const;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$]/.test(c);

/**
 * Splits `source` into tokens ending with one `eof` token. Throws a `syntax` fault at the offending
 * offset for unterminated strings or comments, bad escapes, malformed numbers and unknown characters.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && (source[i + 1] === '/' || source[i + 1] === '*')) {
      i = skipComment(source, i);
    } else {
      const { token, end } = readToken(source, i, c);
      tokens.push(token);
      i = end;
    }
  }
  tokens.push({ type: 'eof', value: '', pos: source.length });
  return tokens;
}

function readToken(source: string, i: number, c: string): { token: Token; end: number } {
  if (isDigit(c)) return readNumber(source, i);
  if (c === '"' || c === "'" || c === '`') return readString(source, i);
  if (isIdentStart(c)) {
    let end = i + 1;
    while (isIdentPart(source[end])) end++;
    return { token: { type: 'ident', value: source.slice(i, end), pos: i }, end };
  }
  const op = OPERATORS.find((o) => source.startsWith(o, i));
  if (op === undefined) fail(`unexpected character ${JSON.stringify(c)}`, i, 'syntax');
  return { token: { type: 'op', value: op, pos: i }, end: i + op.length };
}

function skipComment(source: string, start: number): number {
  if (source[start + 1] === '/') {
    const nl = source.indexOf('\n', start);
    return nl === -1 ? source.length : nl + 1;
  }
  const close = source.indexOf('*/', start + 2);
  if (close === -1) fail('unterminated comment', start, 'syntax');
  return close + 2;
}

function readDigits(source: string, start: number, valid: (c: string | undefined) => boolean): number {
  let end = start;
  while (valid(source[end]) || (source[end] === '_' && valid(source[end + 1]) && end > start)) end++;
  return end;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /[0-9A-Fa-f]/.test(c);

function readDecimal(source: string, start: number): number {
  let end = readDigits(source, start, isDigit);
  if (source[end] === '.' && isDigit(source[end + 1])) end = readDigits(source, end + 1, isDigit);
  if (source[end] !== 'e' && source[end] !== 'E') return end;
  let expStart = end + 1;
  if (source[expStart] === '+' || source[expStart] === '-') expStart++;
  const expEnd = readDigits(source, expStart, isDigit);
  if (expEnd === expStart) fail('invalid float literal: missing exponent digits', start, 'syntax');
  return expEnd;
}

function readNumber(source: string, start: number): { token: Token; end: number } {
  let end: number;
  if (source[start] === '0' && (source[start + 1] === 'x' || source[start + 1] === 'X')) {
    end = readDigits(source, start + 2, isHex);
    if (end === start + 2) fail('invalid hex literal', start, 'syntax');
  } else {
    end = readDecimal(source, start);
  }
  if (isIdentPart(source[end])) fail('invalid number literal', start, 'syntax');
  const text = source.slice(start, end).replaceAll('_', '');
  return { token: { type: 'number', value: text, num: Number(text), pos: start }, end };
}

function readString(source: string, start: number): { token: Token; end: number } {
  const quote = source[start] as string;
  let out = '';
  let i = start + 1;
  while (i < source.length && source[i] !== quote) {
    const c = source[i] as string;
    if (c === '\\' && quote !== '`') {
      const decoded = readEscape(source, i);
      out += decoded.text;
      i = decoded.end;
    } else {
      if (c === '\n' && quote !== '`') break;
      out += c;
      i++;
    }
  }
  if (source[i] !== quote) fail('unterminated string literal', start, 'syntax');
  return { token: { type: 'string', value: out, pos: start }, end: i + 1 };
}

function readEscape(source: string, at: number): { text: string; end: number } {
  const c = source[at + 1];
  if (c === undefined) fail('unterminated string literal', at, 'syntax');
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, end: at + 2 };
  const widths: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
  const width = widths[c];
  if (width !== undefined) {
    const hex = source.slice(at + 2, at + 2 + width);
    if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) fail(`invalid escape \\${c}`, at, 'syntax');
    return { text: codePoint(Number.parseInt(hex, 16), at), end: at + 2 + width };
  }
  const octal = source.slice(at + 1, at + 4);
  if (/^[0-7]{3}$/.test(octal)) {
    const value = Number.parseInt(octal, 8);
    if (value > 255) fail('invalid octal escape: value above \\377', at, 'syntax');
    return { text: String.fromCharCode(value), end: at + 4 };
  }
  return fail(`invalid escape \\${c}`, at, 'syntax');
}

function codePoint(value: number, at: number): string {
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    fail('invalid Unicode code point in escape', at, 'syntax');
  }
  return String.fromCodePoint(value);
}
