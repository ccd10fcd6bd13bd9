import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fuzzProperties } from './properties.js';

/** Fixed seed so `npm test` is reproducible; `npm run bench -- fuzz` runs the same properties far longer. */
const SETTINGS = { seed: 4242, numRuns: 300 };

describe('fuzz (fast-check, fixed seed): the condition language and the spec validators never throw', () => {
  for (const [name, property] of Object.entries(fuzzProperties())) {
    it(name, () => {
      fc.assert(property, SETTINGS);
    });
  }
});
