import { isDeepStrictEqual } from 'node:util';
import type { KubeClient, ResourceType } from '../kube/client.js';
import { ApiError, isApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import type { DesiredTraffic } from './desired-traffic.js';
import type { ApplyResult, EditResult, ObservedTraffic, RouteIssue, StagedApply } from './router.js';

/** One existing object a router edits in place (a VirtualService, DestinationRule or HTTPRoute). */
export interface EditTarget {
  resource: ResourceType;
  kind: string;
  namespace: string;
  name: string;
  /** The pure edit; on issues it returns its input unchanged. */
  edit(object: KubeObject, desired: DesiredTraffic): EditResult<KubeObject>;
  /**
   * The form compared to decide whether a write is needed (default: the object itself). Used to fill in
   * API-server defaults, so an edit the server normalises does not cause a write on every pass.
   */
  normalize?(object: KubeObject): unknown;
}

/** A pending write; rejects with an `ApiError` (`Conflict` when the object changed since it was read). */
export type Write = () => Promise<void>;

/** Whether a missing object is a `RouteIssue` (apply) or nothing to do (clean-up). */
export type MissingObject = 'issue' | 'skip';

/** The `ObjectNotFound` issue of a missing `kind` `namespace/name`. */
export function notFoundIssue(kind: string, namespace: string, name: string): RouteIssue {
  return {
    reason: 'ObjectNotFound',
    object: { kind, name, namespace },
    path: 'metadata.name',
    message: `${kind} "${name}" not found in namespace "${namespace}"`,
  };
}

/** Reads one object; NotFound → undefined, every other failure rejects with its `ApiError`. */
export async function getOptional<T extends KubeObject>(
  client: KubeClient,
  resource: ResourceType,
  namespace: string,
  name: string,
): Promise<T | undefined> {
  try {
    return await client.get<T>(resource, namespace, name);
  } catch (err) {
    if (isApiError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/**
 * A full `PUT` of `object` carrying the resourceVersion it was read with, so it fails instead of
 * overwriting a concurrent change. A 409 rejects with an `ApiError` `Conflict` whose message names the
 * object: the caller's work queue retries, and the next pass re-reads and re-edits.
 */
export function conditionalReplace(
  client: KubeClient,
  target: Pick<EditTarget, 'resource' | 'kind' | 'namespace' | 'name'>,
  object: KubeObject,
): Write {
  return async () => {
    if (object.metadata?.resourceVersion === undefined) {
      throw new Error(`refusing an unconditional replace of ${target.kind} "${target.name}"`);
    }
    try {
      await client.replace(target.resource, target.namespace, object);
    } catch (err) {
      if (!isApiError(err, 'Conflict')) throw err;
      const message = `${target.kind} "${target.namespace}/${target.name}" changed since it was read; traffic is re-applied on the next pass`;
      throw new ApiError(409, 'Conflict', message, { cause: err });
    }
  };
}

/** The issues and writes of editing `targets`, in order; reads happen in parallel, nothing is written. */
export interface StagedEdits {
  issues: RouteIssue[];
  writes: Write[];
}

/**
 * Reads each target, runs its edit and keeps a conditional replace for each object whose (normalised)
 * edit differs from what was read. Invariant: an object with issues, or whose edit equals it, gets no write.
 */
export async function stageEdits(
  client: KubeClient,
  targets: readonly EditTarget[],
  desired: DesiredTraffic,
  missing: MissingObject,
): Promise<StagedEdits> {
  const objects = await Promise.all(
    targets.map((t) => getOptional<KubeObject>(client, t.resource, t.namespace, t.name)),
  );
  const out: StagedEdits = { issues: [], writes: [] };
  targets.forEach((target, i) => {
    const before = objects[i];
    if (before === undefined) {
      if (missing === 'issue') out.issues.push(notFoundIssue(target.kind, target.namespace, target.name));
      return;
    }
    const { object: after, issues } = target.edit(before, desired);
    out.issues.push(...issues);
    if (issues.length > 0) return;
    const normalize = target.normalize ?? ((o: KubeObject) => o);
    if (!isDeepStrictEqual(normalize(before), normalize(after))) {
      out.writes.push(conditionalReplace(client, target, after));
    }
  });
  return out;
}

async function runWrites(writes: readonly Write[]): Promise<boolean> {
  for (const write of writes) await write();
  return writes.length > 0;
}

/** A `StagedApply` over `edits`: its `commit` runs the writes in order and refuses to run with issues. */
export function stagedApply(edits: StagedEdits): StagedApply {
  return {
    issues: edits.issues,
    pendingWrites: edits.writes.length,
    commit: async () => {
      if (edits.issues.length > 0) throw new Error('commit called on a staged apply that has issues');
      return runWrites(edits.writes);
    },
  };
}

/** Clean-up semantics: every write that could be computed is made; objects with issues stay untouched. */
export async function commitBestEffort(edits: StagedEdits): Promise<ApplyResult> {
  return { changed: await runWrites(edits.writes), issues: edits.issues };
}

function agreed(values: readonly (number | undefined)[]): number | undefined {
  const [first] = values;
  return values.every((v) => v === first) ? first : undefined;
}

/**
 * Combines what several objects of one router report. Invariant: a weight is reported only when every
 * object reports the same value (a half-applied change reads as undefined, i.e. "not settled"); route
 * names are the union in first-seen order; issues are concatenated. No objects → all undefined.
 */
export function combineObserved(list: readonly ObservedTraffic[]): ObservedTraffic {
  const union = (pick: (o: ObservedTraffic) => readonly string[]) => [...new Set(list.flatMap(pick))];
  return {
    canaryWeight: agreed(list.map((o) => o.canaryWeight)),
    stableWeight: agreed(list.map((o) => o.stableWeight)),
    headerRoutes: union((o) => o.headerRoutes),
    mirrorRoutes: union((o) => o.mirrorRoutes),
    issues: list.flatMap((o) => o.issues),
  };
}
