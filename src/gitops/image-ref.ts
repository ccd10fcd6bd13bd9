/** An image reference split the way kustomize's `images:` entries address it. */
export interface ImageRef {
  /** Registry and repository, e.g. `registry.example:5000/team/shop`. */
  name: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits `name[:tag][@digest]`; a `:` before the last `/` is a registry port, not a tag.
 * `format(parseImage(x)) === x` for every reference with a name.
 */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  const ref: ImageRef = { name: hasTag ? rest.slice(0, colon) : rest };
  if (hasTag) ref.tag = rest.slice(colon + 1);
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The reference text of `ref`: `name[:tag][@digest]`. */
export function formatImage(ref: ImageRef): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
