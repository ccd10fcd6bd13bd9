import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { repoRoot } from '../harness/crds.js';
import { startEnvironment } from '../harness/environment.js';
import { pollUntil } from '../harness/wait.js';
import { startNamespaceController } from '../test/integration/support/cli.js';
import { ensureDashboardBuilt, launchBrowser } from '../test/integration/support/dashboard.js';
import { createNamespace } from '../test/integration/support/objects.js';
import { RolloutApi } from '../test/integration/support/rollouts.js';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { readProcStats } from './support/proc-stats.js';
import { tenRevisions } from './support/ten-revisions.js';

const argo = (namespace: string, plural: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural,
});

/** AnalysisRun `web-run-<i>` owned by `web`, finished with 10 measurements of one metric. */
function analysisRun(i: number, owner: { uid: string; hash: string }) {
  const measurements = Array.from({ length: 10 }, (_, m) => ({
    phase: m < 7 ? 'Successful' : 'Failed',
    value: `[${(0.99 - m * 0.02).toFixed(2)}]`,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, i, m)).toISOString().replace('.000', ''),
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, i, m + 1)).toISOString().replace('.000', ''),
  }));
  const metric = { name: 'success-rate', successCondition: 'result[0] >= 0.9', failureLimit: 3 };
  return {
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: `web-run-${i}`,
        labels: { 'rollouts-pod-template-hash': owner.hash, 'rollout-type': 'Background' },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: owner.uid },
        ],
      },
      spec: {
        metrics: [{ ...metric, provider: { prometheus: { address: 'http://127.0.0.1:9', query: 'x' } } }],
      },
    },
    status: {
      phase: 'Failed',
      metricResults: [
        { name: 'success-rate', phase: 'Failed', count: 10, successful: 7, failed: 3, measurements },
      ],
    },
  };
}

/** `web` with 10 revisions (made by the controller, then stopped) and 3 finished AnalysisRuns. */
async function rolloutPageWorld(kc: KubeConfig, ns: string, dir: string): Promise<void> {
  const { controller } = await startNamespaceController(kc, ns, dir);
  const api = new RolloutApi(kc, ns);
  try {
    await tenRevisions(api);
  } finally {
    await controller.process.stop();
  }
  const web = await api.get('web');
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (let i = 1; i <= 3; i++) {
    const run = analysisRun(i, { uid: web.metadata.uid ?? '', hash: web.status?.stableRS ?? '' });
    await custom.createNamespacedCustomObject({ ...argo(ns, 'analysisruns'), body: run.body });
    await custom.patchNamespacedCustomObjectStatus(
      { ...argo(ns, 'analysisruns'), name: run.body.metadata.name, body: { status: run.status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}

/** `count` canary Rollouts (no controller in this namespace: only the list is measured). */
async function manyRollouts(kc: KubeConfig, ns: string, count: number): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const create = (i: number) =>
    custom.createNamespacedCustomObject({
      ...argo(ns, 'rollouts'),
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: `app-${String(i).padStart(4, '0')}`, labels: { team: `t${i % 10}` } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: `app-${i}` } },
          template: {
            metadata: { labels: { app: `app-${i}` } },
            spec: { containers: [{ name: 'app', image: `registry.example/app-${i}:1.0.${i}` }] },
          },
          strategy: {
            canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 60 }] },
          },
        },
      },
    });
  for (let i = 0; i < count; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, k) => create(i + k)));
  }
}

/** `node dist/kubectl-vireo.mjs dashboard` (the bundle users run), its pid and URL. */
async function startDashboard(kubeconfig: string, ns: string) {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'dist', 'kubectl-vireo.mjs'), 'dashboard', '--port=0', `-n=${ns}`],
    {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = await pollUntil(() => /(http:\/\/\S+\/)/.exec(out)?.[1], {
    timeoutMs: 60_000,
    description: 'the dashboard URL',
  });
  return { pid: child.pid ?? 0, url, stop: () => child.kill('SIGTERM') };
}

/** In the page: the dashboard's User Timing mark of the first paint of a Rollout page with its data. */
function paintedMark(): number {
  return performance.getEntriesByName('vireo:rollout-page-painted')[0]?.startTime ?? Number.NaN;
}

/**
 * ms from navigation start to the first paint of the whole Rollout page (10 revisions, 3 runs): the UI's
 * `vireo:rollout-page-painted` mark, set by an effect (effects run after the browser painted).
 * The first load also starts the server's watches of the namespace (they then linger 30 s): the caller
 * reports it apart, as the cold figure.
 */
async function firstPaints(url: string, ns: string, rounds: number): Promise<number[]> {
  const browser = await launchBrowser();
  const samples: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const page = await browser.context.newPage();
      await page.goto(`${url}#/ns/${ns}/rollouts/web`);
      await page.locator('article.run').nth(2).waitFor({ timeout: 60_000 });
      await page.locator('li.revision').nth(9).waitFor({ timeout: 60_000 });
      samples.push(await page.evaluate(paintedMark));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return samples;
}

/** Opens the list of `count` Rollouts in Chromium and reads the server's RSS once every row is shown. */
async function listMemory(url: string, pid: number, ns: string, count: number) {
  const browser = await launchBrowser();
  try {
    const t0 = performance.now();
    await browser.page.goto(`${url}#/ns/${ns}`);
    await browser.page.getByText(`${count} of ${count} rollouts`).waitFor({ timeout: 120_000 });
    const listedMs = performance.now() - t0;
    return { ...readProcStats(pid), listedMs };
  } finally {
    await browser.close();
  }
}

/**
 * The dashboard's two figures (issue 23): time to first paint of a Rollout page with 10 revisions and 3
 * AnalysisRuns (goal < 1 s), and the server's memory with 1,000 Rollouts listed (goal < 150 MB), on a
 * fresh control plane, with the built plugin bundle and Debian's headless Chromium.
 */
export default async function dashboard(options?: BenchOptions): Promise<BenchResult[]> {
  const quick = isQuick(options);
  const rounds = quick ? 5 : 15;
  const count = Number(process.env.VIREO_BENCH_DASHBOARD_ROLLOUTS ?? 1000);
  ensureDashboardBuilt();
  const env = await startEnvironment();
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(env.info.kubeconfigPath);
    const pageNs = await createNamespace(kc, 'bench-dash-page');
    const listNs = await createNamespace(kc, 'bench-dash-list');
    await rolloutPageWorld(kc, pageNs, env.dir);
    await manyRollouts(kc, listNs, count);
    const server = await startDashboard(env.info.kubeconfigPath, pageNs);
    try {
      const [cold = Number.NaN, ...paints] = await firstPaints(server.url, pageNs, rounds + 1);
      const memory = await listMemory(server.url, server.pid, listNs, count);
      const load = `load ${loadavg()[0]?.toFixed(1)}`;
      const paintNotes = `${rounds} page loads in fresh tabs after one not counted (cold watches: ${cold.toFixed(0)} ms), ${load}`;
      return [
        {
          name: 'dashboard: Rollout page first paint (10 revisions, 3 AnalysisRuns)',
          p50: percentile(paints, 50),
          p99: percentile(paints, 99),
          unit: 'ms',
          goal: 'p99 < 1000',
          notes: paintNotes,
        },
        {
          name: `dashboard: server RSS with ${count} Rollouts listed`,
          p50: memory.rssMB,
          p99: memory.peakRssMB,
          unit: 'MB',
          goal: 'p99 < 150',
          notes: `p50 = RSS after the list showed, p99 = peak RSS; list shown in ${memory.listedMs.toFixed(0)} ms; ${load}`,
        },
      ];
    } finally {
      server.stop();
    }
  } finally {
    await env.stop();
  }
}
