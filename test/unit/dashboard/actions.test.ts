import { describe, expect, it } from 'vitest';
import { RolloutsApi } from '../../../src/cli/kube.js';
import { runAction } from '../../../src/dashboard/server/actions.js';
import type { KubeClient, ObjectRef, Patch } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import type { ResourceType } from '../../../src/kube/resources.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { aReplicaSet, aRollout } from '../cli/fixtures.js';

/** Serves one Rollout and its ReplicaSets; records patches; refuses status patches when `denyStatus`. */
function recordingClient(rollout: KubeObject, denyStatus = false) {
  const sent: string[] = [];
  const client: KubeClient = {
    get: async <T extends KubeObject>() => structuredClone(rollout) as T,
    list: async <T extends KubeObject>(res: ResourceType) =>
      ({
        items:
          res.plural === 'replicasets'
            ? [aReplicaSet(1, 'h1', 'web:1', [4, 4]), aReplicaSet(2, 'h2', 'web:2', [1, 1])]
            : [],
      }) as unknown as {
        items: T[];
      },
    create: async () => {
      throw new Error('unexpected create');
    },
    replace: async () => {
      throw new Error('unexpected replace');
    },
    patch: async <T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch) => {
      sent.push(
        `${res.plural} ${ref.name} ${JSON.stringify(patch.type === 'json' ? patch.ops : patch.body)}`,
      );
      return structuredClone(rollout) as T;
    },
    patchStatus: async <T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch) => {
      if (denyStatus) throw new ApiError(403, 'Forbidden', 'rollouts.argoproj.io "web" is forbidden');
      sent.push(
        `${res.plural}/status ${ref.name} ${JSON.stringify(patch.type === 'merge' ? patch.body : null)}`,
      );
      return structuredClone(rollout) as T;
    },
    delete: async () => {
      throw new Error('unexpected delete');
    },
  };
  return { api: new RolloutsApi(client, 'shop'), sent };
}

const paused = () =>
  aRollout({
    currentStepIndex: 1,
    stableRS: 'h1',
    currentPodHash: 'h2',
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }],
  }) as unknown as KubeObject;

describe('dashboard actions: the plugin verbs, as the user', () => {
  it("promote sends the plugin's patch and answers with its line", async () => {
    const { api, sent } = recordingClient(paused());
    expect(await runAction(api, 'web', 'promote', {})).toEqual({
      ok: true,
      message: "rollout 'web' promoted",
    });
    expect(sent).toEqual(['rollouts/status web {"status":{"pauseConditions":null}}']);
  });

  it('abort and promote-full need confirmation; nothing is sent without it', async () => {
    const { api, sent } = recordingClient(paused());
    expect(await runAction(api, 'web', 'abort', {})).toMatchObject({ ok: false });
    expect(await runAction(api, 'web', 'promote-full', {})).toEqual({
      ok: false,
      message: 'promote-full needs confirmation',
    });
    expect(sent).toEqual([]);
    expect(await runAction(api, 'web', 'abort', { confirm: true })).toMatchObject({ ok: true });
    expect(sent).toEqual(['rollouts/status web {"status":{"abort":true}}']);
  });

  it('a 403 becomes "you may not …" naming exactly what was refused', async () => {
    const { api } = recordingClient(paused(), true);
    expect(await runAction(api, 'web', 'retry', {})).toEqual({
      ok: false,
      message: 'you may not patch rollouts/status in namespace shop',
    });
  });

  it('restart, pause, set image and undo send the JSON and merge patches of the plugin', async () => {
    const { api, sent } = recordingClient(paused());
    const now = () => new Date('2026-02-03T04:05:06.789Z');
    await runAction(api, 'web', 'restart', {}, now);
    await runAction(api, 'web', 'pause', {});
    await runAction(api, 'web', 'set-image', { image: 'app=web:9' });
    expect((await runAction(api, 'web', 'undo', {})).message).toMatch(/skipped rollback/);
    expect(await runAction(api, 'web', 'undo', { toRevision: 2 })).toEqual({
      ok: true,
      message: "rollout 'web' rolled back to revision 2",
    });
    expect(sent[0]).toBe('rollouts web {"spec":{"restartAt":"2026-02-03T04:05:06Z"}}');
    expect(sent[1]).toBe('rollouts web {"spec":{"paused":true}}');
    expect(sent[2]).toContain('"path":"/spec/template/spec/containers/0/image","value":"web:9"');
    expect(sent[3]).toContain('"op":"replace","path":"/spec/template"');
  });

  it('a bad set-image argument is refused with the plugin sentence', async () => {
    const { api } = recordingClient(paused());
    expect(await runAction(api, 'web', 'set-image', { image: 'web:9' })).toEqual({
      ok: false,
      message: 'expected CONTAINER=IMAGE (or *=IMAGE), got "web:9"',
    });
  });
});
