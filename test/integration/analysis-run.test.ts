import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../harness/controller.js';
import { pollUntil } from '../../harness/wait.js';
import { adminKubeConfig } from './support/cluster.js';
import { errorRateMetric, scrapeExporter, startExporter, waitForErrorRate } from './support/exporter.js';
import { createNamespace, deleteNamespace } from './support/objects.js';

interface RunStatus {
  phase?: string;
  message?: string;
  metricResults?: {
    name: string;
    phase: string;
    count?: number;
    failed?: number;
    measurements?: { value?: string; phase: string }[];
  }[];
}

function analysisRun(name: string, app: string, extra: Record<string, unknown> = {}): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name },
    spec: {
      args: [
        { name: 'app', value: app },
        { name: 'token', valueFrom: { secretKeyRef: { name: 'prom-token', key: 'token' } } },
      ],
      metrics: [
        errorRateMetric({ headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }] }, extra),
      ],
    },
  };
}

describe('AnalysisRun controller against real Prometheus, as the deploy/ ServiceAccount', () => {
  let kc: KubeConfig;
  let namespace: string;
  let dir: string;
  let exporter: Server;
  let controller: ControllerProcess;
  const ref = () => ({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'analysisruns' });

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'analysis');
    await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'prom-token' }, stringData: { token: 's3cr3t-token-value' } },
    });
    exporter = await startExporter({ [`${namespace}-bad`]: 0.08, [`${namespace}-good`]: 0.01 });
    scrapeExporter(exporter, 'analysis');
    await waitForErrorRate(`${namespace}-good`);
    dir = mkdtempSync(join(tmpdir(), 'vireo-analysis-'));
    const kubeconfig = await serviceAccountKubeconfig(kc, join(dir, 'kubeconfig.yaml'));
    controller = await startControllerProcess({
      kubeconfigPath: kubeconfig,
      logPath: join(dir, 'controller.log'),
      args: [`--namespace=${namespace}`, '--no-leader-elect'],
    });
  });
  afterAll(async () => {
    await controller?.process.stop();
    await new Promise((resolve) => exporter?.close(resolve));
    await deleteNamespace(kc, namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  const waitForPhase = (name: string, phases: string[]) =>
    pollUntil(
      async () => {
        const run = (await kc
          .makeApiClient(CustomObjectsApi)
          .getNamespacedCustomObject({ ...ref(), name })) as {
          status?: RunStatus;
        };
        return phases.includes(run.status?.phase ?? '') && (run.status as RunStatus);
      },
      { timeoutMs: 60_000, description: `AnalysisRun ${name} to reach ${phases.join('/')}` },
    );

  it('fails a run once more measurements fail than failureLimit allows', async () => {
    await kc
      .makeApiClient(CustomObjectsApi)
      .createNamespacedCustomObject({ ...ref(), body: analysisRun('bad', `${namespace}-bad`) });
    const status = await waitForPhase('bad', ['Failed', 'Successful', 'Error']);
    expect(status.phase).toBe('Failed');
    const result = status.metricResults?.[0];
    expect(result?.failed).toBe(2);
    expect(result?.measurements?.[0]?.value).toBe('[0.08]');
  });

  it('succeeds after count measurements within the threshold', async () => {
    await kc
      .makeApiClient(CustomObjectsApi)
      .createNamespacedCustomObject({ ...ref(), body: analysisRun('good', `${namespace}-good`) });
    const status = await waitForPhase('good', ['Failed', 'Successful', 'Error']);
    expect(status.phase).toBe('Successful');
    expect(status.metricResults?.[0]?.count).toBe(3);
  });

  it('errors when Prometheus cannot be reached, without leaking the Secret-backed header', async () => {
    const run = analysisRun('unreachable', `${namespace}-good`, { consecutiveErrorLimit: 0 }) as {
      spec: { metrics: { provider: { prometheus: { address: string } } }[] };
    };
    (run.spec.metrics[0] as { provider: { prometheus: { address: string } } }).provider.prometheus.address =
      'http://127.0.0.1:1';
    await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ ...ref(), body: run });
    const status = await waitForPhase('unreachable', ['Failed', 'Successful', 'Error']);
    expect(status.phase).toBe('Error');
    expect(JSON.stringify(status)).not.toContain('s3cr3t-token-value');
  });
});
