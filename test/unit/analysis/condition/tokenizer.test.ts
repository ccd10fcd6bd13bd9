import { describe, expect, it } from 'vitest';
import { ConditionFault } from '../../../../src/analysis/condition/errors.js';
import { tokenize } from '../../../../src/analysis/condition/tokenizer.js';

const kinds = (source: string): string[] => tokenize(source).map((t) => `${t.type}:${t.value}`);

function faultOf(source: string): ConditionFault {
  try {
    tokenize(source);
  } catch (e) {
    if (e instanceof ConditionFault) return e;
    throw e;
  }
  throw new Error(`expected ${source} not to tokenize`);
}

describe('tokenize', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['0.95', 0.95],
    ['1e3', 1000],
    ['1.5E-3', 0.0015],
    ['2e+2', 200],
    ['1_000_000', 1_000_000],
    ['0x1F', 31],
    ['0XfF', 255],
  ])('reads the number %s', (source, value) => {
    const [token] = tokenize(source);
    expect(token).toMatchObject({ type: 'number', num: value, pos: 0 });
  });

  it.each([
    [`"plain"`, 'plain'],
    [`'single'`, 'single'],
    [`"it's"`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    [`"a\\nb\\tc"`, 'a\nb\tc'],
    [`'\\'\\"\\\\'`, `'"\\`],
    [`"\\x41\\u00e9\\U0001F600"`, 'Aé😀'],
    [`"\\101"`, 'A'],
    ['`raw \\n stays`', 'raw \\n stays'],
    [`""`, ''],
  ])('reads the string %s', (source, value) => {
    expect(tokenize(source)[0]).toMatchObject({ type: 'string', value });
  });

  it('prefers the longest operator', () => {
    expect(kinds('a**b..c??d?.e<=f>=g==h!=i&&j||k')).toEqual([
      'ident:a',
      'op:**',
      'ident:b',
      'op:..',
      'ident:c',
      'op:??',
      'ident:d',
      'op:?.',
      'ident:e',
      'op:<=',
      'ident:f',
      'op:>=',
      'ident:g',
      'op:==',
      'ident:h',
      'op:!=',
      'ident:i',
      'op:&&',
      'ident:j',
      'op:||',
      'ident:k',
      'eof:',
    ]);
  });

  it('does not read the first dot of a range as a decimal point', () => {
    expect(kinds('1..3')).toEqual(['number:1', 'op:..', 'number:3', 'eof:']);
  });

  it('skips whitespace and comments and records offsets', () => {
    const tokens = tokenize('result /* c */ >= // line\n 0.9');
    expect(tokens.map((t) => [t.value, t.pos])).toEqual([
      ['result', 0],
      ['>=', 15],
      ['0.9', 27],
      ['', 30],
    ]);
  });

  it.each([
    ['"open', 0, /unterminated string/],
    ['1 + "a\nb"', 4, /unterminated string/],
    ['"bad \\q"', 5, /invalid escape \\q/],
    ['"\\x4"', 1, /invalid escape \\x/],
    ['"\\UFFFFFFFF"', 1, /invalid Unicode code point/],
    ['"\\777"', 1, /above \\377/],
    ['1e', 0, /missing exponent/],
    ['12abc', 0, /invalid number/],
    ['0x', 0, /invalid hex/],
    ['result @ 1', 7, /unexpected character "@"/],
    ['1 /* never closed', 2, /unterminated comment/],
  ])('rejects %j at offset %d', (source, offset, message) => {
    const fault = faultOf(source);
    expect(fault.kind).toBe('syntax');
    expect(fault.offset).toBe(offset);
    expect(fault.message).toMatch(message);
  });
});
