import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../harness/controller.js';
import { recentCommits, remoteImageTag } from '../../scripts/demo/config-repo.js';
import { demoAnnotations, notificationConfig, payloadSummary } from '../../scripts/demo/integrations.js';
import { type Receiver, startReceiver } from '../../scripts/demo/receiver.js';
import { type DemoResult, playDemo, type ScenarioName } from '../../scripts/demo/scenario.js';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';
import { applyServerSide, createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi } from './support/rollouts.js';

const kc = adminKubeConfig();
const dir = mkdtempSync(join(tmpdir(), 'vireo-demo-'));
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
});

/** A namespace and a controller (as the deploy ServiceAccount) watching it, as `npm run demo` runs it. */
async function demoController(namespace: string): Promise<ControllerProcess> {
  const kubeconfig = await serviceAccountKubeconfig(kc, join(dir, `${namespace}.kubeconfig`));
  return startControllerProcess({
    kubeconfigPath: kubeconfig,
    logPath: join(dir, `${namespace}.log`),
    args: [`--namespace=${namespace}`, '--no-leader-elect', '--log-level=debug', '--allow-file-git-remotes'],
    env: { ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: clusterInfo().prometheusUrl },
  });
}

async function play(
  scenario: ScenarioName,
): Promise<{ result: DemoResult; lines: string[]; receiver: Receiver; namespace: string }> {
  const namespace = await createNamespace(kc, `demo-${scenario}`);
  const controller = await demoController(namespace);
  cleanups.push(async () => {
    await controller.process.stop();
    await deleteNamespace(kc, namespace);
  });
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  await applyServerSide(kc, notificationConfig(receiver.url));
  const lines: string[] = [];
  const result = await playDemo({
    kc,
    namespace,
    prometheusTargetsDir: clusterInfo().prometheusTargetsDir,
    workDir: join(dir, namespace),
    scenario,
    rolloutAnnotations: demoAnnotations,
    expectCommit: scenario !== 'healthy',
    receiver,
    out: (line) => lines.push(line),
  });
  return { result, lines, receiver, namespace };
}

describe('npm run demo scenarios (the demo code against the real control plane and Prometheus)', () => {
  it('rolls v1.2.0 back once its error rate fails the analysis more often than failureLimit allows', async () => {
    const { result, lines, receiver } = await play('rollback');
    const { crossedAt, stableBackAt } = result.milestones;
    expect(crossedAt, lines.join('\n')).toBeDefined();
    expect(stableBackAt).toBeGreaterThanOrEqual(crossedAt ?? Number.POSITIVE_INFINITY);
    expect(lines.some((l) => /error-rate #\d+: [\d.]+% → Failed/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('stable traffic back to 100%'))).toBe(true);
    expect(remoteImageTag(result.repo)).toBe('v1.1.0');
    const vireoCommits = recentCommits(result.repo, 10).filter((c) => c.author === 'Vireo');
    expect(vireoCommits).toHaveLength(1);
    const triggers = receiver.received.map((r) => payloadSummary(r.body)?.trigger);
    expect(triggers).toContain('on-rollout-aborted');
  }, 240_000);

  it('promotes v1.2.0 when its error rate stays under the threshold', async () => {
    const { result, lines, receiver } = await play('healthy');
    expect(result.finalPhase, lines.join('\n')).toBe('Healthy');
    expect(result.milestones.crossedAt).toBeUndefined();
    expect(remoteImageTag(result.repo)).toBe('v1.2.0');
    expect(receiver.received.map((r) => payloadSummary(r.body)?.trigger)).toContain('on-rollout-completed');
  }, 240_000);

  it('pause: the failed analysis pauses v1.2.0 (traffic back, canary kept, "paused" notification, no commit), then an abort rolls it back', async () => {
    const { result, lines, receiver, namespace } = await play('pause');
    const text = lines.join('\n');
    expect(text).toContain('Rollout paused, not rolled back');
    expect(text).toMatch(
      /Paused condition FailedAnalysisRun: .*"error-rate".*not rolled back|not rolled back.*"error-rate"/,
    );
    expect(text).toMatch(/v1\.2\.0 ReplicaSet kept at [1-9]\d* pod\(s\)/);
    expect(text).toContain('Git: nothing committed while paused');
    expect(text).toMatch(/notification on-rollout-paused: .*paused after a failed analysis, not rolled back/);
    expect(result.milestones.stableBackAt).toBeDefined();
    expect(remoteImageTag(result.repo)).toBe('v1.1.0');
    expect(recentCommits(result.repo, 10).filter((c) => c.author === 'Vireo')).toHaveLength(1);
    const triggers = receiver.received.map((r) => payloadSummary(r.body)?.trigger);
    expect(triggers).toEqual(expect.arrayContaining(['on-rollout-paused', 'on-rollout-aborted']));
    const reasons = await new RolloutApi(kc, namespace).waitForEvents('shop', [
      'PausedOnFailedAnalysis',
      'GitRollbackPaused',
      'GitRollbackCommitted',
    ]);
    const paused = reasons.find((e) => e.reason === 'GitRollbackPaused');
    expect(paused?.message).toMatch(/not rolled back: nothing is committed to Git while it is paused/);
  }, 240_000);
});
