import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppsV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScrapeTargets } from '../../harness/prometheus.js';
import { pollUntil } from '../../harness/wait.js';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';

interface PromVector {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function promQuery(query: string): Promise<PromVector> {
  const url = `${clusterInfo().prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`;
  const res = await fetch(url);
  return (await res.json()) as PromVector;
}

describe('test control plane smoke', () => {
  let kc: KubeConfig;
  let namespace: string;

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'smoke');
  });
  afterAll(async () => {
    await deleteNamespace(kc, namespace);
  });

  it('runs a 3-replica Deployment to 3 Ready pods', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const labels = { app: 'smoke' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'smoke' },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'app', image: 'registry.example/smoke:1.0.0' }] },
          },
        },
      },
    });
    const ready = await pollUntil(
      async () => {
        const d = await apps.readNamespacedDeployment({ name: 'smoke', namespace });
        return d.status?.readyReplicas === 3 && d.status;
      },
      { timeoutMs: 60_000, description: 'Deployment smoke to have 3 ready replicas' },
    );
    expect(ready.availableReplicas).toBe(3);
  });

  it('accepts an Istio VirtualService and a Gateway API HTTPRoute', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const vs = await custom.createNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace,
      plural: 'virtualservices',
      body: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'smoke-vs' },
        spec: {
          hosts: ['smoke'],
          http: [
            {
              name: 'primary',
              route: [
                { destination: { host: 'smoke-stable' }, weight: 100 },
                { destination: { host: 'smoke-canary' }, weight: 0 },
              ],
            },
          ],
        },
      },
    });
    expect((vs as { metadata: { uid?: string } }).metadata.uid).toBeTruthy();
    const route = await custom.createNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace,
      plural: 'httproutes',
      body: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'smoke-route' },
        spec: {
          parentRefs: [{ name: 'gateway' }],
          rules: [
            {
              backendRefs: [
                { name: 'smoke-stable', port: 80, weight: 100 },
                { name: 'smoke-canary', port: 80, weight: 0 },
              ],
            },
          ],
        },
      },
    });
    expect((route as { metadata: { uid?: string } }).metadata.uid).toBeTruthy();
  });

  it('has a Prometheus that answers `up` and scrapes targets dropped into the file_sd directory', async () => {
    const self = await pollUntil(
      async () => {
        const res = await promQuery('up{job="prometheus"}');
        return res.data.result.length > 0 && res;
      },
      { timeoutMs: 30_000, description: 'Prometheus to scrape itself' },
    );
    expect(self.data.result[0]?.value[1]).toBe('1');

    const app: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end('vireo_smoke_requests_total{status="200"} 42\n');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const port = (app.address() as AddressInfo).port;
      writeScrapeTargets(clusterInfo().prometheusTargetsDir, `smoke-${port}`, [`127.0.0.1:${port}`], {
        app: 'smoke',
      });
      const scraped = await pollUntil(
        async () => {
          const res = await promQuery('vireo_smoke_requests_total{app="smoke"}');
          return res.data.result.length > 0 && res;
        },
        { timeoutMs: 30_000, description: 'the file_sd target to be scraped' },
      );
      expect(scraped.data.result[0]?.value[1]).toBe('42');
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
