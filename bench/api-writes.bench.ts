import { setTimeout as delay } from 'node:timers/promises';
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import type { RolloutObject } from '../test/integration/support/rollouts.js';
import { type BenchResult, isQuick, percentile } from './run.js';
import { type AuditLog, type AuditWrite, formatTally, tally } from './support/audit-log.js';
import {
  type BenchEnv,
  isSettledHealthy,
  rolloutManifest,
  startBenchEnv,
  waitAllHealthy,
} from './support/bench-env.js';

/** `--quick` (the runner sets VIREO_BENCH_QUICK=1 before importing): 2 walks, 30 idle Rollouts, 20 s. */
const QUICK = isQuick();
const WALKS = Number(process.env.VIREO_BENCH_WALKS ?? (QUICK ? 2 : 5));
const IDLE_ROLLOUTS = Number(process.env.VIREO_BENCH_IDLE_ROLLOUTS ?? (QUICK ? 30 : 100));
const IDLE_WINDOW_MS = Number(process.env.VIREO_BENCH_IDLE_WINDOW_MS ?? (QUICK ? 20_000 : 60_000));
const WALK_REPLICAS = 4;
const WALK = 'walk';
const SENTINEL = 'sentinel';
const STEPS = [
  { setWeight: 25 },
  { pause: {} },
  { setWeight: 50 },
  { pause: {} },
  { setWeight: 75 },
  { pause: {} },
];
/** The controller is done reacting once it has not written for this long. */
const QUIET_MS = 1500;
const WAIT_MS = 60_000;

const rolloutsIn = (namespace: string) => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace,
  plural: 'rollouts',
});

/** One resting state the walk moves the Rollout to, and how it is reached. */
interface Transition {
  label: string;
  trigger: 'update' | 'promote';
  reached: (r: RolloutObject, sets: V1ReplicaSet[]) => boolean;
}

const converged = (sets: V1ReplicaSet[]) =>
  sets.every((rs) => (rs.spec?.replicas ?? 0) === (rs.status?.availableReplicas ?? 0));

function pausedAt(step: number): Transition['reached'] {
  return (r, sets) =>
    r.status?.phase === 'Paused' &&
    r.status.currentStepIndex === step &&
    r.status.observedGeneration === String(r.metadata.generation) &&
    converged(sets);
}

const TRANSITIONS: Transition[] = [
  { label: 'update → pause at step 1 (setWeight 25)', trigger: 'update', reached: pausedAt(1) },
  { label: 'promote → pause at step 3 (setWeight 50)', trigger: 'promote', reached: pausedAt(3) },
  { label: 'promote → pause at step 5 (setWeight 75)', trigger: 'promote', reached: pausedAt(5) },
  {
    label: 'promote → Healthy (full promotion)',
    trigger: 'promote',
    reached: (r, sets) =>
      isSettledHealthy(r, WALK_REPLICAS) &&
      converged(sets) &&
      sets.filter((rs) => (rs.spec?.replicas ?? 0) > 0).length === 1,
  },
];

async function fire(b: BenchEnv, t: Transition, walk: number): Promise<void> {
  if (t.trigger === 'promote') {
    await b.api.patchStatus(WALK, { pauseConditions: null });
    return;
  }
  const image = `registry.example/walk:1.${walk + 1}.0`;
  await b.api.patchSpec(WALK, { template: { spec: { containers: [{ name: 'app', image }] } } });
}

/** Fires the transition's trigger and returns the controller's writes until the next resting state. */
async function measureTransition(
  b: BenchEnv,
  audit: AuditLog,
  t: Transition,
  walk: number,
): Promise<AuditWrite[]> {
  const from = audit.mark();
  await fire(b, t, walk);
  await b.api.waitFor(WALK, t.label, t.reached, undefined, WAIT_MS);
  const to = await audit.waitQuiet(QUIET_MS, WAIT_MS);
  return audit.writes().slice(from, to);
}

/**
 * Events the controller created and then patched (count 2) within 1 s in the same window: the same
 * decision taken by two consecutive passes, the second on a cache that had not yet seen the first's writes.
 */
function repeatedDecisions(window: AuditWrite[]): number {
  const created = new Map<string, number>();
  let repeats = 0;
  for (const w of window) {
    if (w.resource !== 'events' || !w.name) continue;
    const at = Date.parse(w.at);
    const first = created.get(w.name);
    if (w.verb === 'create') created.set(w.name, at);
    else if (w.verb === 'patch' && first !== undefined && at - first < 1000) repeats++;
  }
  return repeats;
}

function repeatsRow(windows: AuditWrite[][]): BenchResult {
  const counts = windows.map(repeatedDecisions);
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    name: '  repeated decisions per transition',
    p50: percentile(counts, 50),
    p99: percentile(counts, 99),
    unit: 'events',
    goal: 'p99 = 0',
    notes: `${total} in ${windows.length} transitions: an Event re-emitted < 1 s after its creation (a second pass on a stale cache)`,
  };
}

function averageTally(windows: AuditWrite[][]): string {
  const sum = tally(windows.flat());
  const avg = Object.fromEntries(Object.entries(sum).map(([k, n]) => [k, n / windows.length]));
  return formatTally(avg, 1);
}

function writesRow(name: string, windows: AuditWrite[][], extra: string): BenchResult {
  const counts = windows.map((w) => w.length);
  return {
    name,
    p50: percentile(counts, 50),
    p99: percentile(counts, 99),
    unit: 'writes',
    notes: `${windows.length} transitions${extra}; mean per transition: ${averageTally(windows)}`,
  };
}

/**
 * (a) Writes per step transition: a Rollout of 4 replicas with steps [25, pause, 50, pause, 75, pause]
 * is walked WALKS times through an update and three promotions; each window runs from the trigger
 * until the next resting state is reached and the controller has gone quiet.
 */
async function stepTransitions(b: BenchEnv, audit: AuditLog): Promise<BenchResult[]> {
  await b.api.create(
    rolloutManifest(WALK, { replicas: WALK_REPLICAS, image: 'registry.example/walk:1.0.0', steps: STEPS }),
  );
  await b.api.waitFor(WALK, 'the first deploy Healthy', TRANSITIONS[3]?.reached ?? (() => false));
  await audit.waitQuiet(QUIET_MS, WAIT_MS);
  const byKind: AuditWrite[][][] = TRANSITIONS.map(() => []);
  for (let walk = 0; walk < WALKS; walk++) {
    for (const [i, t] of TRANSITIONS.entries()) byKind[i]?.push(await measureTransition(b, audit, t, walk));
  }
  const how = ', each = one trigger (spec update or promote) to the next resting state';
  return [
    writesRow('API writes per step transition', byKind.flat(), how),
    repeatsRow(byKind.flat()),
    ...TRANSITIONS.map((t, i) => writesRow(`  ${t.label}`, byKind[i] ?? [], '')),
  ];
}

/** The Rollout a write belongs to: status by name, ReplicaSets `<rollout>-<hash>`, Events `<rollout>.<id>`. */
function rolloutOf(w: AuditWrite): string {
  const name = w.name ?? '?';
  if (w.resource.startsWith('replicasets')) return name.replace(/-[^-]+$/, '');
  if (w.resource.startsWith('events')) return name.split('.')[0] ?? name;
  return name;
}

function perRollout(writes: AuditWrite[]): number[] {
  const counts = new Map<string, number>();
  for (const w of writes) counts.set(rolloutOf(w), (counts.get(rolloutOf(w)) ?? 0) + 1);
  return [...counts.values()];
}

async function createIdleRollouts(b: BenchEnv): Promise<void> {
  for (let i = 0; i < IDLE_ROLLOUTS; i++) {
    const name = `idle-${String(i).padStart(3, '0')}`;
    await b.api.create(rolloutManifest(name, { replicas: 1, image: 'registry.example/idle:1.0.0' }));
  }
  await waitAllHealthy(b, IDLE_ROLLOUTS, 1, 300_000);
}

function describeIdle(writes: AuditWrite[], settled: boolean): string {
  const objects = [...new Set(writes.map((w) => `${w.resource} ${w.name ?? '?'}`))].slice(0, 5);
  const head = `${IDLE_ROLLOUTS} Healthy Rollouts (1 replica each), ${IDLE_WINDOW_MS / 1000} s window`;
  const quiet = settled ? '' : '; the controller never went quiet before the window';
  const seen = writes.length > 0 ? `: ${formatTally(tally(writes))}; e.g. ${objects.join(', ')}` : '';
  return `${head}${quiet}${seen}`;
}

/**
 * (b) Idle writes: IDLE_ROLLOUTS Rollouts of one replica reach Healthy (their creation writes are
 * reported per Rollout), the controller goes quiet, and its writes over the next IDLE_WINDOW_MS are
 * counted. Goal 0.
 */
async function idleWrites(b: BenchEnv, audit: AuditLog): Promise<BenchResult[]> {
  await b.kc
    .makeApiClient(CustomObjectsApi)
    .deleteNamespacedCustomObject({ ...rolloutsIn(b.namespace), name: WALK });
  const from = audit.mark();
  await createIdleRollouts(b);
  const settled = await audit.waitQuiet(3000, 60_000).then(
    () => true,
    () => false,
  );
  const start = audit.mark();
  await delay(IDLE_WINDOW_MS); // the measurement window itself, not a wait for a condition
  const idle = audit.since(start);
  const creation = perRollout(
    audit
      .writes()
      .slice(from, start)
      .filter((w) => w.name?.startsWith('idle-')),
  );
  const forced = await forcedPass(b, audit);
  return [
    {
      name: 'writes per new Rollout → Healthy',
      p50: percentile(creation, 50),
      p99: percentile(creation, 99),
      unit: 'writes',
      notes: `${creation.length} Rollouts of 1 replica, no steps`,
    },
    {
      name: 'idle writes',
      p50: idle.length,
      p99: idle.length,
      unit: 'writes',
      goal: 'p99 = 0',
      notes: describeIdle(idle, settled),
    },
    forced,
  ];
}

/**
 * What an informer resync would cost, without waiting 10 min for one: every idle Rollout gets a new
 * annotation (a watch event, no generation bump), so each is reconciled once more over an unchanged world.
 * A sentinel Rollout created after the touches shows that the queue has reached them: once it is Healthy
 * and the controller is quiet, the writes other than the sentinel's are counted. Goal 0.
 */
async function forcedPass(b: BenchEnv, audit: AuditLog): Promise<BenchResult> {
  const custom = b.kc.makeApiClient(CustomObjectsApi);
  const from = audit.mark();
  const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  for (let i = 0; i < IDLE_ROLLOUTS; i++) {
    const name = `idle-${String(i).padStart(3, '0')}`;
    const body = { metadata: { annotations: { 'vireo.bench/touched': String(Date.now()) } } };
    await custom.patchNamespacedCustomObject({ ...rolloutsIn(b.namespace), name, body }, options);
  }
  await b.api.create(rolloutManifest(SENTINEL, { replicas: 1, image: 'registry.example/idle:1.0.0' }));
  await b.api.waitFor(SENTINEL, 'the sentinel Healthy', (r) => isSettledHealthy(r, 1), undefined, WAIT_MS);
  await audit.waitQuiet(QUIET_MS, WAIT_MS);
  const writes = audit.since(from).filter((w) => !w.name?.startsWith(SENTINEL));
  return {
    name: 'writes after a forced pass (resync)',
    p50: writes.length,
    p99: writes.length,
    unit: 'writes',
    goal: 'p99 = 0',
    notes: `${IDLE_ROLLOUTS} Healthy Rollouts each reconciled once more (annotation touch)${
      writes.length > 0 ? `: ${formatTally(tally(writes))}` : ''
    }`,
  };
}

/** API writes by the controller, counted from the kube-apiserver audit log: per step transition and idle. */
export default async function apiWrites(): Promise<BenchResult[]> {
  const b = await startBenchEnv('api-writes', { audit: true });
  try {
    const audit = b.audit;
    if (!audit) throw new Error('the audit log is not on');
    const steps = await stepTransitions(b, audit);
    const idle = await idleWrites(b, audit);
    return [...steps, ...idle];
  } finally {
    await b.stop();
  }
}
