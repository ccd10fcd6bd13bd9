import { readFileSync } from 'node:fs';

/** The parts of a V8 `.heapsnapshot` file the summary reads. */
export interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: (string[] | string)[] } };
  nodes: number[];
  strings: string[];
}

/** Self size of every node of one kind: a constructor name for objects, else the node type. */
export interface HeapGroup {
  group: string;
  count: number;
  selfMB: number;
}

/** Node types grouped under their type alone (their names are contents, not constructors). */
const BY_TYPE = new Set([
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'code',
  'array',
  'hidden',
]);

/**
 * Self sizes of a heap snapshot grouped by constructor (objects, closures) or node type (strings,
 * code, arrays, V8 internals), largest first. Invariant: pure; the groups' selfMB add up to the
 * snapshot's total self size (in MB, 1e6 bytes).
 */
export function summarizeHeap(snap: HeapSnapshot): HeapGroup[] {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0] as string[];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as number[];
  const groups = new Map<string, { group: string; count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + (typeAt as number)] as number] ?? 'unknown';
    const name = snap.strings[snap.nodes[i + (nameAt as number)] as number] ?? '';
    const group = BY_TYPE.has(type) ? `(${type})` : type === 'closure' ? `(closure) ${name}` : name;
    const entry = groups.get(group) ?? { group, count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + (sizeAt as number)] as number;
    groups.set(group, entry);
  }
  return [...groups.values()]
    .sort((a, b) => b.bytes - a.bytes)
    .map(({ group, count, bytes }) => ({ group, count, selfMB: bytes / 1e6 }));
}

/** The `top` largest groups of the snapshot file at `path`, one line each (`12.3 MB  4567 × Object`). */
export function heapSummaryLines(path: string, top = 25): string[] {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshot;
  const groups = summarizeHeap(snap);
  const total = groups.reduce((a, g) => a + g.selfMB, 0);
  const lines = groups
    .slice(0, top)
    .map(
      (g) => `${g.selfMB.toFixed(2).padStart(7)} MB ${String(g.count).padStart(8)} × ${g.group.slice(0, 80)}`,
    );
  return [`total self size ${total.toFixed(1)} MB in ${groups.length} groups`, ...lines];
}
