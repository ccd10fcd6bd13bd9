import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/**
 * Splits a field path as `formatPath` writes it into segments: `spec.steps[2].setWeight` →
 * `['spec', 'steps', 2, 'setWeight']`; `spec.plugins["a/b"]` → `['spec', 'plugins', 'a/b']`; '' → [].
 * Returns `undefined` for text that is not such a path.
 */
export function parseFieldPath(path: string): (string | number)[] | undefined {
  const token = /\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  const segments: (string | number)[] = [];
  token.lastIndex = 0;
  while (token.lastIndex < path.length) {
    const start = token.lastIndex;
    const m = token.exec(path);
    if (m === null || (start === 0 && m[0].startsWith('.'))) return undefined;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number.parseInt(m[2], 10));
    else segments.push(JSON.parse(m[3] ?? '""') as string);
  }
  return segments;
}

function child(node: unknown, segment: string | number): { key?: Node; value: unknown } | undefined {
  if (isMap(node) && typeof segment === 'string') {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    return pair === undefined ? undefined : { key: pair.key as Node, value: pair.value };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/**
 * The 1-based line in the source that a field path points at: the line of the deepest key of the path that
 * exists in `doc` (the key itself, so `setWeight: 150` reports its own line; for a missing field, the line
 * of its nearest existing parent). Falls back to the document's first line.
 */
export function lineOfPath(doc: Document, path: string, lines: LineCounter): number {
  let node: unknown = doc.contents;
  let offset = offsetOf(node) ?? 0;
  for (const segment of parseFieldPath(path) ?? []) {
    const next = child(node, segment);
    if (next === undefined) break;
    offset = offsetOf(next.key ?? next.value) ?? offset;
    node = next.value;
  }
  return lines.linePos(offset).line;
}
