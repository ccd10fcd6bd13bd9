/** Labels of one series, e.g. `{ __name__: 'up', job: 'api' }`. */
export type PromLabels = Readonly<Record<string, string>>;

/** One series of a vector (one value) or matrix (one value per step), values in response order. */
export interface PromSeries {
  readonly metric: PromLabels;
  readonly values: readonly number[];
  /** Sample timestamps in Unix seconds, parallel to `values`. */
  readonly timestamps: readonly number[];
}

/**
 * A decoded query result. `value` is what Argo hands to conditions as `result`: scalar → number,
 * string → string, vector → one number per series ([] when empty), matrix → all samples of all series
 * flattened in order. NaN and ±Inf are preserved.
 */
export type PromResult =
  | { readonly resultType: 'scalar'; readonly value: number }
  | { readonly resultType: 'string'; readonly value: string }
  | {
      readonly resultType: 'vector' | 'matrix';
      readonly value: number[];
      readonly series: readonly PromSeries[];
    };

/** Thrown by the decoders on a response that does not have the Prometheus API shape; the client wraps it. */
export class PromShapeError extends Error {
  override readonly name = 'PromShapeError';
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a sample value string as Prometheus encodes it: `"NaN"`, `"+Inf"`, `"-Inf"` (also `"Inf"`, any
 * case) or a decimal float. Anything else is a `PromShapeError`; never returns NaN for garbage.
 */
export function parseSampleValue(text: unknown): number {
  if (typeof text !== 'string') throw new PromShapeError(`sample value is ${typeof text}, want string`);
  if (/^nan$/i.test(text)) return Number.NaN;
  const inf = /^([+-]?)inf$/i.exec(text);
  if (inf !== null) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (!DECIMAL.test(text))
    throw new PromShapeError(`invalid sample value ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parsePair(pair: unknown): { t: number; v: unknown } {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number') {
    throw new PromShapeError('sample is not a [timestamp, "value"] pair');
  }
  return { t: pair[0], v: pair[1] };
}

function parseLabels(metric: unknown): PromLabels {
  if (metric === undefined) return {};
  if (!isObject(metric)) throw new PromShapeError('series "metric" is not an object');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(metric)) {
    if (typeof v !== 'string') throw new PromShapeError(`label ${JSON.stringify(k)} is not a string`);
    labels[k] = v;
  }
  return labels;
}

function parseSeries(item: unknown, matrix: boolean): PromSeries {
  if (!isObject(item)) throw new PromShapeError('series is not an object');
  if (item.histogram !== undefined || item.histograms !== undefined) {
    throw new PromShapeError('native histogram samples are not supported; query a float series');
  }
  const raw = matrix ? item.values : [item.value];
  if (!Array.isArray(raw)) throw new PromShapeError(`series has no "${matrix ? 'values' : 'value'}"`);
  const pairs = raw.map(parsePair);
  return {
    metric: parseLabels(item.metric),
    values: pairs.map((p) => parseSampleValue(p.v)),
    timestamps: pairs.map((p) => p.t),
  };
}

/**
 * Decodes the `data` member of a successful query response. Throws `PromShapeError` for an unknown
 * `resultType` or a malformed result; vectors and matrices keep series order.
 */
export function decodeResult(data: unknown): PromResult {
  if (!isObject(data)) throw new PromShapeError('"data" is not an object');
  const { resultType, result } = data;
  if (resultType === 'scalar' || resultType === 'string') {
    const { v } = parsePair(result);
    if (resultType === 'scalar') return { resultType, value: parseSampleValue(v) };
    if (typeof v !== 'string') throw new PromShapeError('string result value is not a string');
    return { resultType, value: v };
  }
  if (resultType !== 'vector' && resultType !== 'matrix') {
    throw new PromShapeError(`unsupported resultType ${JSON.stringify(resultType)}`);
  }
  if (!Array.isArray(result)) throw new PromShapeError(`${resultType} result is not an array`);
  const series = result.map((item) => parseSeries(item, resultType === 'matrix'));
  return { resultType, value: series.flatMap((s) => s.values), series };
}

/**
 * Formats a float as Go's `strconv.FormatFloat(f, 'f', -1, 64)` does (shortest round-trip digits, no
 * exponent): `0.99`, `1000000000000000000000`, `0.0000001`, `NaN`, `+Inf`, `-Inf`.
 */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const text = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return text;
  const [, sign, lead, frac = '', expText] = m;
  const digits = `${lead}${frac}`;
  const exp = Number(expText);
  if (exp >= 0) return `${sign}${digits.padEnd(exp + 1, '0')}`;
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/**
 * The measurement `value` text Argo stores: a scalar as its number, a vector or matrix as `[v1,v2]`
 * (`[]` when empty), a string as itself.
 */
export function formatResultValue(result: PromResult): string {
  if (result.resultType === 'string') return result.value;
  if (result.resultType === 'scalar') return formatGoFloat(result.value);
  return `[${result.value.map(formatGoFloat).join(',')}]`;
}
