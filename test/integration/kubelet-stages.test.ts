import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Pod, type V1PodSpec } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../cluster/wait.js';
import { adminKubeConfig } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';

// The harness's kwok Stages (test/cluster/kwok-stages.yaml) act like a kubelet where the pod spec says
// enough: these tests pin each rule. Times are whole seconds (the API server's precision).

let kc: KubeConfig;
let core: CoreV1Api;
let namespace: string;

beforeAll(async () => {
  kc = adminKubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  namespace = await createNamespace(kc, 'kubelet');
});

afterAll(async () => {
  await deleteNamespace(kc, namespace);
});

const seconds = (time: Date | string | undefined) => new Date(time ?? 0).getTime() / 1000;

function condition(pod: V1Pod, type: string) {
  return pod.status?.conditions?.find((c) => c.type === type);
}

async function createPod(name: string, spec: Partial<V1PodSpec>): Promise<void> {
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }], ...spec },
    },
  });
}

async function waitPod(
  name: string,
  description: string,
  predicate: (pod: V1Pod) => boolean,
): Promise<V1Pod> {
  return pollUntil(
    async () => {
      const pod = await core.readNamespacedPod({ namespace, name });
      return predicate(pod) && pod;
    },
    { timeoutMs: 60_000, intervalMs: 200, description: `pod ${name}: ${description}` },
  );
}

const ready = (pod: V1Pod) => condition(pod, 'Ready')?.status === 'True';

async function setGate(name: string, status: 'True' | 'False'): Promise<void> {
  const pod = await core.readNamespacedPod({ namespace, name });
  const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'example.com/gate');
  pod.status = { ...pod.status, conditions: [...others, { type: 'example.com/gate', status }] };
  await core.replaceNamespacedPodStatus({ namespace, name, body: pod });
}

describe('kwok Stages behave like a kubelet', () => {
  it('keeps a pod with readiness gates NotReady until every gate condition is True, and follows them', async () => {
    await createPod('gated', { readinessGates: [{ conditionType: 'example.com/gate' }] });
    const running = await waitPod(
      'gated',
      'containers ready',
      (p) => condition(p, 'ContainersReady')?.status === 'True',
    );
    expect(condition(running, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    await setGate('gated', 'True');
    await waitPod('gated', 'Ready once its gate is True', ready);
    await setGate('gated', 'False');
    await waitPod('gated', 'NotReady again when its gate turns False', (p) => !ready(p));
  });

  it('readies containers after readinessProbe.initialDelaySeconds and a postStart sleep', async () => {
    await createPod('probed', {
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:1',
          readinessProbe: { initialDelaySeconds: 3, httpGet: { path: '/ready', port: 8080 } },
        },
        {
          name: 'sidecar',
          image: 'registry.example/sidecar:1',
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 2'] } } },
        },
      ],
    });
    const pod = await waitPod('probed', 'Ready', ready);
    const readyAt = seconds(condition(pod, 'Ready')?.lastTransitionTime);
    expect(readyAt - seconds(pod.status?.startTime)).toBeGreaterThanOrEqual(3);
  });

  it('runs a Job pod to completion: `sleep N` takes N seconds and the Job completes', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'sleeper' },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'job', image: 'registry.example/tool:1', command: ['sleep', '2'] }],
            },
          },
        },
      },
    });
    await pollUntil(
      async () => {
        const job = await batch.readNamespacedJob({ namespace, name: 'sleeper' });
        return job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True');
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'Job sleeper to complete' },
    );
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'job-name=sleeper' });
    const terminated = pods.items[0]?.status?.containerStatuses?.[0]?.state?.terminated;
    expect(pods.items[0]?.status?.phase).toBe('Succeeded');
    expect(terminated?.exitCode).toBe(0);
    expect(
      seconds(terminated?.finishedAt) - seconds(pods.items[0]?.status?.startTime),
    ).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['sh -c -x "sleep 1 && exit 3"', ['sh', '-c', '-x', 'sleep 1 && exit 3'], 'Failed', 3, 1],
    ['sh -c "false && exit 3; exit 4"', ['sh', '-c', 'false && exit 3; exit 4'], 'Failed', 4, 0],
    ['sh -c "sleep 1; true"', ['/bin/sh', '-c', 'sleep 1; true'], 'Succeeded', 0, 1],
    ['a command it cannot run', ['nginx', '-g', 'daemon off;'], 'Succeeded', 0, 0],
  ])('runs %s as a shell would', async (_name, command, phase, exitCode, atLeast) => {
    const name = `run-${exitCode}-${atLeast}-${phase.toLowerCase()}`;
    await createPod(name, {
      restartPolicy: 'Never',
      containers: [{ name: 'job', image: 'registry.example/tool:1', command }],
    });
    const pod = await waitPod(name, `phase ${phase}`, (p) =>
      ['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
    );
    const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
    expect({ phase: pod.status?.phase, exitCode: terminated?.exitCode }).toEqual({ phase, exitCode });
    expect(seconds(terminated?.finishedAt) - seconds(pod.status?.startTime)).toBeGreaterThanOrEqual(atLeast);
  });

  it('keeps a deleted pod Terminating for its preStop sleep (within the grace period), others go at once', async () => {
    await createPod('draining', {
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:1',
          lifecycle: { preStop: { exec: { command: ['sleep', '3'] } } },
        },
      ],
    });
    await createPod('plain', {});
    await waitPod('draining', 'Ready', ready);
    await waitPod('plain', 'Ready', ready);
    const gone = async (name: string) => {
      const started = Date.now();
      await core.deleteNamespacedPod({ namespace, name });
      await pollUntil(
        () =>
          core.readNamespacedPod({ namespace, name }).then(
            () => false,
            (err: { code?: number }) => err.code === 404,
          ),
        { timeoutMs: 60_000, intervalMs: 100, description: `pod ${name} to be deleted` },
      );
      return (Date.now() - started) / 1000;
    };
    const [draining, plain] = await Promise.all([gone('draining'), gone('plain')]);
    expect(draining).toBeGreaterThanOrEqual(2);
    expect(plain).toBeLessThan(draining);
  });
});
