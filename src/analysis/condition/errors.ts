/** What went wrong: `syntax` and `name` at compile time, `limit` for safety limits, `runtime` while evaluating. */
export type ConditionErrorKind = 'syntax' | 'name' | 'limit' | 'runtime';

/**
 * A compile or evaluation failure returned as data, never thrown. `offset` is a 0-based UTF-16 index into
 * the source; `line` and `column` are 1-based and always agree with `offset`.
 */
export interface ConditionError {
  readonly type: 'ConditionError';
  readonly kind: ConditionErrorKind;
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/**
 * Internal control-flow exception carrying a message and a source offset. It never escapes the public
 * API: `compileCondition` and `evaluateCondition` convert it with `toConditionError`.
 */
export class ConditionFault {
  constructor(
    readonly kind: ConditionErrorKind,
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Throws a runtime `ConditionFault` at `offset`; typed `never` so callers can use it in expressions. */
export function fail(message: string, offset: number, kind: ConditionErrorKind = 'runtime'): never {
  throw new ConditionFault(kind, message, offset);
}

/** Builds the data form of an error, deriving `line`/`column` from `offset` within `source`. */
export function makeConditionError(
  kind: ConditionErrorKind,
  message: string,
  offset: number,
  source: string,
): ConditionError {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { type: 'ConditionError', kind, message, offset: clamped, line, column: clamped - lineStart + 1 };
}

/**
 * Converts anything caught at the API boundary into a `ConditionError`. Faults keep their position;
 * stack overflows and other unexpected exceptions become `runtime` errors at offset 0, so the public
 * functions never throw.
 */
export function toConditionError(caught: unknown, source: string): ConditionError {
  if (caught instanceof ConditionFault) {
    return makeConditionError(caught.kind, caught.message, caught.offset, source);
  }
  if (caught instanceof RangeError) {
    return makeConditionError('limit', `evaluation aborted: ${caught.message}`, 0, source);
  }
  const detail = caught instanceof Error ? caught.message : String(caught);
  return makeConditionError('runtime', `internal evaluator error: ${detail}`, 0, source);
}

/** True for the error half of `CompiledCondition | ConditionError` and `boolean | ConditionError`. */
export function isConditionError(value: unknown): value is ConditionError {
  return (
    typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ConditionError'
  );
}

/**
 * Renders `message (line:column)` followed by the offending source line and a caret under the column,
 * like expr-lang's file errors, for status messages and validation output.
 */
export function formatConditionError(error: ConditionError, source: string): string {
  const lines = source.split('\n');
  const text = lines[error.line - 1] ?? '';
  const caret = `${' '.repeat(Math.max(0, error.column - 1))}^`;
  return `${error.message} (${error.line}:${error.column})\n | ${text}\n | ${caret}`;
}
