/**
 * Argo Rollouts' condition language (the expr-lang subset used by `successCondition` and
 * `failureCondition`): tokenizer, Pratt parser and tree-walking evaluator, with no `eval`/`new Function`
 * and bounded source size, AST depth and evaluation steps.
 */
export {
  type Assessment,
  assessMeasurement,
  type MeasurementPhase,
  type MetricConditions,
} from './assess.js';
export {
  type CompiledCondition,
  compileCondition,
  type EvaluateOptions,
  evaluateCondition,
  MAX_SOURCE_BYTES,
} from './compile.js';
export {
  type ConditionError,
  type ConditionErrorKind,
  formatConditionError,
  isConditionError,
} from './errors.js';
export { DEFAULT_STEP_BUDGET } from './evaluator.js';
export { MAX_AST_DEPTH } from './parser.js';
