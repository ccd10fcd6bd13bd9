import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AppsV1Api,
  CoreV1Api,
  type CoreV1Event,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../../harness/controller.js';
import { pollUntil } from '../../../harness/wait.js';
import { adminKubeConfig, clusterInfo } from './cluster.js';
import { createNamespace, deleteNamespace } from './objects.js';

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
    abortedAt?: string;
    promoteFull?: boolean;
    restartedAt?: string;
    pauseConditions?: { reason: string }[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    observedGeneration?: string;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    HPAReplicas?: number;
    selector?: string;
    blueGreen?: {
      activeSelector?: string;
      previewSelector?: string;
      prePromotionAnalysisRunStatus?: { name: string; status: string };
      postPromotionAnalysisRunStatus?: { name: string; status: string };
    };
  };
}

/** An invariant checked on every observation; it throws (an `expect`) on a violation. */
export type Check = (r: RolloutObject, sets: V1ReplicaSet[]) => void;

const mergePatchOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const run = promisify(execFile);

const ref = (namespace: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural: 'rollouts',
});

/** `rs.spec.replicas`, `rs.status.availableReplicas` and the pod-template hash of a ReplicaSet. */
export const specReplicas = (rs: V1ReplicaSet) => rs.spec?.replicas ?? 0;
export const available = (rs: V1ReplicaSet) => rs.status?.availableReplicas ?? 0;
export const hashOf = (rs: V1ReplicaSet) => rs.metadata?.labels?.['rollouts-pod-template-hash'];
export const imageOf = (rs: V1ReplicaSet) => rs.spec?.template?.spec?.containers[0]?.image;

/** Runs the harness's real kubectl against the test cluster (as admin); resolves with its stdout. */
export async function kubectl(args: string[]): Promise<string> {
  const { kubectlPath, kubeconfigPath } = clusterInfo();
  const { stdout } = await run(kubectlPath, [`--kubeconfig=${kubeconfigPath}`, ...args]);
  return stdout;
}

/** Typed helpers over the real API for Rollouts and their ReplicaSets in one namespace. */
export class RolloutApi {
  private readonly custom: CustomObjectsApi;
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;

  constructor(
    kc: KubeConfig,
    readonly namespace: string,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
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

  async delete(name: string): Promise<void> {
    await this.custom.deleteNamespacedCustomObject({ ...ref(this.namespace), name });
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

  /** Names of every ReplicaSet of the namespace starting with `prefix`, owned or not, sorted. */
  async replicaSetNames(prefix: string): Promise<string[]> {
    const list = await this.apps.listNamespacedReplicaSet({ namespace: this.namespace });
    return list.items
      .map((rs) => rs.metadata?.name ?? '')
      .filter((n) => n.startsWith(prefix))
      .sort();
  }

  async scaleReplicaSet(name: string, replicas: number): Promise<void> {
    await this.apps.patchNamespacedReplicaSet(
      { namespace: this.namespace, name, body: { spec: { replicas } } },
      mergePatchOptions,
    );
  }

  async deleteReplicaSet(name: string): Promise<void> {
    await this.apps.deleteNamespacedReplicaSet({ namespace: this.namespace, name });
  }

  /** The pods of the ReplicaSet `rsName` (by owner reference), terminating ones excluded. */
  async pods(rsName: string): Promise<V1Pod[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace });
    return list.items.filter(
      (pod) =>
        !pod.metadata?.deletionTimestamp &&
        pod.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === rsName),
    );
  }

  /** The reasons of the Events recorded on the Rollout `name`, in creation order. */
  async events(name: string): Promise<CoreV1Event[]> {
    const list = await this.core.listNamespacedEvent({ namespace: this.namespace });
    return list.items.filter((e) => e.involvedObject.kind === 'Rollout' && e.involvedObject.name === name);
  }

  /** Polls until Events with every one of `reasons` were recorded on the Rollout `name`; returns them all. */
  async waitForEvents(name: string, reasons: readonly string[]): Promise<CoreV1Event[]> {
    return pollUntil(
      async () => {
        const events = await this.events(name);
        const seen = new Set(events.map((e) => e.reason));
        return reasons.every((reason) => seen.has(reason)) && events;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: `events ${reasons.join(', ')} on ${name}` },
    );
  }

  /**
   * Polls the Rollout until `predicate` holds. `check` (the safety invariants) runs on every observation
   * (ReplicaSets read before the Rollout) and fails the wait at once on a violation (not at the deadline).
   * A wait that times out says the last status it saw.
   */
  async waitFor(
    name: string,
    description: string,
    predicate: (r: RolloutObject, sets: V1ReplicaSet[]) => boolean,
    check?: Check,
    timeoutMs = 90_000,
  ): Promise<RolloutObject> {
    let last: RolloutObject | undefined;
    const outcome = await pollUntil(
      async () => {
        // ReplicaSets first, then the Rollout: its status is never older than the ReplicaSets it is checked
        // against (the controller scales before it writes status), so a stale read cannot fake a violation.
        const sets = await this.replicaSets(name);
        const r = await this.get(name);
        last = r;
        try {
          check?.(r, sets);
        } catch (violation) {
          return { violation };
        }
        return predicate(r, sets) && { r };
      },
      { timeoutMs, intervalMs: 200, description },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last status of ${name}: ${JSON.stringify(last?.status)}`);
    });
    if ('violation' in outcome) throw outcome.violation;
    return outcome.r;
  }
}

/** One test file's world: a namespace, the controller as its own process (as the deploy/ ServiceAccount). */
export interface EngineEnv {
  kc: KubeConfig;
  namespace: string;
  api: RolloutApi;
  controller: ControllerProcess;
  stop(): Promise<void>;
}

/** Creates a namespace and starts the controller watching only it, as the ServiceAccount of deploy/rbac.yaml. */
export async function startEngine(prefix: string): Promise<EngineEnv> {
  const kc = adminKubeConfig();
  const namespace = await createNamespace(kc, prefix);
  const dir = mkdtempSync(join(tmpdir(), `vireo-${prefix}-`));
  const kubeconfig = await serviceAccountKubeconfig(kc, join(dir, 'kubeconfig.yaml'));
  const controller = await startControllerProcess({
    kubeconfigPath: kubeconfig,
    logPath: join(dir, 'controller.log'),
    args: [`--namespace=${namespace}`, '--no-leader-elect', '--log-level=debug'],
  });
  const stop = async () => {
    await controller.process.stop();
    await deleteNamespace(kc, namespace);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  };
  return { kc, namespace, api: new RolloutApi(kc, namespace), controller, stop };
}
