import type { IntOrString } from './primitives.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_DURATION = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Parses a Go `time.ParseDuration` string ("1h30m", "10s", "1.5h", "500ms", "0") into milliseconds.
 * Returns `undefined` for anything Go would reject (missing unit, spaces, empty string). May be negative.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  const whole = GO_DURATION.exec(text);
  if (whole === null) return undefined;
  let total = 0;
  for (const part of text.matchAll(PART)) {
    const unit = UNIT_MS[part[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number.parseFloat(part[1] ?? '0') * unit;
  }
  return whole[1] === '-' ? -total : total;
}

/**
 * The length of a `pause.duration` in milliseconds: an integer is seconds, a string of digits is seconds,
 * any other string is a Go duration. `undefined` when it cannot be parsed. Examples: 30 → 30000;
 * "30" → 30000; "5m" → 300000; "1h" → 3600000; "soon" → undefined.
 */
export function pauseDurationMs(duration: IntOrString): number | undefined {
  if (typeof duration === 'number') return duration * 1000;
  if (/^\d+$/.test(duration)) return Number.parseInt(duration, 10) * 1000;
  return parseGoDuration(duration);
}
