import type { z } from 'zod';

/**
 * What an issue is about: `invalid` (the spec itself is wrong; terminal until the spec changes),
 * `unsupported` (valid Argo, not implemented by Vireo) or `reference` (a referenced object is missing or
 * wrong; re-checked when that object changes).
 */
export type IssueKind = 'invalid' | 'unsupported' | 'reference';

/** One problem with an object: `path` is a field path such as `spec.strategy.canary.steps[2].setWeight`. */
export interface Issue {
  path: string;
  message: string;
  kind: IssueKind;
}

/** A field path as a list of segments; numbers are list indexes. */
export type FieldPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Renders segments as `a.b[2].c`; keys that are not identifiers are bracketed and quoted:
 * `['spec', 'plugins', 'argoproj-labs/gatewayAPI']` → `spec.plugins["argoproj-labs/gatewayAPI"]`.
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** An `invalid` issue at `path`. */
export function invalid(path: FieldPath, message: string): Issue {
  return { path: formatPath(path), message, kind: 'invalid' };
}

/** A `reference` issue at `path`. */
export function reference(path: FieldPath, message: string): Issue {
  return { path: formatPath(path), message, kind: 'reference' };
}

function describeValue(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return `the string ${JSON.stringify(input)}`;
  return `${typeof input} ${String(input)}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
};

/**
 * Zod error map producing messages a user can act on ("must be an integer, got the string \"20\"").
 * Pass it as `{ error: zodErrorMap }` to `safeParse`; `parseObject` does so.
 */
export const zodErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `is required (${expected})`;
      return `must be ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'invalid_union':
      return `must be an integer or a string, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(issue.input)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
};

/** Turns a zod error into `invalid` issues whose paths use `formatPath` (optionally under `prefix`). */
export function issuesFromZodError(error: z.ZodError, prefix: FieldPath = []): Issue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
    kind: 'invalid' as const,
  }));
}

/** Result of parsing an untyped object: the typed value, or `undefined` with the issues explaining why. */
export type ParseResult<T> =
  | { ok: true; value: T; issues: [] }
  | { ok: false; value: undefined; issues: Issue[] };

/** Parses `input` with `schema` and the friendly error map; never throws. Issue paths start at `prefix`. */
export function parseObject<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: FieldPath = [],
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { error: zodErrorMap });
  if (result.success) return { ok: true, value: result.data, issues: [] };
  return { ok: false, value: undefined, issues: issuesFromZodError(result.error, prefix) };
}
