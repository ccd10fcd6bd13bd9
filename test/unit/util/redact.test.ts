import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactDeep, redactText } from '../../../src/util/redact.js';

const MASK = '*****';
/** Characters that every encoding writes differently. */
const AWKWARD = 'tok-a+b/c=d"e\\f&g%h é<i>j\'k l\n€😀';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** How a secret can end up in a message, each a function of the secret. */
const ENCODINGS: Record<string, (s: string) => string> = {
  raw: (s) => s,
  'JSON-escaped': (s) => JSON.stringify(s).slice(1, -1),
  'JSON-escaped twice': (s) => JSON.stringify(JSON.stringify(s)).slice(1, -1),
  'JSON with \\u escapes': (s) =>
    [...s].map((c) => (/[a-z0-9]/i.test(c) ? c : JSON.stringify(c).slice(1, -1))).join(''),
  'Go JSON (\\u003c for <)': (s) =>
    JSON.stringify(s).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'),
  encodeURIComponent: encodeURIComponent,
  'encodeURIComponent, lower-case hex': (s) =>
    encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  encodeURI: encodeURI,
  'form-encoded': (s) => new URLSearchParams({ q: s }).toString().slice(2),
  'URL userinfo': (s) => {
    const url = new URL('http://u@host/');
    url.password = s;
    return url.toString();
  },
  base64,
  'base64 without padding': (s) => base64(s).replace(/=+$/, ''),
  base64url,
  'base64 of user:secret (Basic auth)': (s) => base64(`user:${s}`),
  'base64 at offset 1': (s) => base64(`x${s}yz`),
  'base64 at offset 2': (s) => base64(`xy${s}z`),
};

describe('redactText', () => {
  it.each(Object.entries(ENCODINGS))('masks a secret with awkward characters: %s', (_name, encode) => {
    const encoded = encode(AWKWARD);
    const out = redactText(`before ${encoded} after`, [AWKWARD], MASK);
    expect(out).toContain(MASK);
    expect(out.startsWith('before ')).toBe(true);
    for (const form of Object.values(ENCODINGS)) {
      const text = form(AWKWARD);
      if (text.length >= 8) expect(out).not.toContain(text.slice(2, -2));
    }
  });

  it('masks secrets of every length, one character included', () => {
    expect(redactText('a1b1c', ['1'], MASK)).toBe(`a${MASK}b${MASK}c`);
    expect(redactText('pw=ab; enc=YWI=', ['ab'], MASK)).toBe(`pw=${MASK}; enc=${MASK}`);
    expect(redactText('"x\\"y"', ['x"y'], MASK)).toBe(`"${MASK}"`);
  });

  it('masks the longer of two overlapping secrets whole, and leaves other text alone', () => {
    expect(redactText('key=abcdef other=abc', ['abc', 'abcdef'], MASK)).toBe(`key=${MASK} other=${MASK}`);
    expect(redactText('nothing to hide', ['s3cr3t'], MASK)).toBe('nothing to hide');
    expect(redactText('text', [''], MASK)).toBe('text');
  });

  it('holds for any secret of 4+ characters in any of the encodings (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 40, unit: 'binary' }),
        fc.constantFrom(...Object.keys(ENCODINGS)),
        fc.string({ maxLength: 10 }),
        (secret, encoding, around) => {
          const encode = ENCODINGS[encoding] as (s: string) => string;
          const out = redactText(`${around}${encode(secret)}${around}`, [secret], MASK);
          expect(out.includes(secret)).toBe(false);
          expect(out.includes(JSON.stringify(secret).slice(1, -1))).toBe(false);
          expect(out.includes(encodeURIComponent(secret))).toBe(false);
          expect(out.includes(base64(secret))).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('redactDeep', () => {
  it('masks every string of a JSON-like value, keys included, without changing the input', () => {
    const input = { message: 'got s3cr3t', list: ['x', 's3cr3t'], n: 1, ok: true, none: null, s3cr3t: 'k' };
    expect(redactDeep(input, ['s3cr3t'], MASK)).toEqual({
      message: `got ${MASK}`,
      list: ['x', MASK],
      n: 1,
      ok: true,
      none: null,
      [MASK]: 'k',
    });
    expect(input.message).toBe('got s3cr3t');
  });
});
