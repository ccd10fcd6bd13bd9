import { type Argument, JUDGE_PLUGIN, type Metric } from '../../api/index.js';
import { redactText } from '../../util/redact.js';
import type { Result } from './types.js';

/** What a secret value is replaced with in messages, metadata and status. */
export const REDACTED = '*****';

/** An argument with its final text value; `secret` marks values that must never be shown. */
export interface ResolvedArg {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
}

/** The arguments of one AnalysisRun, in spec order. */
export type ResolvedArgs = readonly ResolvedArg[];

/**
 * Gives every run argument a value: a literal `value`, or for `valueFrom` the entry of `fromValueFrom`
 * (resolved by the reconciler from the Secret or field), or `REDACTED` as a placeholder while it is not
 * resolved. `valueFrom` wins over `value`, as in Argo. `secretKeyRef` values and placeholders are secret.
 * An argument with neither is the error `argument "x" was not supplied`, used or not (Argo's rule).
 */
export function resolveArgs(
  args: readonly Argument[] | undefined,
  fromValueFrom: Readonly<Record<string, string>> = {},
): Result<ResolvedArgs> {
  const resolved: ResolvedArg[] = [];
  for (const arg of args ?? []) {
    if (arg.valueFrom !== undefined) {
      const value = Object.hasOwn(fromValueFrom, arg.name) ? fromValueFrom[arg.name] : undefined;
      const secret = value === undefined || arg.valueFrom.secretKeyRef !== undefined;
      resolved.push({ name: arg.name, value: value ?? REDACTED, secret });
    } else if (arg.value !== undefined) {
      resolved.push({ name: arg.name, value: arg.value, secret: false });
    } else {
      return { ok: false, error: `argument "${arg.name}" was not supplied` };
    }
  }
  return { ok: true, value: resolved };
}

/** The values of the secret arguments (placeholders left out). */
export function secretValues(args: ResolvedArgs): string[] {
  return args.filter((arg) => arg.secret && arg.value !== '' && arg.value !== REDACTED).map((a) => a.value);
}

/**
 * `text` with every non-empty secret argument value replaced by `REDACTED`, whatever its length and in
 * any encoding `redactText` knows (JSON-escaped, percent-encoded, base64).
 */
export function redactSecrets(text: string, args: ResolvedArgs): string {
  return redactText(text, secretValues(args), REDACTED);
}

/** Options of `substituteArgs`. */
export interface SubstituteOptions {
  /** Put `REDACTED` in place of secret values (for text shown to users). */
  readonly redact?: boolean;
  /** Tags left as written instead of being an error (the judge's `role`, filled in per role later). */
  readonly keep?: readonly string[];
}

function replaceTags(
  text: string,
  lookup: (tag: string) => string | undefined,
  keptAs: (tag: string) => string | undefined,
): Result<string> {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', from)) {
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      return { ok: false, error: `cannot find end tag "}}" after "${text.slice(open, open + 40)}"` };
    }
    const tag = text.slice(open + 2, close);
    const value = lookup(tag.trim()) ?? keptAs(tag);
    if (value === undefined) return { ok: false, error: `failed to resolve {{${tag}}}` };
    out += text.slice(from, open) + value;
    from = close + 2;
  }
  return { ok: true, value: out + text.slice(from) };
}

type Lookup = (tag: string) => string | undefined;

function substituteIn(value: unknown, lookup: Lookup, keptAs: Lookup): Result<unknown> {
  if (typeof value === 'string')
    return value.includes('{{') ? replaceTags(value, lookup, keptAs) : { ok: true, value };
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const out: [string, unknown][] = [];
  for (const [key, item] of entries) {
    const k = substituteIn(key, lookup, keptAs);
    const v = substituteIn(item, lookup, keptAs);
    if (!k.ok) return k;
    if (!v.ok) return v;
    out.push([k.value as string, v.value]);
  }
  return { ok: true, value: Array.isArray(value) ? out.map(([, v]) => v) : Object.fromEntries(out) };
}

/**
 * Argo's templating over a whole JSON-like value (a metric, a provider block, a string): in every string
 * and object key, each `{{ args.NAME }}` (whitespace around the name allowed) becomes the argument's
 * value verbatim (Argo JSON-escapes and re-parses, which comes to the same). Any other or unknown `{{…}}`
 * tag (except those in `options.keep`, left as written) and an unterminated `{{` are errors. The input is
 * not modified; numbers and booleans pass through.
 */
export function substituteArgs<T>(value: T, args: ResolvedArgs, options: SubstituteOptions = {}): Result<T> {
  const byName = new Map(args.map((arg) => [`args.${arg.name}`, arg]));
  const lookup = (tag: string): string | undefined => {
    const arg = byName.get(tag);
    if (arg === undefined) return undefined;
    return options.redact === true && arg.secret ? REDACTED : arg.value;
  };
  const keep = options.keep ?? [];
  const keptAs = (tag: string): string | undefined => (keep.includes(tag.trim()) ? `{{${tag}}}` : undefined);
  return substituteIn(value, lookup, keptAs) as Result<T>;
}

/** The tags a metric may keep past argument substitution: `{{role}}` in a `vireo.dev/judge` metric. */
export function keptTags(metric: Metric): readonly string[] {
  return metric.provider?.plugin?.[JUDGE_PLUGIN] === undefined ? [] : ['role'];
}

/**
 * `metric` with its arguments substituted everywhere (counts, limits, durations, conditions, provider);
 * a judge metric keeps its `{{role}}` tags for the judge.
 */
export function resolveMetric(metric: Metric, args: ResolvedArgs): Result<Metric> {
  return substituteArgs(metric, args, { keep: keptTags(metric) });
}

/**
 * Argo's `MergeArgs`: the template arguments, each overridden by the incoming argument of the same name
 * (its `value`, else its `valueFrom`). Incoming arguments the templates do not declare are ignored. An
 * argument left with neither value nor valueFrom is the error `args.x was not resolved`.
 */
export function mergeArgs(
  incoming: readonly Argument[] | undefined,
  templateArgs: readonly Argument[],
): Result<Argument[]> {
  const merged = templateArgs.map((arg) => ({ ...arg }));
  for (const arg of incoming ?? []) {
    const target = merged.find((m) => m.name === arg.name);
    if (target === undefined) continue;
    if (arg.value !== undefined) target.value = arg.value;
    else if (arg.valueFrom !== undefined) target.valueFrom = arg.valueFrom;
  }
  const missing = merged.find((arg) => arg.value === undefined && arg.valueFrom === undefined);
  if (missing !== undefined) return { ok: false, error: `args.${missing.name} was not resolved` };
  return { ok: true, value: merged };
}
