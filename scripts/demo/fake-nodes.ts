import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ensureSomeBinaries } from '../../harness/binaries.js';
import { KubeHttpError, kubeRequest } from '../../harness/kube-http.js';
import { ComponentStartError, ManagedProcess } from '../../harness/processes.js';
import { clusterDir } from '../../harness/versions.js';
import { pollUntil } from '../../harness/wait.js';

/** Label (and taint key) of the demo's fake Nodes; its value is the demo namespace. */
export const DEMO_NODE_LABEL = 'vireo.dev/demo-node';

/** Where the demo's pods must go: the fake Nodes, whose taint keeps every other pod away. */
export interface PodPlacement {
  nodeSelector: Record<string, string>;
  tolerations: { key: string; operator: 'Equal'; value: string; effect: 'NoSchedule' }[];
}

/** Fake Nodes on someone's cluster, played by a local kwok so the demo's pods run without pulling an image. */
export interface FakeNodes {
  placement: PodPlacement;
  kwok: ManagedProcess;
  /** Stops kwok and deletes the Nodes; idempotent. */
  stop(): Promise<void>;
}

function nodeBody(name: string, namespace: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { [DEMO_NODE_LABEL]: namespace, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { taints: [{ key: DEMO_NODE_LABEL, value: namespace, effect: 'NoSchedule' }] },
  };
}

async function deleteNode(kc: KubeConfig, name: string): Promise<void> {
  await kubeRequest(kc, 'DELETE', `/api/v1/nodes/${name}`).catch((err: unknown) => {
    if (!(err instanceof KubeHttpError && err.status === 404)) throw err;
  });
}

async function readyNodes(kc: KubeConfig, namespace: string): Promise<number> {
  const selector = encodeURIComponent(`${DEMO_NODE_LABEL}=${namespace}`);
  const list = await kubeRequest<{
    items: { status?: { conditions?: { type: string; status: string }[] } }[];
  }>(kc, 'GET', `/api/v1/nodes?labelSelector=${selector}`);
  return list.items.filter((n) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
}

/**
 * Creates `count` Nodes labelled and tainted {@link DEMO_NODE_LABEL}=`namespace` and runs kwok (built from
 * its Go module if needed) against the cluster to play their kubelets with the harness's Stages: pods placed
 * there become Running and Ready at once, on any cluster (kind included) and with the demo's placeholder
 * image. kwok manages only these Nodes (a label selector), never the cluster's own.
 */
export async function startFakeNodes(
  kc: KubeConfig,
  kubeconfigPath: string,
  namespace: string,
  workDir: string,
  count = 2,
): Promise<FakeNodes> {
  const kwokPath = ensureSomeBinaries(['kwok']).kwok ?? 'kwok';
  const names = Array.from({ length: count }, (_, i) => `vireo-demo-${namespace}-${i}`);
  const kwok = new ManagedProcess(
    'kwok',
    kwokPath,
    [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${join(clusterDir, 'kwok-stages.yaml')}`,
      `--manage-nodes-with-label-selector=${DEMO_NODE_LABEL}=${namespace}`,
      '--node-ip=127.0.0.1',
      '--node-lease-duration-seconds=40',
    ],
    join(workDir, 'kwok.log'),
  );
  const stop = async (): Promise<void> => {
    await kwok.stop();
    for (const name of names) await deleteNode(kc, name);
  };
  const exited = new AbortController();
  void kwok.exited().then(() => exited.abort(new ComponentStartError(kwok, 'exited')));
  try {
    for (const name of names) await kubeRequest(kc, 'POST', '/api/v1/nodes', nodeBody(name, namespace));
    await pollUntil(async () => (await readyNodes(kc, namespace)) >= count, {
      timeoutMs: 60_000,
      description: `the demo's ${count} fake Nodes to be Ready`,
      signal: exited.signal,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const placement: PodPlacement = {
    nodeSelector: { [DEMO_NODE_LABEL]: namespace },
    tolerations: [{ key: DEMO_NODE_LABEL, operator: 'Equal', value: namespace, effect: 'NoSchedule' }],
  };
  return { placement, kwok, stop };
}
