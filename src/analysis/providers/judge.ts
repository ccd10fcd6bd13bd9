import {
  JUDGE_DEFAULTS,
  JUDGE_PLUGIN,
  type JudgeMetricSettings,
  type JudgeSettings,
  judgeSettings,
  type Metric,
  parseGoDuration,
  ROLE_TAG,
} from '../../api/index.js';
import { redactSecrets, substituteArgs } from '../core/index.js';
import type { MeasuredValue } from '../core/types.js';
import { type Comparison, compareSamples, scoreOf } from '../judge/verdict.js';
import { PromError, promRangeQuery } from './prometheus-client.js';
import type { MeasureContext, MetricProvider } from './provider.js';

/** Controller-wide settings of the judge, read once at start-up by the caller. */
export interface JudgeProviderConfig {
  /** Prometheus address when the config sets none (Argo's env `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`). */
  readonly defaultAddress?: string;
}

/** The two roles the judge compares, in the order they are reported. */
export const JUDGE_ROLES = ['canary', 'baseline'] as const;
type Role = (typeof JUDGE_ROLES)[number];

/** The range both roles are queried over. */
export interface JudgeWindow {
  readonly start: Date;
  readonly end: Date;
  /** Seconds between samples. */
  readonly step: number;
}

/**
 * The window ending at `now`: `window` (default: the metric's `interval`, else 5 m), sampled every `step`
 * (default: window / 30, at least 1 s).
 */
export function judgeWindow(settings: JudgeSettings, interval: string | undefined, now: Date): JudgeWindow {
  const fromInterval = interval === undefined ? undefined : parseGoDuration(interval);
  const windowMs =
    settings.windowMs ?? (fromInterval && fromInterval > 0 ? fromInterval : JUDGE_DEFAULTS.windowMs);
  const autoStep = Math.max(1, Math.floor(windowMs / JUDGE_DEFAULTS.samplesPerWindow / 1000));
  const step = settings.stepMs === undefined ? autoStep : settings.stepMs / 1000;
  return { start: new Date(now.getTime() - windowMs), end: now, step };
}

/** `query` with every `{{role}}` replaced by `hash`. */
export function roleQuery(query: string, hash: string): string {
  return query.replace(new RegExp(ROLE_TAG.source, 'g'), hash);
}

interface Fetch {
  readonly address: string;
  readonly settings: JudgeSettings;
  readonly window: JudgeWindow;
  readonly signal: AbortSignal;
}

class RoleQueryError extends Error {}

async function samplesOf(fetch: Fetch, metric: JudgeMetricSettings, role: Role): Promise<number[]> {
  const { settings, window } = fetch;
  const query = roleQuery(metric.query, settings[role]);
  const options = {
    headers: settings.headers,
    timeoutMs: settings.timeoutMs,
    signal: fetch.signal,
    ...window,
  };
  try {
    const response = await promRangeQuery(fetch.address, query, options);
    if (response.resultType === 'string')
      throw new RoleQueryError(`metric "${metric.name}" (${role}): string result`);
    return typeof response.value === 'number' ? [response.value] : response.value;
  } catch (caught) {
    if (caught instanceof RoleQueryError || !(caught instanceof PromError)) throw caught;
    throw new RoleQueryError(`metric "${metric.name}" (${role}): ${caught.message}`);
  }
}

async function compare(fetch: Fetch, metric: JudgeMetricSettings): Promise<Comparison> {
  const [canary, baseline] = await Promise.all(JUDGE_ROLES.map((role) => samplesOf(fetch, metric, role)));
  const alpha = 1 - fetch.settings.confidence;
  return compareSamples({ ...metric, alpha }, canary ?? [], baseline ?? []);
}

/** Measurement metadata: the roles' hashes, then one verdict line per metric, keyed by its name. */
function metadataOf(settings: JudgeSettings, comparisons: readonly Comparison[]): Record<string, string> {
  const metadata: Record<string, string> = {
    roles: `canary=${settings.canary} baseline=${settings.baseline}`,
  };
  for (const c of comparisons) metadata[c.name] = c.summary;
  return metadata;
}

function settingsOf(metric: Metric, context: MeasureContext) {
  const names = Object.keys(metric.provider.plugin ?? {});
  if (names.length !== 1 || names[0] !== JUDGE_PLUGIN) {
    return {
      ok: false as const,
      error: `metric plugin ${names.map((n) => `"${n}"`).join(', ')} is not supported by Vireo (supported: ${JUDGE_PLUGIN})`,
    };
  }
  const resolved = substituteArgs(metric, context.args, { keep: ['role'] });
  if (!resolved.ok) return { ok: false as const, error: `failed to resolve args: ${resolved.error}` };
  const settings = judgeSettings(resolved.value.provider.plugin?.[JUDGE_PLUGIN]);
  if (!settings.ok) return { ok: false as const, error: `${JUDGE_PLUGIN}: ${settings.error}` };
  return { ok: true as const, value: settings.value, interval: resolved.value.interval };
}

async function measure(
  metric: Metric,
  context: MeasureContext,
  config: JudgeProviderConfig,
): Promise<MeasuredValue> {
  const fail = (error: string, metadata?: Record<string, string>): MeasuredValue => ({
    ok: false,
    error: redactSecrets(error, context.args),
    ...(metadata === undefined ? {} : { metadata }),
  });
  const settings = settingsOf(metric, context);
  if (!settings.ok) return fail(settings.error);
  const address = settings.value.address ?? config.defaultAddress;
  if (!address)
    return fail(`${JUDGE_PLUGIN}: no Prometheus address (set address or ARGO_ROLLOUTS_PROMETHEUS_ADDRESS)`);
  const window = judgeWindow(settings.value, settings.interval, context.now);
  const fetch: Fetch = { address, settings: settings.value, window, signal: context.signal };
  let comparisons: Comparison[];
  try {
    comparisons = await Promise.all(settings.value.metrics.map((m) => compare(fetch, m)));
  } catch (caught) {
    return fail(
      caught instanceof RoleQueryError ? caught.message : `${JUDGE_PLUGIN} failed: ${String(caught)}`,
    );
  }
  const metadata = metadataOf(settings.value, comparisons);
  const score = scoreOf(comparisons);
  if (score === undefined)
    return fail(
      `not enough samples to judge: ${comparisons.map((c) => `${c.name}: ${c.summary}`).join('; ')}`,
      metadata,
    );
  return { ok: true, value: score, raw: String(score), metadata };
}

/**
 * The `vireo.dev/judge` metric plugin (`provider.plugin`): for each configured metric it range-queries
 * Prometheus over the window for the canary and for the baseline (`{{role}}` replaced by each role's
 * pod-template hash), compares the two samples with a one-sided Mann–Whitney U test (`compareSamples`),
 * and returns the score 0–100 (weight of passing metrics over weight of metrics with data) for the
 * conditions, one verdict line per metric in metadata. No metric with enough samples, a Prometheus error
 * or another plugin name is an Error measurement. Never rejects; no secret argument appears in errors.
 */
export function createJudgeProvider(config: JudgeProviderConfig = {}): MetricProvider {
  return { type: 'plugin', measure: (metric, context) => measure(metric, context, config) };
}
