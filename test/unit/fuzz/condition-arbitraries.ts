import fc from 'fast-check';

const BINARY = [
  '**',
  '*',
  '/',
  '%',
  '+',
  '-',
  '..',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'in',
  'not in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  '&&',
  '||',
  'and',
  'or',
  '??',
];
const UNARY = ['!', '-', '+', 'not '];
const FUNCTIONS = ['len', 'abs', 'asInt', 'asFloat', 'isNaN', 'isInf', 'isNil', 'default', 'nope'];
const PREDICATES = ['all', 'any', 'none', 'one', 'filter', 'map', 'count'];
const MEMBERS = ['value', 'length', 'constructor', '__proto__', 'toString', 'a', 'b'];

const literal: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
  fc.constantFrom('nil', 'true', 'false', 'NaN', 'Infinity', '1e308', '0.0', '"[a-z"', '"(a+)+$"', '"é"'),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);
const leaf: fc.Arbitrary<string> = fc.oneof(literal, fc.constantFrom('result', '#', 'result[0]', 'foo'));

/**
 * Condition sources built from random ASTs of the language (literals, `result`, members, indexes,
 * slices, calls, predicates, arrays, unary/binary operators, ternaries), well-formed or nearly so; the
 * depth of the tree is bounded by fast-check's `maxDepth`.
 */
export const conditionSource: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('expr'), fc.constantFrom(...BINARY), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom(...UNARY), tie('expr')).map(([op, a]) => `${op}${a}`),
    fc
      .tuple(tie('expr'), fc.constantFrom(...MEMBERS), fc.boolean())
      .map(([a, m, o]) => `${a}${o ? '?.' : '.'}${m}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, i]) => `${a}[${i}]`),
    fc
      .tuple(tie('expr'), fc.option(tie('expr')), fc.option(tie('expr')))
      .map(([a, f, t]) => `${a}[${f ?? ''}:${t ?? ''}]`),
    fc
      .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('expr'), { maxLength: 3 }))
      .map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(fc.constantFrom(...PREDICATES), tie('expr'), tie('expr')).map(([p, s, b]) => `${p}(${s}, ${b})`),
    fc.array(tie('expr'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
  ),
})).expr;

/** Any string at all, including lone surrogates and control characters, up to past the 4 KiB limit. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ maxLength: 5000 }),
  fc.integer({ min: 60, max: 400 }).map((n) => `${'('.repeat(n)}1${')'.repeat(n)}`),
  fc.integer({ min: 60, max: 400 }).map((n) => `${'!'.repeat(n)}true`),
);

/** A measurement value as providers produce it: numbers (NaN and infinities too), vectors, JSON, nil. */
export const measurementValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.array(fc.double(), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(undefined, null, Number.NaN, [Number.POSITIVE_INFINITY], '0.5', { value: 1 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}') as unknown),
);
