import { describe, expect, it } from 'vitest';
import {
  assessMeasurement,
  compileCondition,
  isConditionError,
  type MeasurementPhase,
} from '../../../../src/analysis/condition/index.js';

type Case = [string | undefined, string | undefined, unknown, MeasurementPhase];

describe('assessMeasurement follows Argo EvaluateResult', () => {
  it.each<Case>([
    ['true', 'false', true, 'Successful'],
    ['true', 'true', true, 'Failed'],
    ['false', 'false', true, 'Inconclusive'],
    [undefined, 'false', true, 'Successful'],
    ['', 'false', true, 'Successful'],
    ['false', undefined, true, 'Failed'],
    ['false', '', true, 'Failed'],
    [undefined, undefined, true, 'Successful'],
    ['', '', true, 'Successful'],
    ['true', undefined, true, 'Successful'],
    [undefined, 'true', true, 'Failed'],
    ['false', 'true', true, 'Failed'],
    ['a == true', 'true', true, 'Error'],
    ['true', 'a == true', true, 'Error'],
    ['result[0] >= 0.95', undefined, [0.97], 'Successful'],
    ['result[0] >= 0.95', undefined, [0.9], 'Failed'],
    [undefined, 'result[0] >= 0.05', [0.08], 'Failed'],
    ['result[0] < 0.05', 'result[0] >= 0.1', [0.07], 'Inconclusive'],
    ['result[0] >= 0.95', undefined, [], 'Error'],
    ['result < 0.05', undefined, [0.01], 'Error'],
    ['1', undefined, true, 'Error'],
  ])('success=%j failure=%j result=%j → %s', (successCondition, failureCondition, result, phase) => {
    const conditions = {
      ...(successCondition === undefined ? {} : { successCondition }),
      ...(failureCondition === undefined ? {} : { failureCondition }),
    };
    const out = assessMeasurement(conditions, result);
    expect(out.phase).toBe(phase);
    expect(out.error !== undefined).toBe(phase === 'Error');
  });

  it('checks the success condition first when both error', () => {
    const out = assessMeasurement({ successCondition: 'x', failureCondition: 'y' }, 1);
    expect(out.message).toBe('could not evaluate successCondition "x": unknown name x (1:1)');
  });

  it('says "no data" for runtime errors on nil or empty results', () => {
    expect(assessMeasurement({ successCondition: 'result[0] >= 0.95' }, []).message).toBe(
      'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider',
    );
    expect(assessMeasurement({ failureCondition: 'result > 1' }, null).message).toMatch(
      /^could not evaluate failureCondition "result > 1": metric result is nil or empty/,
    );
  });

  it('keeps syntax errors visible even when the result is empty', () => {
    const out = assessMeasurement({ successCondition: 'result[0] >=' }, []);
    expect(out.message).toBe(
      'could not evaluate successCondition "result[0] >=": unexpected token end of input (1:13)',
    );
  });

  it('explains a wrong-type comparison on a vector with a hint', () => {
    const out = assessMeasurement({ successCondition: 'result < 0.05' }, [0.01]);
    expect(out.phase).toBe('Error');
    expect(out.message).toContain('use result[0]');
  });

  it('lets a guarded condition handle empty results (default/len)', () => {
    expect(assessMeasurement({ successCondition: 'len(result) == 0 || result[0] >= 0.95' }, []).phase).toBe(
      'Successful',
    );
    expect(assessMeasurement({ successCondition: 'default(result, 0) < 0.05' }, null).phase).toBe(
      'Successful',
    );
  });

  it('names the deciding condition for Failed and Inconclusive', () => {
    expect(assessMeasurement({ successCondition: 'result[0] >= 0.95' }, [0.5]).message).toBe(
      'successCondition "result[0] >= 0.95" evaluated to false',
    );
    expect(assessMeasurement({ failureCondition: 'result[0] > 0.05' }, [0.5]).message).toBe(
      'failureCondition "result[0] > 0.05" evaluated to true',
    );
    expect(assessMeasurement({ successCondition: 'false', failureCondition: 'false' }, 1).message).toBe(
      'neither successCondition "false" nor failureCondition "false" evaluated to true',
    );
    expect(assessMeasurement({ successCondition: 'true' }, 1).message).toBe('');
  });

  it('accepts precompiled conditions and reuses them across results', () => {
    const success = compileCondition('result[0] >= 0.95');
    if (isConditionError(success)) throw new Error(success.message);
    const phases = [[0.99], [0.5], [], [Number.NaN]].map(
      (r) => assessMeasurement({ successCondition: success }, r).phase,
    );
    expect(phases).toEqual(['Successful', 'Failed', 'Error', 'Failed']);
  });

  it('passes evaluation options through', () => {
    const out = assessMeasurement({ successCondition: 'all(result, {# > 0})' }, [1, 2, 3], { maxSteps: 3 });
    expect(out).toMatchObject({ phase: 'Error', error: { kind: 'limit' } });
  });

  it('simulates the classic incident: 8% errors against result[0] < 0.05 fails every time', () => {
    const phases = Array.from({ length: 4 }, () =>
      assessMeasurement({ successCondition: 'result[0] < 0.05' }, [0.08]),
    );
    expect(phases.every((p) => p.phase === 'Failed')).toBe(true);
  });
});
