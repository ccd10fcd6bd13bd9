import { join } from 'node:path';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { applyObjects } from '../../harness/apply.js';
import { repoRoot } from '../../harness/crds.js';
import { writeScrapeTargets } from '../../harness/prometheus.js';
import { pollUntil } from '../../harness/wait.js';
import { RolloutApi } from '../../test/integration/support/rollouts.js';
import { startVersionServer, type VersionServer } from './app.js';
import {
  type CommitSummary,
  type ConfigRepo,
  createConfigRepo,
  recentCommits,
  releaseTag,
} from './config-repo.js';
import type { PodPlacement } from './fake-nodes.js';
import { payloadSummary } from './integrations.js';
import { type Manifest, renderKustomization } from './kustomize.js';
import { sendTraffic } from './mesh.js';
import { DemoObserver, type Milestones } from './observer.js';
import { PAUSE_ANNOTATION, playPause } from './pause.js';
import type { Receiver } from './receiver.js';
import { Timeline } from './timeline.js';
import { DemoWorld } from './world.js';

/**
 * `rollback`: v1.2.0 fails 8% of requests and is rolled back; `healthy`: it is promoted; `pause`: it fails, the
 * Rollout (`vireo.dev/analysis-failure-action: pause`) pauses with the canary kept, then the operator aborts.
 */
export type ScenarioName = 'rollback' | 'healthy' | 'pause';

/** How to play the demo. */
export interface DemoOptions {
  kc: KubeConfig;
  namespace: string;
  prometheusTargetsDir: string;
  workDir: string;
  scenario: ScenarioName;
  /** Annotations added to the Rollout (Git write-back, notification subscriptions), given the config repo. */
  rolloutAnnotations?: (repo: ConfigRepo) => Record<string, string>;
  /** Labels added to the Rollout (e.g. Argo's controller-instance label). */
  rolloutLabels?: Record<string, string>;
  /** Node selector and tolerations for the Rollout's pods (the fake Nodes on an existing cluster). */
  podPlacement?: PodPlacement;
  /** Wait for Vireo's rollback commit in the config repo. */
  expectCommit?: boolean;
  /** Wait for the notification of the outcome (aborted or completed) at this receiver. */
  receiver?: Receiver;
  out: (line: string) => void;
  timeoutMs?: number;
}

/** What the demo observed. */
export interface DemoResult {
  milestones: Milestones;
  repo: ConfigRepo;
  rollbackCommit?: CommitSummary;
  finalPhase?: string;
}

const MANIFESTS = join(repoRoot, 'demo', 'manifests');
const RATES: Record<ScenarioName, Record<string, number>> = {
  rollback: { 'v1.1.0': 0.002, 'v1.2.0': 0.08 },
  healthy: { 'v1.1.0': 0.002, 'v1.2.0': 0.004 },
  pause: { 'v1.1.0': 0.002, 'v1.2.0': 0.08 },
};
const NAMES = { rollout: 'shop', virtualService: 'shop', route: 'primary' };

function renderProduction(o: DemoOptions, repo: ConfigRepo): KubernetesObject[] {
  const objects = renderKustomization(join(repo.workDir, 'overlays', 'production'));
  for (const object of objects as (Manifest & KubernetesObject)[]) {
    object.metadata = { ...object.metadata, namespace: o.namespace };
    if (object.kind === 'Rollout') placeRollout(o, repo, object);
  }
  return objects as KubernetesObject[];
}

/** Adds the options' annotations, labels and pod placement to the rendered Rollout. */
function placeRollout(o: DemoOptions, repo: ConfigRepo, rollout: Manifest & KubernetesObject): void {
  const metadata = rollout.metadata ?? {};
  const pause = o.scenario === 'pause' ? PAUSE_ANNOTATION : {};
  metadata.annotations = { ...(metadata.annotations ?? {}), ...o.rolloutAnnotations?.(repo), ...pause };
  if (o.rolloutLabels) metadata.labels = { ...(metadata.labels ?? {}), ...o.rolloutLabels };
  rollout.metadata = metadata;
  if (!o.podPlacement) return;
  const spec = (rollout as { spec?: { template?: { spec?: Record<string, unknown> } } }).spec;
  if (spec?.template?.spec) Object.assign(spec.template.spec, o.podPlacement);
}

/** Syncs the production overlay into the cluster as a GitOps tool would (only `kinds` on updates). */
async function sync(o: DemoOptions, repo: ConfigRepo, kinds?: string[]): Promise<void> {
  const objects = renderProduction(o, repo).filter((obj) => !kinds || kinds.includes(obj.kind ?? ''));
  await applyObjects(o.kc, objects, 'vireo-demo-gitops');
}

function registerScrapeTargets(
  o: DemoOptions,
  world: DemoWorld,
  servers: Record<string, VersionServer>,
): void {
  for (const [tag, server] of Object.entries(servers)) {
    const hash = world.hashOfTag(tag);
    if (!hash) continue;
    writeScrapeTargets(o.prometheusTargetsDir, `demo-${o.namespace}-${tag}`, [`127.0.0.1:${server.port}`], {
      rollouts_pod_template_hash: hash,
      namespace: o.namespace,
    });
  }
}

function portFor(world: DemoWorld, servers: Record<string, VersionServer>, host: string): number | undefined {
  const hash = world.serviceHash(host);
  const tag = Object.keys(servers).find((t) => hash !== undefined && world.hashOfTag(t) === hash);
  return tag ? servers[tag]?.port : undefined;
}

async function until<T>(what: string, o: DemoOptions, check: () => T | undefined | false): Promise<T> {
  return pollUntil(check, { timeoutMs: o.timeoutMs ?? 120_000, intervalMs: 100, description: what });
}

function healthyAt(world: DemoWorld, tag: string): boolean {
  const status = world.rollout()?.status as { phase?: string; stableRS?: string } | undefined;
  const hash = world.hashOfTag(tag);
  return status?.phase === 'Healthy' && hash !== undefined && status.stableRS === hash;
}

async function awaitNotification(o: DemoOptions, receiver: Receiver, trigger: string): Promise<void> {
  await until(`the ${trigger} notification`, o, () =>
    receiver.received.some((r) => payloadSummary(r.body)?.trigger === trigger),
  );
}

function vireoCommit(repo: ConfigRepo): CommitSummary | undefined {
  return recentCommits(repo, 5).find((c) => c.author === 'Vireo');
}

/**
 * Plays the scenario in `o.namespace`: v1.1.0 deployed from the Git config repo, traffic flowing, then the
 * v1.2.0 release committed and synced; ends when v1.2.0 is promoted (healthy) or rolled back with stable
 * traffic back at 100% (and, when asked, Vireo's commit in the repo and a notification received).
 */
export async function playDemo(o: DemoOptions): Promise<DemoResult> {
  const timeline = new Timeline(o.out);
  const repo = createConfigRepo(join(o.workDir, 'git'), MANIFESTS);
  const servers: Record<string, VersionServer> = {};
  for (const [tag, rate] of Object.entries(RATES[o.scenario])) {
    servers[tag] = await startVersionServer('shop', tag, rate);
  }
  let observer: DemoObserver | undefined;
  const world = new DemoWorld(o.kc, o.namespace, NAMES, () => {
    registerScrapeTargets(o, world, servers);
    observer?.observe();
  });
  observer = new DemoObserver(world, timeline);
  if (o.receiver) {
    o.receiver.onReceive = (r) => {
      const payload = payloadSummary(r.body);
      if (payload) timeline.note(`notification delivered: ${payload.trigger} (event id ${payload.eventId})`);
    };
  }
  await world.start();
  const stopTraffic = sendTraffic(
    () => world.weights(),
    (host) => portFor(world, servers, host),
    50,
  );
  try {
    return await runScenario(o, { timeline, repo, world, observer });
  } finally {
    stopTraffic();
    await world.stop();
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
}

interface Stage {
  timeline: Timeline;
  repo: ConfigRepo;
  world: DemoWorld;
  observer: DemoObserver;
}

async function runScenario(o: DemoOptions, s: Stage): Promise<DemoResult> {
  s.timeline.note(
    `Git: production overlay at v1.1.0 (${s.repo.url}); syncing it into namespace ${o.namespace}`,
  );
  await sync(o, s.repo);
  await until('v1.1.0 to be Healthy', o, () => healthyAt(s.world, 'v1.1.0'));
  s.timeline.note(
    'v1.1.0 is Healthy and serves 100% of the traffic (50 requests/s through the mesh stand-in)',
  );
  releaseTag(s.repo, 'v1.2.0');
  s.timeline.note(
    `Git: "shop: release v1.2.0" committed (v1.2.0 fails ${((RATES[o.scenario]['v1.2.0'] ?? 0) * 100).toFixed(1)}% of requests)`,
  );
  await sync(o, s.repo, ['Rollout']);
  if (o.scenario === 'healthy') {
    await until('v1.2.0 to be promoted', o, () => healthyAt(s.world, 'v1.2.0'));
    s.timeline.note('v1.2.0 promoted: Healthy, 100% of the traffic');
    if (o.receiver) await awaitNotification(o, o.receiver, 'on-rollout-completed');
    return { milestones: s.observer.milestones, repo: s.repo, finalPhase: 'Healthy' };
  }
  if (o.scenario === 'pause') {
    await playPause({
      ...s,
      receiver: o.receiver,
      until: (what, check) => until(what, o, check),
      vireoCommit,
      abort: () => new RolloutApi(o.kc, o.namespace).patchStatus(NAMES.rollout, { abort: true }),
    });
  }
  await until('the rollback', o, () => s.observer.milestones.stableBackAt !== undefined);
  const result: DemoResult = { milestones: s.observer.milestones, repo: s.repo, finalPhase: 'Degraded' };
  if (o.expectCommit) {
    result.rollbackCommit = await until("Vireo's rollback commit in the config repo", o, () =>
      vireoCommit(s.repo),
    );
    s.timeline.note(
      `Git: Vireo committed ${result.rollbackCommit.sha.slice(0, 8)} "${result.rollbackCommit.subject}"`,
    );
  }
  if (o.receiver) await awaitNotification(o, o.receiver, 'on-rollout-aborted');
  return result;
}
