import { describe, expect, it } from 'vitest';
import { renderHeader } from '../../../src/cli/view/header.js';
import { noPaint } from '../../../src/cli/view/paint.js';
import { pingPongSummary, rolloutInfo } from '../../../src/cli/view/rollout-info.js';
import { aReplicaSet, aRollout } from './fixtures.js';

const NOW = new Date('2026-01-01T00:05:00Z');
const STRATEGY = {
  strategy: {
    canary: {
      steps: [{ setWeight: 25 }, { pause: {} }],
      pingPong: { pingService: 'web-ping', pongService: 'web-pong' },
      trafficRouting: { istio: { virtualService: { name: 'web' } } },
    },
  },
};

function snapshotWith(stablePingPong: 'ping' | 'pong') {
  const status = { stableRS: 'h1', currentPodHash: 'h2', currentStepIndex: 1, canary: { stablePingPong } };
  return {
    rollout: aRollout(status, STRATEGY as never),
    replicaSets: [aReplicaSet(1, 'h1', 'web:1', [4, 4]), aReplicaSet(2, 'h2', 'web:2', [1, 1])],
    pods: [],
    analysisRuns: [],
    now: NOW,
  };
}

const tagsByHash = (info: ReturnType<typeof rolloutInfo>) =>
  Object.fromEntries(info.revisions.flatMap((r) => r.replicaSets.map((s) => [s.hash, s.tags])));

describe('get rollout with pingPong', () => {
  it('tags the stable ReplicaSet with the stable side and the canary with the other (Argo)', () => {
    expect(tagsByHash(rolloutInfo(snapshotWith('ping')))).toEqual({
      h1: ['stable', 'ping'],
      h2: ['canary', 'pong'],
    });
    expect(tagsByHash(rolloutInfo(snapshotWith('pong')))).toEqual({
      h1: ['stable', 'pong'],
      h2: ['canary', 'ping'],
    });
  });

  it('shows the roles and their Services in the header; images keep only stable/canary tags', () => {
    const info = rolloutInfo(snapshotWith('pong'));
    expect(info.pingPong).toBe('stable pong (web-pong), canary ping (web-ping)');
    expect(renderHeader(info, noPaint)).toContain(
      '  PingPong:      stable pong (web-pong), canary ping (web-ping)',
    );
    expect(info.images).toEqual([
      { image: 'web:1', tags: ['stable'] },
      { image: 'web:2', tags: ['canary'] },
    ]);
  });

  it('has no ping-pong line without pingPong', () => {
    expect(pingPongSummary(aRollout())).toBeUndefined();
    expect(rolloutInfo({ ...snapshotWith('ping'), rollout: aRollout() }).pingPong).toBeUndefined();
  });
});
