import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../../src/cli/context.js';
import { CliError, describeApiError } from '../../../src/cli/errors.js';
import { RolloutsApi } from '../../../src/cli/kube.js';
import { clientPhase, phaseLine, statusVerdict } from '../../../src/cli/phase.js';
import type { KubeClient, Patch, ResourceType } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import { aRollout } from './fixtures.js';

describe('client-side phase and status verdicts', () => {
  it.each([
    [aRollout({ phase: 'Healthy' }), 'Healthy', { done: true, exitCode: 0 }],
    [
      aRollout({ phase: 'Degraded', message: 'RolloutAborted: x' }),
      'Degraded - RolloutAborted: x',
      { done: true, exitCode: 1 },
    ],
    [
      aRollout({ phase: 'Paused', message: 'CanaryPauseStep' }),
      'Paused - CanaryPauseStep',
      { done: false, exitCode: 0 },
    ],
    [
      aRollout({ phase: 'Healthy', observedGeneration: '1' }),
      'Progressing - waiting for rollout spec update to be observed',
      { done: false, exitCode: 0 },
    ],
    [aRollout({ phase: 'Healthy', observedGeneration: 'abc123' }), 'Healthy', { done: true, exitCode: 0 }],
    [
      aRollout({ phase: 'Paused', controllerPause: true }),
      'Progressing - waiting for rollout to unpause',
      { done: false, exitCode: 0 },
    ],
  ])('%#: %s', (rollout, line, verdict) => {
    expect(phaseLine(clientPhase(rollout))).toBe(line);
    expect(statusVerdict(clientPhase(rollout))).toEqual(verdict);
  });
});

describe('errors are one line naming what failed', () => {
  const req = { verb: 'patch', resource: 'rollouts/status', namespace: 'shop', name: 'web' };
  it.each([
    [
      new ApiError(403, 'Forbidden', 'rollouts.argoproj.io "web" is forbidden: …'),
      'forbidden: cannot patch rollouts/status in namespace shop',
    ],
    [new ApiError(404, 'NotFound', 'not found'), 'rollout "web" not found in namespace shop'],
    [
      new ApiError(409, 'Conflict', 'x'),
      'conflict: rollouts/status "web" was changed concurrently; run the command again',
    ],
    [
      new ApiError(401, 'Other', 'Unauthorized'),
      'unauthorized: the credentials in the kubeconfig were rejected',
    ],
    [
      new ApiError(0, 'Other', 'connect ECONNREFUSED 127.0.0.1:6443'),
      'cannot reach the API server: connect ECONNREFUSED 127.0.0.1:6443',
    ],
  ])('%s', (err, message) => {
    expect(describeApiError(err, req)).toBe(message);
  });

  it('says "at the cluster scope" for requests across namespaces, and collapses newlines', () => {
    const list = { verb: 'list', resource: 'rollouts', namespace: undefined };
    expect(describeApiError(new ApiError(403, 'Forbidden', ''), list)).toBe(
      'forbidden: cannot list rollouts at the cluster scope',
    );
    expect(new CliError('a\n  b\n').message).toBe('a b');
  });
});

describe('colour', () => {
  const opts = { allNamespaces: false, color: true };
  it('only on a TTY, never with --no-color or NO_COLOR, forced by FORCE_COLOR', () => {
    expect(colorEnabled(true, opts, {})).toBe(true);
    expect(colorEnabled(false, opts, {})).toBe(false);
    expect(colorEnabled(true, { ...opts, color: false }, {})).toBe(false);
    expect(colorEnabled(true, opts, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(false, opts, { FORCE_COLOR: '1' })).toBe(true);
  });
});

/** A KubeClient that records patches and fails status patches with `statusError`. */
function fakeClient(statusError?: ApiError): KubeClient & { sent: string[] } {
  const sent: string[] = [];
  const rollout = aRollout();
  const record = (kind: string, res: ResourceType, patch: Patch) => {
    sent.push(`${kind} ${res.plural} ${JSON.stringify(patch.type === 'merge' ? patch.body : patch)}`);
  };
  return {
    sent,
    get: async () => rollout as never,
    list: async () => ({ items: [] }),
    create: async (_r, _n, body) => body,
    replace: async (_r, _n, body) => body,
    delete: async () => {},
    patch: async (res, _ref, patch) => {
      record('patch', res, patch);
      return rollout as never;
    },
    patchStatus: async (res, _ref, patch) => {
      if (statusError) throw statusError;
      record('patchStatus', res, patch);
      return rollout as never;
    },
  };
}

describe('RolloutsApi', () => {
  it('sends spec first, then status through the subresource', async () => {
    const client = fakeClient();
    await new RolloutsApi(client, 'shop').apply('web', {
      spec: { paused: false },
      status: { pauseConditions: null },
    });
    expect(client.sent).toEqual([
      'patch rollouts {"spec":{"paused":false}}',
      'patchStatus rollouts {"status":{"pauseConditions":null}}',
    ]);
  });

  it('falls back to the main resource when the status subresource is missing (404)', async () => {
    const client = fakeClient(
      new ApiError(404, 'NotFound', 'the server could not find the requested resource'),
    );
    await new RolloutsApi(client, 'shop').apply('web', { status: { abort: true } });
    expect(client.sent).toEqual(['patch rollouts {"status":{"abort":true}}']);
  });

  it('turns a 403 on the subresource into a line naming rollouts/status', async () => {
    const client = fakeClient(new ApiError(403, 'Forbidden', 'no'));
    await expect(new RolloutsApi(client, 'shop').apply('web', { status: { abort: true } })).rejects.toThrow(
      'forbidden: cannot patch rollouts/status in namespace shop',
    );
  });
});
