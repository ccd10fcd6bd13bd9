import {
  AppsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { pollUntil } from '../../cluster/wait.js';

/** The Rollout fields the scenario tests read. */
export interface RolloutObject {
  metadata: { name: string; namespace: string; generation?: number; uid?: string };
  spec: Record<string, unknown>;
  status?: {
    phase?: string;
    message?: string;
    currentStepIndex?: number;
    stableRS?: string;
    currentPodHash?: string;
    abort?: boolean;
    pauseConditions?: { reason: string }[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    observedGeneration?: string;
    availableReplicas?: number;
  };
}

const mergePatchOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

const ref = (namespace: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural: 'rollouts',
});

/** Typed helpers over the real API for Rollouts and their ReplicaSets in one namespace. */
export class RolloutApi {
  private readonly custom: CustomObjectsApi;
  private readonly apps: AppsV1Api;

  constructor(
    kc: KubeConfig,
    readonly namespace: string,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.apps = kc.makeApiClient(AppsV1Api);
  }

  async create(body: object): Promise<RolloutObject> {
    return (await this.custom.createNamespacedCustomObject({
      ...ref(this.namespace),
      body,
    })) as RolloutObject;
  }

  async get(name: string): Promise<RolloutObject> {
    return (await this.custom.getNamespacedCustomObject({ ...ref(this.namespace), name })) as RolloutObject;
  }

  /** Merge-patches the Rollout's spec (as `kubectl patch --type merge` does). */
  async patchSpec(name: string, spec: object): Promise<void> {
    await this.custom.patchNamespacedCustomObject(
      { ...ref(this.namespace), name, body: { spec } },
      mergePatchOptions,
    );
  }

  /** Merge-patches the status subresource (what the plugin and Argo CD actions do for promote/abort/retry). */
  async patchStatus(name: string, status: object): Promise<void> {
    await this.custom.patchNamespacedCustomObjectStatus(
      { ...ref(this.namespace), name, body: { status } },
      mergePatchOptions,
    );
  }

  /** The ReplicaSets owned by the Rollout `name`. */
  async replicaSets(name: string): Promise<V1ReplicaSet[]> {
    const list = await this.apps.listNamespacedReplicaSet({ namespace: this.namespace });
    return list.items.filter((rs) =>
      rs.metadata?.ownerReferences?.some((o) => o.kind === 'Rollout' && o.name === name),
    );
  }

  async scaleReplicaSet(name: string, replicas: number): Promise<void> {
    await this.apps.patchNamespacedReplicaSet(
      { namespace: this.namespace, name, body: { spec: { replicas } } },
      mergePatchOptions,
    );
  }

  /** Polls the Rollout until `predicate` holds, calling `check` (the safety invariants) on every observation. */
  async waitFor(
    name: string,
    description: string,
    predicate: (r: RolloutObject, sets: V1ReplicaSet[]) => boolean,
    check?: (r: RolloutObject, sets: V1ReplicaSet[]) => void,
    timeoutMs = 60_000,
  ): Promise<RolloutObject> {
    return pollUntil(
      async () => {
        const [r, sets] = await Promise.all([this.get(name), this.replicaSets(name)]);
        check?.(r, sets);
        return predicate(r, sets) && r;
      },
      { timeoutMs, intervalMs: 200, description },
    );
  }
}
