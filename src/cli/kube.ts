import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { AnalysisRun, Experiment, Rollout, WorkloadKind } from '../api/index.js';
import type { RolloutPatch } from '../api/user-commands.js';
import type { JsonPatchOp, KubeClient } from '../kube/client.js';
import { isApiError } from '../kube/errors.js';
import { Resources, type ResourceType, WORKLOAD_RESOURCES } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { type RequestDescription, toCliError } from './errors.js';
import type { WorkloadDocument } from './workload-ref.js';

async function described<T>(req: RequestDescription, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toCliError(err, req);
  }
}

function subresource(res: ResourceType, sub?: string): string {
  return sub === undefined ? res.plural : `${res.plural}/${sub}`;
}

/**
 * The API calls the verbs make, scoped to one namespace. Invariant: every failure surfaces as a one-line
 * `CliError` naming the verb and resource of the request that failed (see `describeApiError`).
 */
export class RolloutsApi {
  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
  ) {}

  private req(verb: string, res: ResourceType, name?: string, sub?: string): RequestDescription {
    return { verb, resource: subresource(res, sub), namespace: this.namespace, ...(name ? { name } : {}) };
  }

  /** The Rollout `name`. */
  getRollout(name: string): Promise<Rollout> {
    const req = this.req('get', Resources.rollouts, name);
    return described(req, () =>
      this.client.get<Rollout & KubeObject>(Resources.rollouts, this.namespace, name),
    );
  }

  /** The Experiment `name`. */
  getExperiment(name: string): Promise<Experiment> {
    const req = this.req('get', Resources.experiments, name);
    return described(req, () =>
      this.client.get<Experiment & KubeObject>(Resources.experiments, this.namespace, name),
    );
  }

  /** Rollouts in this namespace, or in all namespaces when `all`. */
  async listRollouts(all = false): Promise<Rollout[]> {
    const namespace = all ? undefined : this.namespace;
    const req = { ...this.req('list', Resources.rollouts), namespace };
    const list = await described(req, () =>
      this.client.list<Rollout & KubeObject>(Resources.rollouts, namespace),
    );
    return list.items;
  }

  /** Merge-patches the Rollout's spec (and metadata) — never its status. */
  patchSpec(name: string, spec: Record<string, unknown>): Promise<Rollout> {
    const req = this.req('patch', Resources.rollouts, name);
    const patch = { type: 'merge' as const, body: { spec } };
    return described(req, () =>
      this.client.patch<Rollout & KubeObject>(Resources.rollouts, this.ref(name), patch),
    );
  }

  /**
   * Merge-patches `status` through the status subresource, as Argo's plugin and Argo CD do; on 404 (a CRD
   * without the subresource) it falls back to the main resource, also as they do.
   */
  async patchStatus(name: string, status: Record<string, unknown>): Promise<Rollout> {
    const patch = { type: 'merge' as const, body: { status } };
    try {
      return await this.client.patchStatus<Rollout & KubeObject>(Resources.rollouts, this.ref(name), patch);
    } catch (err) {
      if (!isApiError(err, 'NotFound'))
        throw toCliError(err, this.req('patch', Resources.rollouts, name, 'status'));
    }
    const req = this.req('patch', Resources.rollouts, name);
    return described(req, () =>
      this.client.patch<Rollout & KubeObject>(Resources.rollouts, this.ref(name), patch),
    );
  }

  /**
   * Sends a verb's {@link RolloutPatch}: spec first, then status (subresource); returns the last result.
   * Spec goes first so a controller never sees pause conditions cleared while `spec.paused` is still true
   * (Vireo's controller then forgets `controllerPause` and re-adds the pause once unpaused); with the pause
   * condition still present, unpausing the spec alone changes nothing, so the order is safe with Argo too.
   */
  async apply(name: string, patch: RolloutPatch): Promise<Rollout | undefined> {
    let result: Rollout | undefined;
    if (patch.spec !== undefined) result = await this.patchSpec(name, patch.spec);
    if (patch.status !== undefined) result = await this.patchStatus(name, patch.status);
    return result;
  }

  /** Applies RFC 6902 operations to the Rollout. */
  jsonPatch(name: string, ops: JsonPatchOp[]): Promise<Rollout> {
    const req = this.req('patch', Resources.rollouts, name);
    const patch = { type: 'json' as const, ops };
    return described(req, () =>
      this.client.patch<Rollout & KubeObject>(Resources.rollouts, this.ref(name), patch),
    );
  }

  /** ReplicaSets in the namespace (callers keep those the Rollout owns). */
  async replicaSets(): Promise<ReplicaSet[]> {
    const req = this.req('list', Resources.replicaSets);
    return (
      await described(req, () =>
        this.client.list<ReplicaSet & KubeObject>(Resources.replicaSets, this.namespace),
      )
    ).items;
  }

  /** Pods matching `labelSelector` (all pods when empty). */
  async pods(labelSelector: string): Promise<Pod[]> {
    const req = this.req('list', Resources.pods);
    const opts = labelSelector === '' ? {} : { labelSelector };
    return (
      await described(req, () => this.client.list<Pod & KubeObject>(Resources.pods, this.namespace, opts))
    ).items;
  }

  /** AnalysisRuns in the namespace; an unserved AnalysisRun API reads as none. */
  async analysisRuns(): Promise<AnalysisRun[]> {
    const req = this.req('list', Resources.analysisRuns);
    try {
      return (await this.client.list<AnalysisRun & KubeObject>(Resources.analysisRuns, this.namespace)).items;
    } catch (err) {
      if (isApiError(err, 'NotFound')) return [];
      throw toCliError(err, req);
    }
  }

  /** The workload of `kind` named `name` (what a Rollout's `spec.workloadRef` names). */
  getWorkload(kind: WorkloadKind, name: string): Promise<WorkloadDocument> {
    const res = WORKLOAD_RESOURCES[kind];
    return described(this.req('get', res, name), () =>
      this.client.get<WorkloadDocument & KubeObject>(res, this.namespace, name),
    );
  }

  /** Applies RFC 6902 operations to the workload of `kind` named `name`. */
  jsonPatchWorkload(kind: WorkloadKind, name: string, ops: JsonPatchOp[]): Promise<WorkloadDocument> {
    const res = WORKLOAD_RESOURCES[kind];
    const patch = { type: 'json' as const, ops };
    return described(this.req('patch', res, name), () =>
      this.client.patch<WorkloadDocument & KubeObject>(res, this.ref(name), patch),
    );
  }

  private ref(name: string) {
    return { namespace: this.namespace, name };
  }
}

/** `matchLabels` as a label selector string (`a=b,c=d`); '' when there are none. */
export function matchLabelsSelector(selector: { matchLabels?: Record<string, string> } | undefined): string {
  return Object.entries(selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
