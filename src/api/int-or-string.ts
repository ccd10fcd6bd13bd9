import type { IntOrString } from './primitives.js';

const INTEGER = /^-?\d+$/;
const PERCENT = /^(\d+)%$/;

/**
 * The integer an int-or-string holds: a number as-is, a decimal string such as `"3"` parsed (Argo resolves
 * `{{args.x}}` into such strings). Anything else (`"25%"`, `"{{args.x}}"`, `"abc"`) gives `undefined`.
 */
export function intOrStringToInt(value: IntOrString): number | undefined {
  if (typeof value === 'number') return value;
  return INTEGER.test(value) ? Number.parseInt(value, 10) : undefined;
}

/** The N of a `"N%"` string; `undefined` for anything else (including negative or fractional percents). */
export function parsePercent(value: string): number | undefined {
  const match = PERCENT.exec(value);
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 10);
}

/**
 * Kubernetes `GetScaledValueFromIntOrPercent`: an integer is returned as-is; `"N%"` is N% of `total`,
 * rounded up when `roundUp` (maxSurge) and down otherwise (maxUnavailable). Other strings → `undefined`.
 * Examples: ("25%", 10, up) → 3; ("25%", 10, down) → 2; (1, 10, *) → 1; ("0%", 5, up) → 0.
 */
export function scaledIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return value;
  const percent = parsePercent(value);
  if (percent === undefined) return undefined;
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** True when the value is a non-negative integer or a `"N%"` string: the only forms maxSurge/maxUnavailable take. */
export function isIntOrPercent(value: IntOrString): boolean {
  return typeof value === 'number' ? value >= 0 : parsePercent(value) !== undefined;
}
