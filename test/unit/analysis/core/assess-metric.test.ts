import { describe, expect, it } from 'vitest';
import { assessMetric } from '../../../../src/analysis/core/index.js';
import type { Metric, MetricResult } from '../../../../src/api/index.js';
import { aMetric, aResult, done, inFlight } from './fixtures.js';

const S = (t = 0) => done('Successful', t);
const F = (t = 0) => done('Failed', t);
const I = (t = 0) => done('Inconclusive', t);
const E = (t = 0) => done('Error', t);

describe('assessMetric (reference 4.5, metric phase)', () => {
  const unbounded = { interval: '1m' };
  it.each<[string, Partial<Metric>, MetricResult, boolean, string, string]>([
    ['1. completed phase stays', {}, aResult('m', [S()], { phase: 'Failed' }), false, 'Failed', ''],
    ['2. no measurements → Pending', {}, aResult('m', []), false, 'Pending', ''],
    ['2. no measurements, terminating → Successful', {}, aResult('m', []), true, 'Successful', ''],
    ['3. last measurement in flight → Running', {}, aResult('m', [F(), inFlight(1)]), false, 'Running', ''],
    [
      '4. failed > failureLimit (default 0)',
      {},
      aResult('m', [F()]),
      false,
      'Failed',
      'failed (1) > failureLimit (0)',
    ],
    [
      '4. failed == failureLimit keeps going',
      { ...unbounded, failureLimit: 3 },
      aResult('m', [F(), F(), F()]),
      false,
      'Running',
      '',
    ],
    [
      '4. 4th failure > failureLimit 3',
      { ...unbounded, failureLimit: 3 },
      aResult('m', [F(), F(), F(), F()]),
      false,
      'Failed',
      'failed (4) > failureLimit (3)',
    ],
    [
      '4. failureLimit from a string',
      { ...unbounded, failureLimit: '1' },
      aResult('m', [F(), F()]),
      false,
      'Failed',
      'failed (2) > failureLimit (1)',
    ],
    [
      '4. failureLimit -1 disables it',
      { ...unbounded, failureLimit: -1, consecutiveSuccessLimit: 2 },
      aResult('m', [F(), F(), F()]),
      false,
      'Running',
      '',
    ],
    [
      '4. inconclusive > inconclusiveLimit (default 0)',
      {},
      aResult('m', [I()]),
      false,
      'Inconclusive',
      'inconclusive (1) > inconclusiveLimit (0)',
    ],
    [
      '4. inconclusive == inconclusiveLimit keeps going',
      { ...unbounded, inconclusiveLimit: 1 },
      aResult('m', [I()]),
      false,
      'Running',
      '',
    ],
    [
      '4. 4 consecutive errors ≤ default limit 4',
      {},
      aResult('m', [E(), E(), E(), E()]),
      false,
      'Running',
      '',
    ],
    [
      '4. 5th consecutive error → Error',
      {},
      aResult('m', [E(), E(), E(), E(), E()]),
      false,
      'Error',
      'consecutiveErrors (5) > consecutiveErrorLimit (4)',
    ],
    [
      '4. consecutiveErrorLimit 0 → first error',
      { consecutiveErrorLimit: 0 },
      aResult('m', [E()]),
      false,
      'Error',
      'consecutiveErrors (1) > consecutiveErrorLimit (0)',
    ],
    [
      '4. non-consecutive errors do not add up',
      {},
      aResult('m', [E(), E(), E(), S(), E(), E()], { phase: 'Running' }),
      false,
      'Successful',
      '',
    ],
    [
      '4. Inconclusive beats Failed',
      { ...unbounded },
      aResult('m', [F(), I()]),
      false,
      'Inconclusive',
      'inconclusive (1) > inconclusiveLimit (0)',
    ],
    [
      '4. Error beats Inconclusive and Failed',
      { ...unbounded, consecutiveErrorLimit: 0 },
      aResult('m', [F(), I(), E()]),
      false,
      'Error',
      'consecutiveErrors (1) > consecutiveErrorLimit (0)',
    ],
    [
      '5. consecutiveSuccessLimit reached → Successful',
      { interval: '1m', count: 10, consecutiveSuccessLimit: 2 },
      aResult('m', [S(), S()]),
      false,
      'Successful',
      '',
    ],
    [
      '6. count reached → Successful',
      { interval: '1m', count: 3, failureLimit: 1 },
      aResult('m', [S(), F(), S()]),
      false,
      'Successful',
      '',
    ],
    [
      '6. count from an argument string',
      { interval: '1m', count: '2' },
      aResult('m', [S(), S()]),
      false,
      'Successful',
      '',
    ],
    [
      '6. count not reached → Running',
      { interval: '1m', count: 3 },
      aResult('m', [S(), S()]),
      false,
      'Running',
      '',
    ],
    ['6. no count, no interval → measured once', {}, aResult('m', [S()]), false, 'Successful', ''],
    [
      '6. errors do not count towards count',
      { interval: '1m', count: 2 },
      aResult('m', [S(), E()]),
      false,
      'Running',
      '',
    ],
    [
      '6. count reached, streak short, failureLimit applies → Inconclusive',
      { interval: '1m', count: 3, failureLimit: 1, consecutiveSuccessLimit: 2 },
      aResult('m', [S(), F(), S()]),
      false,
      'Inconclusive',
      'consecutiveSuccess (1) < consecutiveSuccessLimit (2) after count (3)',
    ],
    [
      '6. count reached, streak short, failureLimit -1 → Failed',
      { interval: '1m', count: 3, failureLimit: -1, consecutiveSuccessLimit: 2 },
      aResult('m', [S(), F(), S()]),
      false,
      'Failed',
      'consecutiveSuccess (1) < consecutiveSuccessLimit (2) after count (3)',
    ],
    ['7. unbounded → Running', unbounded, aResult('m', [S(), S(), S()]), false, 'Running', ''],
    [
      '7. unbounded, terminating → Successful',
      unbounded,
      aResult('m', [S(), S(), S()]),
      true,
      'Successful',
      '',
    ],
    [
      '7. count not reached, terminating → Successful',
      { interval: '1m', count: 5 },
      aResult('m', [S()]),
      true,
      'Successful',
      '',
    ],
  ])('%s', (_name, fields, result, terminating, phase, reason) => {
    expect(assessMetric(aMetric(fields), result, terminating)).toEqual({ phase, reason });
  });

  it('keeps the limit reason for a stored completed phase', () => {
    const out = assessMetric(aMetric(), aResult('m', [F()], { phase: 'Failed' }));
    expect(out).toEqual({ phase: 'Failed', reason: 'failed (1) > failureLimit (0)' });
  });
});
