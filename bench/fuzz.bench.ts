import fc from 'fast-check';
import { fuzzProperties } from '../test/unit/fuzz/properties.js';
import type { BenchResult } from './support/report.js';

/** Runs per property: 20 000 (`--quick`: 2 000). `npm test` runs the same properties 300 times each. */
function runsPerProperty(options?: { quick?: boolean }): number {
  const quick = options?.quick ?? process.env.VIREO_BENCH_QUICK === '1';
  return quick ? 2_000 : 20_000;
}

/**
 * Long fuzz run of the condition language and the spec validators (the properties of
 * test/unit/fuzz/properties.ts) from a seed derived from the clock, printed so a failure can be replayed.
 * Reports runs per second per property and the number of failing properties (goal 0).
 */
export default async function fuzzBench(options?: { quick?: boolean }): Promise<BenchResult[]> {
  const numRuns = runsPerProperty(options);
  const seed = Date.now() % 2_147_483_647;
  const results: BenchResult[] = [];
  let failures = 0;
  for (const [name, property] of Object.entries(fuzzProperties())) {
    const started = performance.now();
    const details = await Promise.resolve(fc.check(property, { seed, numRuns }));
    const seconds = (performance.now() - started) / 1000;
    if (details.failed) {
      failures++;
      process.stderr.write(`fuzz: ${name} failed (seed ${seed}, path ${details.counterexamplePath}):\n`);
      process.stderr.write(`${fc.defaultReportMessage(details) ?? ''}\n`);
    }
    const rate = Math.round(details.numRuns / seconds);
    results.push({
      name: `fuzz ${name}`,
      p50: rate,
      p99: rate,
      unit: 'runs/s',
      notes: `${details.numRuns} runs`,
    });
  }
  results.push({
    name: 'fuzz failing properties',
    p50: failures,
    p99: failures,
    unit: 'count',
    notes: `seed ${seed}, ${numRuns} runs each`,
    goal: 'p50 = 0',
  });
  return results;
}
