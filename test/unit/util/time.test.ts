import { describe, expect, it } from 'vitest';
import { rfc3339Seconds } from '../../../src/util/time.js';

describe('rfc3339Seconds (the one second-precision timestamp formatter)', () => {
  it.each([
    [new Date('2026-11-27T01:02:03.999Z'), '2026-11-27T01:02:03Z'],
    [new Date('2026-11-27T01:02:03Z'), '2026-11-27T01:02:03Z'],
    [0, '1970-01-01T00:00:00Z'],
    [Date.parse('2026-01-02T03:04:05.5Z') + 30_000, '2026-01-02T03:04:35Z'],
  ])('%s → %s', (at, text) => {
    expect(rfc3339Seconds(at)).toBe(text);
  });
});
