import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Rollout } from '../../../src/api/index.js';

/** A canary Rollout `web` (uid `u1`) with the given steps and status; `spec` fields override. */
export function aRollout(
  status: Rollout['status'] = {},
  spec: Partial<Rollout['spec']> = {},
  steps: object[] = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }],
): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u1',
      generation: 2,
      resourceVersion: '42',
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'web:1' }] },
      },
      strategy: { canary: { steps } },
      ...spec,
    } as Rollout['spec'],
    status: { observedGeneration: '2', ...status },
  };
}

/** A ReplicaSet owned by Rollout `web` with revision, hash, image and counts. */
export function aReplicaSet(
  revision: number,
  hash: string,
  image: string,
  counts: [number, number],
): ReplicaSet {
  const [desired, available] = counts;
  return {
    metadata: {
      name: `web-${hash}`,
      uid: `rs-${hash}`,
      labels: { app: 'web', 'rollouts-pod-template-hash': hash },
      annotations: { 'rollout.argoproj.io/revision': String(revision) },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u1' }],
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      replicas: desired,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': hash } },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
    status: { replicas: desired, readyReplicas: available, availableReplicas: available },
  };
}

/** A pod of ReplicaSet `web-<hash>`, Ready or not. */
export function aPod(hash: string, suffix: string, ready: boolean): Pod {
  return {
    metadata: {
      name: `web-${hash}-${suffix}`,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, uid: `rs-${hash}` },
      ],
      creationTimestamp: '2026-01-01T00:00:30Z',
    },
    spec: { containers: [{ name: 'app' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'app', ready, restartCount: 0, image: '', imageID: '' }],
    },
  };
}

/** A blue-green Rollout manifest `web` (2 replicas, image web:1) whose `blueGreen:` block is `block` (6-space indent). */
export function blueGreenManifest(block: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: web:1
  strategy:
    blueGreen:
${block}`;
}

/** The status of a blue-green Rollout waiting at its promotion pause: active on h1, preview on h2. */
export const BLUE_GREEN_PAUSED = {
  phase: 'Paused',
  message: 'BlueGreenPause',
  stableRS: 'h1',
  currentPodHash: 'h2',
  pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-01-01T00:01:00Z' }],
  blueGreen: { activeSelector: 'h1', previewSelector: 'h2' },
};
