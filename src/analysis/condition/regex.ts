import { fail } from './errors.js';

/** Longest string `matches` will test; longer subjects are a runtime error, bounding backtracking time. */
export const MAX_MATCH_SUBJECT = 1024;

/** Most unbounded quantifiers (`*`, `+`, `{n,}`, `{n,m}` with m > 16) one pattern may contain. */
export const MAX_UNBOUNDED_QUANTIFIERS = 2;

const MAX_PATTERN = 512;

interface ScanState {
  out: string;
  unbounded: number;
  /** Per open group: whether it contains a quantifier or an alternation. */
  groups: boolean[];
  /** Whether the atom just closed was a group with a quantifier or alternation inside. */
  lastGroupRisky: boolean;
}

/**
 * Translates a Go RE2 pattern to a JavaScript `RegExp` with the same unanchored-search meaning, or throws a
 * fault at `offset`. Leading `(?flags)` become JS flags, `(?P<n>` becomes `(?<n>`, `\A`/`\z` become exact
 * anchors. Syntax RE2 rejects (backreferences, lookaround) and shapes that backtrack catastrophically
 * (quantified groups containing quantifiers or `|`, more than two unbounded quantifiers) are refused, so
 * together with `MAX_MATCH_SUBJECT` a match runs in bounded time.
 */
export function compileRegex(pattern: string, offset: number): RegExp {
  if (pattern.length > MAX_PATTERN) fail(`regexp longer than ${MAX_PATTERN} characters`, offset, 'limit');
  const flagMatch = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  let flags = '';
  let body = pattern;
  if (flagMatch !== null) {
    const letters = flagMatch[1] ?? '';
    if (!/^[ims]+$/.test(letters)) fail(`unsupported regexp flags (?${letters})`, offset, 'syntax');
    flags = [...new Set(letters)].join('');
    body = pattern.slice(flagMatch[0].length);
  }
  const state: ScanState = { out: '', unbounded: 0, groups: [], lastGroupRisky: false };
  let i = 0;
  while (i < body.length) i = scanOne(body, i, state, offset);
  if (state.groups.length > 0) fail('error parsing regexp: missing closing )', offset, 'syntax');
  if (state.unbounded > MAX_UNBOUNDED_QUANTIFIERS) {
    fail(`regexp has more than ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers`, offset, 'limit');
  }
  try {
    return new RegExp(state.out, flags);
  } catch (e) {
    return fail(`error parsing regexp: ${e instanceof Error ? e.message : String(e)}`, offset, 'syntax');
  }
}

function markRisky(state: ScanState): void {
  if (state.groups.length > 0) state.groups[state.groups.length - 1] = true;
}

function scanOne(body: string, i: number, state: ScanState, offset: number): number {
  const c = body[i] as string;
  if (c === '\\') return scanEscape(body, i, state, offset);
  if (c === '[') return scanClass(body, i, state, offset);
  if (c === '(') return scanGroupOpen(body, i, state, offset);
  if (c === ')') {
    if (state.groups.length === 0) fail('error parsing regexp: unexpected )', offset, 'syntax');
    state.lastGroupRisky = state.groups.pop() === true;
    if (state.lastGroupRisky) markRisky(state);
    state.out += c;
    return i + 1;
  }
  if (c === '|') markRisky(state);
  if (c === '*' || c === '+' || c === '?' || c === '{') return scanQuantifier(body, i, state, offset);
  state.lastGroupRisky = false;
  state.out += c;
  return i + 1;
}

function scanQuantifier(body: string, i: number, state: ScanState, offset: number): number {
  const c = body[i] as string;
  let end = i + 1;
  let unbounded = c === '*' || c === '+';
  let repeats = c !== '?';
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(body.slice(i));
    if (m === null) {
      state.out += '\\{';
      state.lastGroupRisky = false;
      return i + 1;
    }
    end = i + m[0].length;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    unbounded = max > 16;
    repeats = max > 1;
  }
  if (repeats && state.lastGroupRisky) {
    fail(
      'regexp repeats a group that contains a quantifier or |; this can backtrack catastrophically',
      offset,
      'limit',
    );
  }
  if (unbounded) state.unbounded++;
  markRisky(state);
  if (body[end] === '?') end++;
  state.out += body.slice(i, end);
  state.lastGroupRisky = false;
  return end;
}

function scanEscape(body: string, i: number, state: ScanState, offset: number): number {
  const next = body[i + 1];
  state.lastGroupRisky = false;
  if (next === undefined)
    fail('error parsing regexp: trailing backslash at end of expression', offset, 'syntax');
  if (/[1-9k]/.test(next)) fail('regexp backreferences are not supported (RE2 syntax)', offset, 'syntax');
  if (/[pPQEC]/.test(next)) fail(`regexp escape \\${next} is not supported`, offset, 'syntax');
  if (next === 'A') state.out += '(?<![\\s\\S])';
  else if (next === 'z') state.out += '(?![\\s\\S])';
  else state.out += `\\${next}`;
  return i + 2;
}

function scanClass(body: string, i: number, state: ScanState, offset: number): number {
  let end = i + 1;
  if (body[end] === '^') end++;
  if (body[end] === ']') end++;
  while (end < body.length && body[end] !== ']') {
    if (body.startsWith('[:', end)) fail('POSIX character classes are not supported', offset, 'syntax');
    end += body[end] === '\\' ? 2 : 1;
  }
  if (end >= body.length) fail('error parsing regexp: missing closing ]', offset, 'syntax');
  const inner = body.slice(i + 1, end).replace(/^(\^?)\]/, '$1\\]');
  state.out += `[${inner}]`;
  state.lastGroupRisky = false;
  return end + 1;
}

function scanGroupOpen(body: string, i: number, state: ScanState, offset: number): number {
  const rest = body.slice(i);
  let prefix = '(';
  if (rest.startsWith('(?:')) prefix = '(?:';
  else if (rest.startsWith('(?P<')) prefix = '(?<';
  else if (rest.startsWith('(?<') && !/^\(\?<[=!]/.test(rest)) prefix = '(?<';
  else if (rest.startsWith('(?'))
    fail('regexp lookaround and inline flag groups are not supported', offset, 'syntax');
  state.groups.push(false);
  state.out += prefix;
  const consumed = prefix === '(?<' && rest.startsWith('(?P<') ? 4 : prefix.length;
  return i + consumed;
}
