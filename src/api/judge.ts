import { z } from 'zod';
import { parseGoDuration } from './duration.js';
import { type FieldPath, type Issue, invalid, parseObject } from './issues.js';
import { HeaderSchema } from './primitives.js';

/** The `provider.plugin` key of Vireo's canary-versus-baseline judge. */
export const JUDGE_PLUGIN = 'vireo.dev/judge';

/** Which way of the canary is bad. */
export const JUDGE_DIRECTIONS = ['increase', 'decrease', 'either'] as const;
export type JudgeDirection = (typeof JUDGE_DIRECTIONS)[number];

/** Defaults of the judge's settings. */
export const JUDGE_DEFAULTS = {
  direction: 'increase' as JudgeDirection,
  tolerance: 0,
  relativeTolerance: 0,
  minSamples: 10,
  weight: 1,
  confidence: 0.95,
  timeoutSeconds: 30,
  /** Window when the metric has no `interval`. */
  windowMs: 300_000,
  /** Samples per window when `step` is not set (the step is never under 1 s). */
  samplesPerWindow: 30,
} as const;

/** `{{role}}` (spaces allowed inside the braces): replaced by each role's pod-template hash. */
export const ROLE_TAG = /\{\{\s*role\s*\}\}/g;

const TEMPLATED = /\{\{.*\}\}/;
const numberOrArg = z.union([z.number(), z.string()], {
  error: 'must be a number or an {{args.…}} placeholder',
});

/** One compared query of the judge. */
export const JudgeMetricSchema = z.strictObject({
  name: z.string(),
  query: z.string(),
  direction: z.string().optional(),
  tolerance: numberOrArg.optional(),
  relativeTolerance: numberOrArg.optional(),
  minSamples: numberOrArg.optional(),
  weight: numberOrArg.optional(),
});

/** `provider.plugin["vireo.dev/judge"]`: where to query, the two roles, the window and the metrics. */
export const JudgeConfigSchema = z.strictObject({
  address: z.string().optional(),
  canary: z.string(),
  baseline: z.string(),
  window: z.string().optional(),
  step: z.string().optional(),
  confidence: numberOrArg.optional(),
  timeout: numberOrArg.optional(),
  headers: z.array(HeaderSchema).optional(),
  metrics: z.array(JudgeMetricSchema).min(1),
});
export type JudgeConfig = z.infer<typeof JudgeConfigSchema>;

/** A judged metric with its defaults applied. */
export interface JudgeMetricSettings {
  readonly name: string;
  readonly query: string;
  readonly direction: JudgeDirection;
  readonly tolerance: number;
  readonly relativeTolerance: number;
  readonly minSamples: number;
  readonly weight: number;
}

/** The judge's configuration with arguments substituted and defaults applied. */
export interface JudgeSettings {
  readonly address?: string;
  readonly canary: string;
  readonly baseline: string;
  readonly windowMs?: number;
  readonly stepMs?: number;
  readonly confidence: number;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly metrics: readonly JudgeMetricSettings[];
}

type Check = (n: number) => boolean;
const isTemplated = (v: unknown): boolean => typeof v === 'string' && TEMPLATED.test(v);

function numberIssues(value: unknown, path: FieldPath, ok: Check, rule: string): Issue[] {
  if (value === undefined || isTemplated(value)) return [];
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && (value.trim() === '' || Number.isNaN(n)))
    return [invalid(path, `must be a number, got ${JSON.stringify(value)}`)];
  return ok(n) ? [] : [invalid(path, `must be ${rule}, got ${n}`)];
}

function durationIssues(value: string | undefined, path: FieldPath): Issue[] {
  if (value === undefined || isTemplated(value)) return [];
  const ms = parseGoDuration(value);
  return ms !== undefined && ms > 0
    ? []
    : [invalid(path, `must be a positive duration such as "5m", got "${value}"`)];
}

function metricIssues(metric: JudgeConfig['metrics'][number], path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  if (metric.name === '') issues.push(invalid([...path, 'name'], 'must not be empty'));
  if (!new RegExp(ROLE_TAG.source).test(metric.query))
    issues.push(
      invalid([...path, 'query'], "must contain {{role}} (replaced by each role's pod-template hash)"),
    );
  const direction = metric.direction;
  if (
    direction !== undefined &&
    !isTemplated(direction) &&
    !(JUDGE_DIRECTIONS as readonly string[]).includes(direction)
  )
    issues.push(
      invalid([...path, 'direction'], `must be ${JUDGE_DIRECTIONS.join(', ')}, got "${direction}"`),
    );
  const nonNegative: Check = (n) => n >= 0 && Number.isFinite(n);
  issues.push(...numberIssues(metric.tolerance, [...path, 'tolerance'], nonNegative, 'at least 0'));
  issues.push(
    ...numberIssues(metric.relativeTolerance, [...path, 'relativeTolerance'], nonNegative, 'at least 0'),
  );
  const atLeastOne: Check = (n) => Number.isInteger(n) && n >= 1;
  issues.push(
    ...numberIssues(metric.minSamples, [...path, 'minSamples'], atLeastOne, 'an integer of at least 1'),
  );
  const positive: Check = (n) => n > 0 && Number.isFinite(n);
  issues.push(...numberIssues(metric.weight, [...path, 'weight'], positive, 'greater than 0'));
  return issues;
}

function configIssues(config: JudgeConfig, path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  for (const role of ['canary', 'baseline'] as const)
    if (config[role] === '')
      issues.push(invalid([...path, role], "must not be empty (the role's pod-template hash)"));
  issues.push(...durationIssues(config.window, [...path, 'window']));
  issues.push(...durationIssues(config.step, [...path, 'step']));
  const open: Check = (n) => n > 0 && n < 1;
  issues.push(
    ...numberIssues(config.confidence, [...path, 'confidence'], open, 'between 0 and 1 (exclusive)'),
  );
  const timeout: Check = (n) => Number.isInteger(n) && n >= 0;
  issues.push(...numberIssues(config.timeout, [...path, 'timeout'], timeout, 'a whole number of seconds'));
  const names = new Set<string>();
  config.metrics.forEach((metric, i) => {
    if (names.has(metric.name))
      issues.push(invalid([...path, 'metrics', i, 'name'], `duplicate name "${metric.name}"`));
    names.add(metric.name);
    issues.push(...metricIssues(metric, [...path, 'metrics', i]));
  });
  return issues;
}

/**
 * Checks the judge's plugin config at `path` (`…provider.plugin["vireo.dev/judge"]`): known fields only,
 * both roles, at least one metric whose query contains `{{role}}`, unique names, positive durations, a
 * confidence in (0, 1), non-negative tolerances, `minSamples` ≥ 1 and weights > 0. Values that are
 * still `{{args.…}}` placeholders are checked once substituted (by `judgeSettings`).
 */
export function judgeConfigIssues(config: unknown, path: FieldPath): Issue[] {
  const parsed = parseObject(JudgeConfigSchema, config, path);
  return parsed.ok ? configIssues(parsed.value, path) : parsed.issues;
}

const num = (v: number | string | undefined, fallback: number): number =>
  v === undefined ? fallback : Number(v);

function metricSettings(metric: JudgeConfig['metrics'][number]): JudgeMetricSettings {
  const d = JUDGE_DEFAULTS;
  return {
    name: metric.name,
    query: metric.query,
    direction: (metric.direction ?? d.direction) as JudgeDirection,
    tolerance: num(metric.tolerance, d.tolerance),
    relativeTolerance: num(metric.relativeTolerance, d.relativeTolerance),
    minSamples: num(metric.minSamples, d.minSamples),
    weight: num(metric.weight, d.weight),
  };
}

/**
 * The judge's settings from a config whose arguments are substituted: `judgeConfigIssues` must find
 * nothing (the first issue is the error, as `path: message`), then defaults fill what is unset.
 */
export function judgeSettings(
  config: unknown,
): { ok: true; value: JudgeSettings } | { ok: false; error: string } {
  const issues = judgeConfigIssues(config, []);
  const leftover = JSON.stringify(config).replace(new RegExp(ROLE_TAG.source, 'g'), '').match(TEMPLATED);
  if (issues.length === 0 && leftover !== null)
    issues.push(invalid([], `unresolved placeholder ${leftover[0]}`));
  const first = issues[0];
  if (first !== undefined)
    return { ok: false, error: `${first.path === '' ? '' : `${first.path}: `}${first.message}` };
  const c = JudgeConfigSchema.parse(config);
  const ms = (text: string | undefined) => (text === undefined ? undefined : parseGoDuration(text));
  const windowMs = ms(c.window);
  const stepMs = ms(c.step);
  return {
    ok: true,
    value: {
      ...(c.address ? { address: c.address } : {}),
      canary: c.canary,
      baseline: c.baseline,
      ...(windowMs === undefined ? {} : { windowMs }),
      ...(stepMs === undefined ? {} : { stepMs }),
      confidence: num(c.confidence, JUDGE_DEFAULTS.confidence),
      timeoutMs: num(c.timeout, JUDGE_DEFAULTS.timeoutSeconds) * 1000 || JUDGE_DEFAULTS.timeoutSeconds * 1000,
      headers: Object.fromEntries((c.headers ?? []).map((h) => [h.key, h.value])),
      metrics: c.metrics.map(metricSettings),
    },
  };
}
