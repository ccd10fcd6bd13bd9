import { describe, expect, it } from 'vitest';
import {
  decodeResult,
  formatGoFloat,
  formatResultValue,
  PromShapeError,
  parseSampleValue,
} from '../../../src/analysis/providers/prometheus-value.js';

describe('parseSampleValue', () => {
  it.each([
    ['0.99', 0.99],
    ['1', 1],
    ['-2.5e-3', -0.0025],
    ['NaN', Number.NaN],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
  ])('parses %s', (text, expected) => {
    expect(parseSampleValue(text)).toEqual(expected);
  });

  it.each(['', 'abc', '0x10', '1,5', ' 1', 'Infinity'])('rejects %j', (text) => {
    expect(() => parseSampleValue(text)).toThrow(PromShapeError);
  });

  it('rejects a non-string', () => {
    expect(() => parseSampleValue(1)).toThrow(/want string/);
  });
});

describe('formatGoFloat (strconv.FormatFloat(f, "f", -1, 64))', () => {
  it.each([
    [0.99, '0.99'],
    [1, '1'],
    [-0.5, '-0.5'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('formats %d as %s', (value, text) => {
    expect(formatGoFloat(value)).toBe(text);
  });
});

describe('formatResultValue (the measurement value text Argo stores)', () => {
  it.each([
    [{ resultType: 'scalar', result: [1, '0.5'] }, '0.5'],
    [{ resultType: 'string', result: [1, 'ok'] }, 'ok'],
    [{ resultType: 'vector', result: [] }, '[]'],
    [
      {
        resultType: 'vector',
        result: [
          { metric: {}, value: [1, '0.99'] },
          { metric: {}, value: [1, 'NaN'] },
        ],
      },
      '[0.99,NaN]',
    ],
  ])('formats %j as %s', (data, text) => {
    expect(formatResultValue(decodeResult(data))).toBe(text);
  });

  it('refuses native histogram samples', () => {
    const data = { resultType: 'vector', result: [{ metric: {}, histogram: [1, {}] }] };
    expect(() => decodeResult(data)).toThrow(/native histogram/);
  });
});
