import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../api/index.js';
import type { KubeClient } from '../kube/client.js';
import { Resources } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { RolloutView } from './model.js';

/**
 * The revision number of the Rollout's desired ReplicaSet (its `rollout.argoproj.io/revision` annotation),
 * read with one label-selected list per call, so a rollback that renumbers a ReplicaSet is seen at once.
 * Never rejects: `undefined` when unknown or unreadable.
 */
export async function revisionOf(client: KubeClient, rollout: RolloutView): Promise<number | undefined> {
  const namespace = rollout.metadata?.namespace;
  const hash = rollout.status?.currentPodHash;
  if (!namespace || !hash) return undefined;
  try {
    const list = await client.list<KubeObject>(Resources.replicaSets, namespace, {
      labelSelector: `${POD_TEMPLATE_HASH_LABEL}=${hash}`,
    });
    const uid = rollout.metadata?.uid;
    const owned = list.items.find((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === uid));
    const revision = Number(owned?.metadata?.annotations?.[REVISION_ANNOTATION]);
    return Number.isInteger(revision) && revision >= 1 ? revision : undefined;
  } catch {
    return undefined;
  }
}
