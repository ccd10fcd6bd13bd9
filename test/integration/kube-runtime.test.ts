import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { ClientNodeKubeClient, Resources } from '../../src/kube/client.js';
import { apiEventSink, EventRecorder } from '../../src/kube/events.js';
import type { ResilientInformer } from '../../src/kube/informer.js';
import { createInformer } from '../../src/kube/informers.js';
import { LeaderElector } from '../../src/kube/leader-election.js';
import { clientLeaseApi } from '../../src/kube/lease-api.js';
import type { KubeObject } from '../../src/kube/types.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { adminKubeConfig } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';

const OWNED = { 'app.kubernetes.io/managed-by': 'vireo' };
const SELECTOR = 'app.kubernetes.io/managed-by=vireo';

function replicaSet(name: string, labels: Record<string, string>): KubeObject {
  const podLabels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, labels },
    spec: {
      replicas: 0,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0.0' }] },
      },
    },
  } as KubeObject;
}

describe('controller runtime against the real API server', () => {
  let kc: KubeConfig;
  let client: ClientNodeKubeClient;
  let namespace = '';
  const informers: ResilientInformer<KubeObject>[] = [];
  const electors: LeaderElector[] = [];

  beforeAll(async () => {
    kc = adminKubeConfig();
    client = new ClientNodeKubeClient(kc);
    namespace = await createNamespace(kc, 'kube-runtime');
  });

  afterAll(async () => {
    await Promise.all(informers.map((i) => i.stop()));
    await Promise.all(electors.map((e) => e.stop()));
    await deleteNamespace(kc, namespace);
  });

  it('caches only labelled ReplicaSets, without managedFields, and follows label changes', async () => {
    await client.create(Resources.replicaSets, namespace, replicaSet('owned-1', OWNED));
    await client.create(Resources.replicaSets, namespace, replicaSet('foreign-1', { app: 'other' }));
    const onServer = await client.get<KubeObject>(Resources.replicaSets, namespace, 'owned-1');
    expect(onServer.metadata?.managedFields).toBeDefined();

    const informer = createInformer<KubeObject>(kc, client, Resources.replicaSets, {
      namespace,
      labelSelector: SELECTOR,
    });
    informers.push(informer);
    await informer.start();
    await pollUntil(() => informer.hasSynced(), { timeoutMs: 30_000, description: 'informer sync' });
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['owned-1']);

    await client.create(Resources.replicaSets, namespace, replicaSet('foreign-2', {}));
    await client.create(Resources.replicaSets, namespace, replicaSet('owned-2', OWNED));
    const watched = await pollUntil(() => informer.get(namespace, 'owned-2'), {
      timeoutMs: 30_000,
      description: 'owned-2 to arrive through the watch',
    });
    expect(informer.get(namespace, 'foreign-2')).toBeUndefined();
    for (const obj of [watched, informer.get(namespace, 'owned-1')]) {
      expect(obj?.metadata).toBeDefined();
      expect(obj?.metadata).not.toHaveProperty('managedFields');
      expect(Object.isFrozen(obj)).toBe(true);
    }

    await client.patch(
      Resources.replicaSets,
      { namespace, name: 'owned-2' },
      {
        type: 'merge',
        body: { metadata: { labels: { 'app.kubernetes.io/managed-by': null } } },
      },
    );
    await pollUntil(() => informer.get(namespace, 'owned-2') === undefined, {
      timeoutMs: 30_000,
      description: 'owned-2 to leave the cache once unlabelled',
    });
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['owned-1']);
  });

  it('patches with merge, JSON and server-side apply, and maps API failures to typed errors', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace },
      data: { a: '1' },
    };
    const applied = await client.patch<KubeObject & { data?: Record<string, string> }>(
      Resources.configMaps,
      { namespace, name: 'cfg' },
      { type: 'apply', body: cm, fieldManager: 'vireo', force: true },
    );
    expect(applied.data).toEqual({ a: '1' });
    await client.patch(
      Resources.configMaps,
      { namespace, name: 'cfg' },
      { type: 'merge', body: { data: { b: '2' } } },
    );
    const rv = (await client.get<KubeObject>(Resources.configMaps, namespace, 'cfg')).metadata
      ?.resourceVersion;
    const patched = await client.patch<KubeObject & { data?: Record<string, string> }>(
      Resources.configMaps,
      { namespace, name: 'cfg' },
      {
        type: 'json',
        ops: [
          { op: 'test', path: '/metadata/resourceVersion', value: rv },
          { op: 'replace', path: '/data/a', value: '3' },
        ],
      },
    );
    expect(patched.data).toEqual({ a: '3', b: '2' });

    const staleTest = client.patch(
      Resources.configMaps,
      { namespace, name: 'cfg' },
      {
        type: 'json',
        ops: [{ op: 'test', path: '/metadata/resourceVersion', value: rv }],
      },
    );
    await expect(staleTest).rejects.toMatchObject({ code: 422, reason: 'Invalid' });
    await expect(client.get(Resources.configMaps, namespace, 'missing')).rejects.toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "missing" not found',
    });
    await expect(client.create(Resources.configMaps, namespace, cm)).rejects.toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
    });
    const stale = { ...cm, metadata: { ...cm.metadata, resourceVersion: rv } };
    await expect(client.replace(Resources.configMaps, namespace, stale)).rejects.toMatchObject({
      code: 409,
      reason: 'Conflict',
    });
  });

  it('records core/v1 Events the API server accepts and counts repeats on one Event', async () => {
    const involved = await client.create(Resources.replicaSets, namespace, replicaSet('evented', {}));
    const logger = new MemoryLogger();
    const recorder = new EventRecorder({ sink: apiEventSink(client), instance: 'kube-runtime-test', logger });
    recorder.event(involved, 'Normal', 'ScalingReplicaSet', 'Scaled up to 1');
    recorder.event(involved, 'Normal', 'ScalingReplicaSet', 'Scaled up to 1');
    recorder.event(involved, 'Warning', 'ProgressDeadlineExceeded', 'stuck');
    await recorder.flush();
    expect(logger.lines).toEqual([]);
    const events = await client.list<
      KubeObject & { reason?: string; count?: number; reportingComponent?: string }
    >(Resources.events, namespace, { fieldSelector: 'involvedObject.name=evented' });
    const byReason = Object.fromEntries(events.items.map((e) => [e.reason, e]));
    expect(byReason.ScalingReplicaSet).toMatchObject({ count: 2, reportingComponent: 'vireo' });
    expect(byReason.ProgressDeadlineExceeded).toMatchObject({ count: 1, type: 'Warning' });
  });

  it('elects one leader on a real Lease and hands over when it stops', async () => {
    const leaseApi = clientLeaseApi(client);
    const log: string[] = [];
    const make = (identity: string) => {
      const elector = new LeaderElector({
        leaseApi,
        namespace,
        name: 'vireo-controller',
        identity,
        leaseDurationMs: 4000,
        renewDeadlineMs: 3000,
        retryPeriodMs: 500,
        onStartedLeading: () => {
          log.push(`${identity} started`);
        },
        onStoppedLeading: () => log.push(`${identity} stopped`),
      });
      electors.push(elector);
      return elector;
    };
    const a = make('elector-a');
    const b = make('elector-b');
    a.start();
    await pollUntil(() => a.isLeader(), { timeoutMs: 20_000, description: 'elector-a to lead' });
    b.start();

    const readLease = () =>
      client.get<
        KubeObject & { spec?: { holderIdentity?: string; renewTime?: string; leaseTransitions?: number } }
      >(Resources.leases, namespace, 'vireo-controller');
    const firstRenew = (await readLease()).spec?.renewTime;
    expect(firstRenew).toMatch(/\.\d{6}Z$/);
    await pollUntil(async () => (await readLease()).spec?.renewTime !== firstRenew, {
      timeoutMs: 10_000,
      description: 'elector-a to renew while elector-b stands by',
    });
    await pollUntil(() => b.observedLeader() === 'elector-a', {
      timeoutMs: 10_000,
      description: 'b to see a',
    });
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);

    await a.stop();
    await pollUntil(() => b.isLeader(), { timeoutMs: 20_000, description: 'elector-b to take over' });
    const lease = await readLease();
    expect(lease.spec?.holderIdentity).toBe('elector-b');
    expect(lease.spec?.leaseTransitions).toBe(1);
    expect(log).toEqual(['elector-a started', 'elector-a stopped', 'elector-b started']);
  });
});
