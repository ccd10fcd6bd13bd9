import type { Result } from '../core/index.js';

/** One step of a parsed JSONPath. */
export type Segment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

const FIELD = /^[^.[\]\s{}]+/;
const BRACKET = /^\[\s*(?:(\*)|(-?\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/;

function bracketSegment(m: RegExpExecArray): Segment {
  if (m[1] !== undefined) return { kind: 'wildcard' };
  if (m[2] !== undefined) return { kind: 'index', index: Number.parseInt(m[2], 10) };
  return { kind: 'field', name: (m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1') };
}

function nextSegment(rest: string): { segment?: Segment; length: number } | undefined {
  if (rest.startsWith('..')) return undefined;
  if (rest.startsWith('.*')) return { segment: { kind: 'wildcard' }, length: 2 };
  if (rest.startsWith('.')) {
    const name = FIELD.exec(rest.slice(1))?.[0];
    return name === undefined ? { length: 1 } : { segment: { kind: 'field', name }, length: name.length + 1 };
  }
  const m = BRACKET.exec(rest);
  return m === null ? undefined : { segment: bracketSegment(m), length: m[0].length };
}

/**
 * Parses the Kubernetes JSONPath subset Argo's web provider docs use: one `{…}` template holding `$` or
 * `.`-rooted paths of `.field`, `['field']`/`["field"]`, `[n]` (negative counts from the end), `[*]` and
 * `.*`, e.g. `{$}`, `{$.data.ok}`, `{.items[0].value}`. Filters, slices, recursive descent, unions and
 * text outside the braces are rejected with an error naming the construct.
 */
export function parseJsonPath(text: string): Result<readonly Segment[]> {
  const m = /^\s*\{(.*)\}\s*$/s.exec(text);
  if (m === null) return { ok: false, error: `jsonPath must be one {…} expression, got "${text}"` };
  let rest = (m[1] ?? '').trim().replace(/^\$/, '');
  const segments: Segment[] = [];
  while (rest.length > 0) {
    const next = nextSegment(rest);
    if (next === undefined) {
      return { ok: false, error: `unsupported jsonPath syntax at "${rest.slice(0, 20)}" in "${text}"` };
    }
    if (next.segment !== undefined) segments.push(next.segment);
    rest = rest.slice(next.length);
  }
  return { ok: true, value: segments };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function step(node: unknown, segment: Segment): Result<unknown[]> {
  switch (segment.kind) {
    case 'field':
      if (isObject(node) && Object.hasOwn(node, segment.name))
        return { ok: true, value: [node[segment.name]] };
      return { ok: false, error: `${segment.name} is not found` };
    case 'index': {
      if (!Array.isArray(node))
        return { ok: false, error: `cannot index ${typeof node} with [${segment.index}]` };
      const i = segment.index < 0 ? segment.index + node.length : segment.index;
      if (i < 0 || i >= node.length) {
        return {
          ok: false,
          error: `array index out of bounds: index ${segment.index}, length ${node.length}`,
        };
      }
      return { ok: true, value: [node[i]] };
    }
    case 'wildcard':
      if (Array.isArray(node)) return { ok: true, value: node };
      return { ok: true, value: isObject(node) ? Object.values(node) : [] };
  }
}

/**
 * Every value a parsed path selects in `doc` (a parsed JSON value), in document order. A missing field
 * (`x is not found`) or an out-of-range index is an error, as in Kubernetes JSONPath without
 * `allowMissingKeys`; a wildcard over nothing selects nothing.
 */
export function findJsonPath(segments: readonly Segment[], doc: unknown): Result<unknown[]> {
  let nodes: unknown[] = [doc];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of nodes) {
      const found = step(node, segment);
      if (!found.ok) return found;
      next.push(...found.value);
    }
    nodes = next;
  }
  return { ok: true, value: nodes };
}
