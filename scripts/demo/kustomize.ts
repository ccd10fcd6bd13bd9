import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A Kubernetes object as read from YAML. */
export type Manifest = Record<string, unknown> & { kind?: string; metadata?: { name?: string } };

/** The `images:` entry of a kustomization. */
export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
}

interface Kustomization {
  resources?: string[];
  images?: ImageOverride[];
}

interface Container {
  image?: string;
}

/** The image name of a reference without its tag or digest (`repo/app:v1` → `repo/app`). */
export function imageName(ref: string): string {
  const at = ref.indexOf('@');
  const withoutDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** `ref` rewritten by the first override whose name matches its image name; unchanged otherwise. */
export function overrideImage(ref: string, overrides: readonly ImageOverride[]): string {
  const name = imageName(ref);
  const match = overrides.find((o) => o.name === name);
  if (!match) return ref;
  const tag = match.newTag ?? (ref.length > name.length ? ref.slice(name.length + 1) : undefined);
  return `${match.newName ?? name}${tag ? `:${tag}` : ''}`;
}

function podContainers(object: Manifest): Container[] {
  const spec = (object.spec ?? {}) as { template?: { spec?: { containers?: Container[] } } };
  return spec.template?.spec?.containers ?? [];
}

/** Applies kustomize's `images:` transformer to the pod templates of `objects` (in place). */
export function applyImages(objects: Manifest[], overrides: readonly ImageOverride[]): Manifest[] {
  for (const object of objects) {
    for (const container of podContainers(object)) {
      if (container.image) container.image = overrideImage(container.image, overrides);
    }
  }
  return objects;
}

function readObjects(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => doc.toJSON() as Manifest | null)
    .filter((o): o is Manifest => o !== null);
}

/**
 * Renders a kustomization directory the way `kustomize build` does for the subset the demo uses:
 * `resources` (files and directories, recursively) and `images`. Anything else is refused, so the
 * demo never silently renders something kustomize would not.
 */
export function renderKustomization(dir: string): Manifest[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization & object;
  const unknown = Object.keys(k).filter(
    (key) => !['apiVersion', 'kind', 'resources', 'images'].includes(key),
  );
  if (unknown.length > 0)
    throw new Error(`${dir}/kustomization.yaml: unsupported fields ${unknown.join(', ')}`);
  const objects = (k.resources ?? []).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path);
  });
  return applyImages(objects, k.images ?? []);
}
