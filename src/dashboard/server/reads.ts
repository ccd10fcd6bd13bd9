import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { AnalysisRun, Rollout } from '../../api/index.js';
import { isApiError } from '../../kube/errors.js';
import type { ListView, RolloutPageView } from '../model.js';
import type { Viewer } from './access.js';
import { FEED_RESOURCES, type FeedKind, type NamespaceFeed } from './feeds.js';
import type { EventObject } from './rollout-parts.js';
import { listView, rolloutPage } from './views.js';

/** A read the viewer may not make, in words: `you may not list pods in namespace shop`. */
export function deniedText(verb: string, kind: FeedKind, namespace: string): string {
  return `you may not ${verb} ${kind} in namespace ${namespace}`;
}

function failureText(err: unknown, kind: FeedKind, namespace: string): string | undefined {
  if (err === undefined) return undefined;
  if (isApiError(err, 'Forbidden')) return deniedText('list', kind, namespace);
  if (isApiError(err, 'NotFound')) return `the server does not serve ${kind}`;
  return `cannot read ${kind}: ${err instanceof Error ? err.message : String(err)}`;
}

function attributes(verb: string, kind: FeedKind, namespace: string, name?: string) {
  const res = FEED_RESOURCES[kind];
  return { verb, group: res.group, resource: res.plural, namespace, ...(name ? { name } : {}) };
}

/** Why `viewer` cannot list `kind` here (by review, or by the watch failing), or undefined. */
async function listDenial(viewer: Viewer, feed: NamespaceFeed, kind: FeedKind): Promise<string | undefined> {
  if (!(await viewer.mayRead(attributes('list', kind, feed.namespace)))) {
    return deniedText('list', kind, feed.namespace);
  }
  return failureText(feed.error(kind), kind, feed.namespace);
}

/** The list page as `viewer` may see it: an `error` instead of rows when they may not list Rollouts. */
export async function readList(viewer: Viewer, feed: NamespaceFeed, now: Date): Promise<ListView> {
  const error = await listDenial(viewer, feed, 'rollouts');
  if (error !== undefined) return { namespace: feed.namespace, rows: [], error };
  return listView(feed.namespace, feed.list<Rollout>('rollouts'), now);
}

/** The outcome of reading a Rollout page: the page, or why there is none. */
export type PageRead = { page: RolloutPageView } | { missing: string } | { denied: string };

/**
 * The Rollout page as `viewer` may see it. Needs `get` on the Rollout; each other section the viewer may
 * not list is left empty and named in `denied` (shown as a sentence, never silently blank).
 */
export async function readPage(
  viewer: Viewer,
  feed: NamespaceFeed,
  name: string,
  now: Date,
): Promise<PageRead> {
  const ns = feed.namespace;
  if (!(await viewer.mayRead(attributes('get', 'rollouts', ns, name)))) {
    return { denied: `you may not get rollouts/${name} in namespace ${ns}` };
  }
  const listError = failureText(feed.error('rollouts'), 'rollouts', ns);
  if (listError !== undefined) return { denied: listError };
  const rollout = feed.list<Rollout>('rollouts').find((r) => r.metadata.name === name);
  if (rollout === undefined) return { missing: `rollout "${name}" not found in namespace ${ns}` };
  const denied: Record<string, string> = {};
  const readable = async <T>(kind: FeedKind): Promise<T[]> => {
    const why = await listDenial(viewer, feed, kind);
    if (why === undefined) return feed.list(kind) as T[];
    denied[kind] = why;
    return [];
  };
  const [replicaSets, pods, analysisRuns, events] = await Promise.all([
    readable<ReplicaSet>('replicasets'),
    readable<Pod>('pods'),
    readable<AnalysisRun>('analysisruns'),
    readable<EventObject>('events'),
  ]);
  return { page: rolloutPage({ rollout, replicaSets, pods, analysisRuns, events, now }, denied) };
}
