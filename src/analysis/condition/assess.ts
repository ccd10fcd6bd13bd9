import {
  type CompiledCondition,
  compileCondition,
  type EvaluateOptions,
  evaluateCondition,
} from './compile.js';
import { type ConditionError, isConditionError } from './errors.js';
import { isNil } from './values.js';

/** Phase of one measurement, as Argo's `EvaluateResult` returns it. */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** A metric's conditions, as source text (compiled on the spot) or precompiled; `''` means absent, as in Argo. */
export interface MetricConditions {
  readonly successCondition?: string | CompiledCondition;
  readonly failureCondition?: string | CompiledCondition;
}

/**
 * The verdict for one measurement. `message` is empty for Successful; for Error it is
 * `could not evaluate <which> "<expr>": <reason>`; for Failed and Inconclusive it names the deciding
 * condition. `error` is set exactly when `phase` is Error.
 */
export interface Assessment {
  readonly phase: MeasurementPhase;
  readonly message: string;
  readonly error?: ConditionError;
}

type Which = 'successCondition' | 'failureCondition';

const NO_DATA = 'metric result is nil or empty: no data returned from the metric provider';

const isNilOrEmpty = (v: unknown): boolean => isNil(v) || (Array.isArray(v) && v.length === 0);

function sourceOf(condition: string | CompiledCondition): string {
  return typeof condition === 'string' ? condition : condition.source;
}

function evaluateOne(
  which: Which,
  condition: string | CompiledCondition,
  result: unknown,
  options: EvaluateOptions,
): boolean | Assessment {
  const compiled = typeof condition === 'string' ? compileCondition(condition) : condition;
  const outcome = isConditionError(compiled) ? compiled : evaluateCondition(compiled, result, options);
  if (!isConditionError(outcome)) return outcome;
  const source = sourceOf(condition);
  const reason =
    outcome.kind === 'runtime' && isNilOrEmpty(result)
      ? NO_DATA
      : `${outcome.message} (${outcome.line}:${outcome.column})`;
  return { phase: 'Error', message: `could not evaluate ${which} "${source}": ${reason}`, error: outcome };
}

/**
 * Argo's measurement verdict (utils/evaluate `EvaluateResult`):
 * - no conditions → Successful;
 * - success only → Successful if true, else Failed;
 * - failure only → Failed if true, else Successful;
 * - both → Failed if failure is true, else Successful if success is true, else Inconclusive;
 * - any compile or evaluation error (success checked first) → Error. A runtime error on a nil or empty
 *   result says "metric result is nil or empty: no data returned from the metric provider".
 * Never throws.
 */
export function assessMeasurement(
  conditions: MetricConditions,
  result: unknown,
  options: EvaluateOptions = {},
): Assessment {
  const success = conditions.successCondition || undefined;
  const failure = conditions.failureCondition || undefined;
  let successful = false;
  let failed = false;
  if (success !== undefined) {
    const out = evaluateOne('successCondition', success, result, options);
    if (typeof out !== 'boolean') return out;
    successful = out;
  }
  if (failure !== undefined) {
    const out = evaluateOne('failureCondition', failure, result, options);
    if (typeof out !== 'boolean') return out;
    failed = out;
  }
  if (success === undefined && failure === undefined) return { phase: 'Successful', message: '' };
  if (failure === undefined) failed = !successful;
  if (success === undefined) successful = !failed;
  return verdict(failed, successful, success, failure);
}

function verdict(
  failed: boolean,
  successful: boolean,
  success: string | CompiledCondition | undefined,
  failure: string | CompiledCondition | undefined,
): Assessment {
  if (failed) {
    const message =
      failure !== undefined
        ? `failureCondition "${sourceOf(failure)}" evaluated to true`
        : `successCondition "${sourceOf(success ?? '')}" evaluated to false`;
    return { phase: 'Failed', message };
  }
  if (!successful) {
    const message = `neither successCondition "${sourceOf(success ?? '')}" nor failureCondition "${sourceOf(failure ?? '')}" evaluated to true`;
    return { phase: 'Inconclusive', message };
  }
  return { phase: 'Successful', message: '' };
}
