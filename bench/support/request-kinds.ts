import { existsSync, readFileSync } from 'node:fs';

/** The environment variable naming the file the request-counter preload writes its counts to. */
export const REQUEST_COUNTS_ENV = 'VIREO_BENCH_REQUEST_COUNTS';

/** A Kubernetes API request by verb (`get`, `list`, `watch`, `create`…) and `resource[/subresource]`. */
export interface RequestKind {
  verb: string;
  resource: string;
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method.toUpperCase()) {
    case 'GET':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** The segments after `/api/v1` or `/apis/<group>/<version>`, or undefined for a non-resource path. */
function resourceSegments(pathname: string): string[] | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 4) rest = parts.slice(3);
  else return undefined;
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  return rest;
}

/**
 * The kind of a request to the Kubernetes API from its method and path (with query): `GET
 * /api/v1/namespaces/a/services/web` is `get services`, `GET …/rollouts?watch=true` is `watch rollouts`,
 * `PATCH …/rollouts/web/status` is `patch rollouts/status`. Non-resource paths keep their path.
 */
export function classifyRequest(method: string, pathWithQuery: string): RequestKind {
  const url = new URL(pathWithQuery, 'http://x');
  const segments = resourceSegments(url.pathname);
  if (!segments) return { verb: method.toLowerCase(), resource: url.pathname };
  const [resource = '?', name, sub] = segments;
  const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  return {
    verb: verbOf(method, name !== undefined, watch),
    resource: sub ? `${resource}/${sub}` : resource,
  };
}

/** Request counts by `verb resource`, as the preload records them. */
export type RequestCounts = Record<string, number>;

/** The counts the preload last wrote to `path`; empty when it has written nothing yet. */
export function readRequestCounts(path: string): RequestCounts {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RequestCounts;
  } catch {
    return {};
  }
}

/** `after − before` per key, keys with no change left out. */
export function countsSince(before: RequestCounts, after: RequestCounts): RequestCounts {
  const diff: RequestCounts = {};
  for (const [key, n] of Object.entries(after)) {
    const d = n - (before[key] ?? 0);
    if (d !== 0) diff[key] = d;
  }
  return diff;
}

/** The sum of all counts. */
export function totalRequests(counts: RequestCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The verbs that change state on the API server. */
export const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** The part of `counts` whose verb is (or, with `writes` false, is not) a write. */
export function filterWrites(counts: RequestCounts, writes = true): RequestCounts {
  return Object.fromEntries(
    Object.entries(counts).filter(([key]) => WRITE_VERBS.has(key.split(' ')[0] ?? '') === writes),
  );
}
