import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../../harness/control-plane.js';
import { newRunDir } from '../../harness/environment.js';
import { type PrometheusServer, startPrometheus } from '../../harness/prometheus.js';
import { startTcpProxy, type TcpProxy } from '../../harness/tcp-proxy.js';
import { pollUntil } from '../../harness/wait.js';

/** A test group's own control plane (apiserver + etcd), reached through a TCP proxy it may cut. */
describe('a private control plane behind a TCP proxy', () => {
  let cp: ControlPlane;
  let proxy: TcpProxy;
  let kc: KubeConfig;

  beforeAll(async () => {
    cp = await startControlPlane({ dir: newRunDir('private'), workloads: false });
    proxy = await startTcpProxy(cp.layout.apiserverPort);
    const proxied = join(cp.layout.dir, 'kubeconfig-proxied.yaml');
    writeFileSync(
      proxied,
      readFileSync(cp.kubeconfigPath, 'utf8').replace(cp.server, `https://127.0.0.1:${proxy.port}`),
    );
    kc = new KubeConfig();
    kc.loadFromFile(proxied);
  });
  afterAll(async () => {
    await proxy?.close();
    await cp?.stop();
    rmSync(cp?.layout.dir ?? '', { recursive: true, force: true });
  });

  const listNamespaces = async (): Promise<string[]> =>
    (await kc.makeApiClient(CoreV1Api).listNamespace()).items.map((n) => n.metadata?.name ?? '');

  it('serves requests through the proxy', async () => {
    expect(await listNamespaces()).toContain('default');
    expect(proxy.accepted()).toBeGreaterThan(0);
  });

  it('recovers after the connections are cut', async () => {
    proxy.cutAll();
    expect(
      await pollUntil(listNamespaces, { timeoutMs: 10_000, description: 'requests after a cut' }),
    ).toContain('default');
  });

  it('keeps its data across a kube-apiserver restart', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'survives-restart' } } });
    await cp.restartApiServer();
    const names = await pollUntil(listNamespaces, {
      timeoutMs: 30_000,
      description: 'the restarted apiserver',
    });
    expect(names).toContain('survives-restart');
  });
});

describe('a private Prometheus', () => {
  let prom: PrometheusServer;
  const dir = newRunDir('private-prom');

  beforeAll(async () => {
    prom = await startPrometheus(join(dir, 'prometheus'));
  });
  afterAll(async () => {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const answersUp = async (): Promise<boolean> => {
    const res = await fetch(`${prom.url}/api/v1/query?query=up`).catch(() => undefined);
    return res?.ok === true;
  };

  it('can be stopped and restarted on the same address', async () => {
    expect(await pollUntil(answersUp, { timeoutMs: 10_000, description: 'Prometheus to answer' })).toBe(true);
    await prom.stop();
    expect(await answersUp()).toBe(false);
    await prom.restart();
    expect(await pollUntil(answersUp, { timeoutMs: 30_000, description: 'the restarted Prometheus' })).toBe(
      true,
    );
  });
});
