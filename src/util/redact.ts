/**
 * Masking of secret values in any text that may leave the process (logs, Events, status, metrics), in
 * whatever form the value took on the way: raw, JSON-escaped (`\"`, `\\`, `\/`, `\u00e9`, also escaped
 * again), percent-encoded (either hex case, `+` for a space), any mix of those per character, and
 * base64 (standard or URL-safe, padded or not, standalone or at any offset inside a longer base64 text).
 * Secrets of every length are masked: a one-character secret masks every occurrence of that character.
 */

const MAX_CACHED = 256;
/** Base64 fragments shorter than this are not masked inside longer base64 text (they match by chance). */
const MIN_BASE64_FRAGMENT = 4;
const patterns = new Map<string, RegExp>();

const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '"',
  '/': '/',
  '\n': 'n',
  '\r': 'r',
  '\t': 't',
  '\b': 'b',
  '\f': 'f',
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A hex number as a pattern matching either letter case, zero-padded to `width`. */
function hexPattern(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Everything one character of a secret may have become: itself, %XX bytes, JSON escapes, `+` for space. */
function characterPattern(ch: string): string {
  // A backslash stays one or more backslashes however often it was JSON-escaped.
  const alternatives = [ch === '\\' ? '\\\\+' : escapeRegex(ch)];
  alternatives.push([...utf8(ch)].map((b) => `%${hexPattern(b, 2)}`).join(''));
  const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i));
  alternatives.push(units.map((u) => `\\\\+u${hexPattern(u, 4)}`).join(''));
  const short = JSON_SHORT[ch];
  if (short !== undefined) alternatives.push(`\\\\+${escapeRegex(short)}`);
  if (ch === ' ') alternatives.push('\\+');
  return `(?:${alternatives.join('|')})`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * The base64 text of `secret` as it appears standalone (padded and unpadded) and, for each of the three
 * byte offsets it can start at inside a longer value (e.g. `user:secret`), the characters that depend on
 * the secret's bytes alone.
 */
function base64Forms(secret: string): string[] {
  const bytes = utf8(secret);
  const padded = toBase64(bytes);
  const forms = [padded, padded.replace(/=+$/, '')];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const text = toBase64(shifted);
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    forms.push(text.slice(first, end));
  }
  const urlSafe = forms.map((f) => f.replace(/\+/g, '-').replace(/\//g, '_'));
  return [...new Set([...forms, ...urlSafe])].filter((f) => f.length >= MIN_BASE64_FRAGMENT);
}

function patternFor(secret: string): RegExp {
  const cached = patterns.get(secret);
  if (cached !== undefined) return cached;
  const encoded = base64Forms(secret)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex);
  const characters = Array.from(secret, characterPattern).join('');
  const pattern = new RegExp([characters, ...encoded].join('|'), 'g');
  if (patterns.size >= MAX_CACHED) patterns.delete(patterns.keys().next().value as string);
  patterns.set(secret, pattern);
  return pattern;
}

/**
 * `text` with every occurrence of every non-empty secret, in any of the encodings above, replaced by
 * `mask`. Longer secrets are masked first, so a secret containing another is masked whole.
 */
export function redactText(text: string, secrets: Iterable<string>, mask: string): string {
  const ordered = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of ordered) out = out.replace(patternFor(secret), mask);
  return out;
}

/**
 * A copy of a JSON-like value with `redactText` applied to every string in it (object keys included);
 * numbers, booleans and null pass through. The input is not modified.
 */
export function redactDeep<T>(value: T, secrets: Iterable<string>, mask: string): T {
  const list = [...secrets].filter((s) => s !== '');
  if (list.length === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redactText(item, list, mask);
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== 'object') return item;
    return Object.fromEntries(Object.entries(item).map(([k, v]) => [redactText(k, list, mask), walk(v)]));
  };
  return walk(value) as T;
}
