import fc from 'fast-check';
import {
  type ConditionError,
  compileCondition,
  evaluateCondition,
  isConditionError,
} from '../../../src/analysis/condition/index.js';
import { checkAnalysisTemplate, checkRollout, type Issue } from '../../../src/api/index.js';
import { exampleObjects, type Json, junk, mutated, step } from './arbitraries.js';
import { anyString, conditionSource, measurementValue } from './condition-arbitraries.js';

/** Thrown by a property when an outcome breaks the contract (the fuzzer reports it with the input). */
export class ContractBroken extends Error {
  override readonly name = 'ContractBroken';
}

function checkError(error: ConditionError, source: string, allowed: readonly string[]): void {
  if (!allowed.includes(error.kind))
    throw new ContractBroken(`unexpected ${error.kind} error: ${error.message}`);
  if (error.message.startsWith('internal evaluator error')) throw new ContractBroken(error.message);
  if (!(error.offset >= 0 && error.offset <= source.length && error.line >= 1 && error.column >= 1)) {
    throw new ContractBroken(`position out of range: ${JSON.stringify(error)}`);
  }
}

/**
 * The condition language's contract on one input: compiling returns a condition or a syntax/name/limit
 * `ConditionError` with an in-range position; evaluating returns a boolean or a `ConditionError` (never an
 * internal error), the same outcome twice, and leaves `Object.prototype` unpolluted. Nothing throws.
 */
export function conditionContract(source: string, value: unknown): void {
  const compiled = compileCondition(source);
  if (isConditionError(compiled)) {
    checkError(compiled, source, ['syntax', 'name', 'limit']);
    return;
  }
  const first = evaluateCondition(compiled, value);
  const second = evaluateCondition(compiled, value);
  if (JSON.stringify(first) !== JSON.stringify(second)) throw new ContractBroken('evaluation not repeatable');
  if (isConditionError(first)) checkError(first, source, ['runtime', 'limit']);
  else if (typeof first !== 'boolean') throw new ContractBroken(`non-boolean outcome ${String(first)}`);
  if ((Object.prototype as Record<string, unknown>).polluted !== undefined) {
    throw new ContractBroken('Object.prototype polluted');
  }
}

const ISSUE_KINDS = ['invalid', 'unsupported', 'reference'];

function checkIssues(issues: readonly Issue[]): void {
  for (const issue of issues) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string' || issue.message === '') {
      throw new ContractBroken(`malformed issue ${JSON.stringify(issue)}`);
    }
    if (!ISSUE_KINDS.includes(issue.kind)) throw new ContractBroken(`unknown issue kind ${issue.kind}`);
  }
}

/**
 * The validators' contract on one input: `checkRollout` / `checkAnalysisTemplate` return issues that each
 * carry a string path, a message and a known kind, and never throw. An input with a problem somewhere under
 * `spec` that yields issues names a path (non-empty) for each.
 */
export function validatorContract(input: Json, kind: 'Rollout' | 'AnalysisTemplate'): void {
  const { issues } = kind === 'Rollout' ? checkRollout(input) : checkAnalysisTemplate(input);
  checkIssues(issues);
  const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
  if (isObject && 'spec' in input && issues.some((i) => i.path === '' && i.kind === 'invalid')) {
    throw new ContractBroken(`issue without a path: ${JSON.stringify(issues.find((i) => i.path === ''))}`);
  }
}

/** A Rollout with its canary steps replaced by random ones (valid or not). */
function withSteps(seed: Json, steps: Json[]): Json {
  const copy = structuredClone(seed) as { spec?: { strategy?: { canary?: { steps?: Json } } } };
  if (copy.spec?.strategy?.canary) copy.spec.strategy.canary.steps = steps;
  return copy as Json;
}

/** The fuzz properties by name, shared by the unit test (fixed seed) and `npm run bench -- fuzz` (long run). */
export function fuzzProperties(): Record<string, fc.IPropertyWithHooks<never[]>> {
  const rollouts = exampleObjects(['Rollout']);
  const templates = exampleObjects(['AnalysisTemplate', 'ClusterAnalysisTemplate']);
  const props = {
    'condition: random ASTs': fc.property(conditionSource, measurementValue, conditionContract),
    'condition: any string': fc.property(anyString, measurementValue, conditionContract),
    'validator: mutated Rollouts': fc.property(mutated(rollouts), (r) => validatorContract(r, 'Rollout')),
    'validator: random canary steps': fc.property(
      fc.constantFrom(...rollouts),
      fc.array(step, { maxLength: 6 }),
      (seed, steps) => validatorContract(withSteps(seed, steps), 'Rollout'),
    ),
    'validator: mutated AnalysisTemplates': fc.property(mutated(templates), (t) =>
      validatorContract(t, 'AnalysisTemplate'),
    ),
    'validator: any JSON': fc.property(
      junk,
      fc.constantFrom('Rollout', 'AnalysisTemplate' as const),
      (j, k) => validatorContract(j, k),
    ),
  };
  return props as unknown as Record<string, fc.IPropertyWithHooks<never[]>>;
}
