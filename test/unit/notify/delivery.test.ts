import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/notify/delivery.js';

describe('redact', () => {
  it('replaces every secret, longest first, and leaves short strings alone', () => {
    const text = 'failed for https://h/T0k3n and T0k3n (ab)';
    expect(redact(text, ['T0k3n', 'https://h/T0k3n', 'ab'])).toBe(
      'failed for [redacted] and [redacted] (ab)',
    );
  });
});
