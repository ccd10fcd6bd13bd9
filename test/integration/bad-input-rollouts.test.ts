import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createRoutedApp, deployHealthy, routedRollout } from './support/analysis.js';
import { BAD_ROLLOUTS, badRolloutManifest } from './support/bad-inputs.js';
import { ensurePluginBuilt, runKubectl } from './support/cli.js';
import {
  createArgoObject,
  expectControllerAlive,
  invalidSpecMessage,
  stableTraffic,
  type WriteOutcome,
} from './support/faults.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';

/** Cases the offline linter cannot judge: they are about objects in the cluster. */
const NEEDS_CLUSTER = /^(missing-|odd-unicode-route)/;

/** The first line of each YAML document in `docs` joined with `---` lines. */
function firstLines(docs: readonly string[]): number[] {
  const starts: number[] = [];
  let line = 1;
  for (const doc of docs) {
    starts.push(line);
    line += doc.split('\n').length;
  }
  return starts;
}

describe('bad Rollouts: a clear refusal or InvalidSpec with the field path, the controller unharmed', () => {
  let env: EngineEnv;
  let pid: number | undefined;
  let before: unknown;
  let dir: string;
  const outcomes = new Map<string, WriteOutcome>();

  beforeAll(async () => {
    env = await startEngine('bad-input');
    pid = env.controller.process.pid;
    dir = mkdtempSync(join(tmpdir(), 'vireo-bad-input-'));
    await createRoutedApp(env, 'steady');
    await deployHealthy(
      env,
      routedRollout('steady', 'registry.local/steady:1.0.0', [{ setWeight: 50 }]),
      'steady',
    );
    before = await stableTraffic(env, 'steady');
    for (const c of BAD_ROLLOUTS) {
      const body = badRolloutManifest(c);
      outcomes.set(c.name, await createArgoObject(env.kc, env.namespace, 'rollouts', body));
    }
  });
  afterAll(async () => {
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`has at least 25 Rollout cases (${BAD_ROLLOUTS.length})`, () => {
    expect(BAD_ROLLOUTS.length).toBeGreaterThanOrEqual(25);
  });

  it.each(BAD_ROLLOUTS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const outcome = outcomes.get(c.name);
    if (!outcome?.ok) {
      expect(
        c.api,
        `refused by the API server: ${outcome?.ok === false ? outcome.message : ''}`,
      ).toBeDefined();
      expect(outcome?.message).toMatch(c.api as RegExp);
      return;
    }
    expect(c.condition, 'accepted by the API server but the case expects a refusal').toBeDefined();
    expect(await invalidSpecMessage(env.api, `bad-${c.name}`)).toMatch(c.condition as RegExp);
    expect(await env.api.replicaSets(`bad-${c.name}`)).toEqual([]);
  });

  it('lints the same manifests offline: each gets file:line and its field path (kubectl vireo lint)', async () => {
    ensurePluginBuilt();
    const file = join(dir, 'bad.yaml');
    const local = BAD_ROLLOUTS.filter((c) => !NEEDS_CLUSTER.test(c.name));
    const docs = local.map((c) => stringify(badRolloutManifest(c)));
    writeFileSync(file, docs.join('---\n'));
    const r = await runKubectl(['vireo', 'lint', file]).done;
    expect(r.code).toBe(1);
    const problems = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.match(/^(.+):(\d+): ((?:spec|metadata)\..*)$/));
    expect(
      problems.every((m) => m?.[1] === file),
      r.stdout,
    ).toBe(true);
    const starts = firstLines(docs);
    local.forEach((c, i) => {
      const mine = problems.filter((m) => {
        const line = Number(m?.[2]);
        return line >= (starts[i] ?? 0) && line < (starts[i + 1] ?? Number.POSITIVE_INFINITY);
      });
      expect(mine.map((m) => m?.[3]).join('\n'), c.name).toMatch((c.condition ?? c.api) as RegExp);
    });
  });

  it('keeps the controller running and the steady Rollout traffic untouched', async () => {
    await expectControllerAlive(env.controller, pid);
    expect(await stableTraffic(env, 'steady')).toEqual(before);
    expect((await env.api.get('steady')).status?.phase).toBe('Healthy');
  });
});
