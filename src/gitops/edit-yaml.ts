import { type Document, isMap, isScalar, isSeq, type Node, parseAllDocuments, type YAMLMap } from 'yaml';
import type { ImageLocator } from './annotations.js';
import { formatImage, type ImageRef, parseImage } from './image-ref.js';

/**
 * What editing the file would do: `changed` (new text; `found` is what it held), `unchanged` (it already
 * names the stable image), `conflict` (it names neither the failed nor the stable image: someone else
 * changed it, so Vireo leaves it alone) or `invalid` (the file or the locator is unusable).
 */
export type EditOutcome =
  | { kind: 'changed'; content: string; found: string }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; found: string }
  | { kind: 'invalid'; message: string };

/** One step of a field path: a map key, a sequence index, or the sequence item whose `key` is `value`. */
export type PathSegment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'match'; key: string; value: string };

const SEGMENT = /^(?:\.?([^.[\]]+)|\[(\d+)\]|\[([^=\]]+)=([^\]]*)\])/;

/** Parses `a.b[0].c[name=app].image`; undefined when the path is malformed or empty. */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let rest = path;
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) segments.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) segments.push({ kind: 'index', index: Number(m[2]) });
    else segments.push({ kind: 'match', key: m[3] ?? '', value: m[4] ?? '' });
    rest = rest.slice(m[0].length);
  }
  return segments.length > 0 && !path.startsWith('.') ? segments : undefined;
}

function step(node: unknown, segment: PathSegment): unknown {
  if (segment.kind === 'key') return isMap(node) ? node.get(segment.key, true) : undefined;
  if (!isSeq(node)) return undefined;
  if (segment.kind === 'index') return node.items[segment.index];
  return node.items.find((item) => isMap(item) && String(item.get(segment.key)) === segment.value);
}

function resolveScalar(doc: Document, segments: PathSegment[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of segments) node = step(node, segment);
  return isScalar(node) && typeof node.value === 'string' ? node : undefined;
}

function serialize(docs: Document[]): string {
  return docs.map((doc) => doc.toString({ flowCollectionPadding: false })).join('');
}

function parseDocs(content: string): Document[] | string {
  const docs = parseAllDocuments(content);
  if (!Array.isArray(docs)) return 'the file is empty';
  const error = docs.flatMap((doc) => doc.errors)[0];
  return error ? `the file is not valid YAML: ${error.message}` : docs;
}

function editField(docs: Document[], path: string, from: string, to: string): EditOutcome {
  const segments = parseFieldPath(path);
  if (!segments) return { kind: 'invalid', message: `field path "${path}" is malformed` };
  for (const doc of docs) {
    const node = resolveScalar(doc, segments);
    if (!isScalar(node)) continue;
    const found = String(node.value);
    if (found === to) return { kind: 'unchanged' };
    if (found !== from) return { kind: 'conflict', found };
    node.value = to;
    return { kind: 'changed', content: serialize(docs), found };
  }
  return { kind: 'invalid', message: `no string value at "${path}" in any document` };
}

function entryRef(entry: YAMLMap): ImageRef {
  const ref: ImageRef = { name: String(entry.get('newName') ?? entry.get('name')) };
  const tag = entry.get('newTag');
  const digest = entry.get('digest');
  if (digest !== undefined && digest !== null) ref.digest = String(digest);
  else if (tag !== undefined && tag !== null) ref.tag = String(tag);
  return ref;
}

/** Same version; the name only counts when the entry renames the image (`newName`). */
function sameImage(entry: YAMLMap, found: ImageRef, wanted: ImageRef): boolean {
  const version = wanted.digest !== undefined ? found.digest === wanted.digest : found.tag === wanted.tag;
  return version && (!entry.has('newName') || found.name === wanted.name);
}

function setScalar(entry: YAMLMap, key: string, value: string): void {
  const node = entry.get(key, true);
  if (isScalar(node)) node.value = value;
  else entry.set(key, value);
}

function applyRef(entry: YAMLMap, to: ImageRef): void {
  if (entry.has('newName')) setScalar(entry, 'newName', to.name);
  if (to.digest !== undefined) {
    setScalar(entry, 'digest', to.digest);
    entry.delete('newTag');
  } else if (to.tag !== undefined) {
    setScalar(entry, 'newTag', to.tag);
    entry.delete('digest');
  }
}

function editKustomize(docs: Document[], imageName: string, from: string, to: string): EditOutcome {
  for (const doc of docs) {
    const images = doc.get('images', true);
    if (!isSeq(images)) continue;
    const entry = images.items.find((item) => isMap(item) && String(item.get('name')) === imageName);
    if (!isMap(entry)) continue;
    const found = entryRef(entry);
    const toRef = parseImage(to);
    if (sameImage(entry, found, toRef)) return { kind: 'unchanged' };
    if (!sameImage(entry, found, parseImage(from))) return { kind: 'conflict', found: formatImage(found) };
    applyRef(entry, toRef);
    return { kind: 'changed', content: serialize(docs), found: formatImage(found) };
  }
  return { kind: 'invalid', message: `no images entry named "${imageName}"` };
}

/**
 * Puts `toImage` (the stable image) where the file names `fromImage` (the aborted one), keeping comments,
 * quoting and every other byte of the file as it was. A kustomize entry keeps its shape: `newTag` or
 * `digest` is set (the other removed), `newName` only when the entry already renames the image.
 */
export function rollBackImage(
  content: string,
  locator: ImageLocator,
  fromImage: string,
  toImage: string,
): EditOutcome {
  const docs = parseDocs(content);
  if (typeof docs === 'string') return { kind: 'invalid', message: docs };
  return locator.kind === 'field'
    ? editField(docs, locator.path, fromImage, toImage)
    : editKustomize(docs, locator.imageName, fromImage, toImage);
}
