import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/kube/client.js';
import { createInformer, setWatchTimeoutSeconds } from '../../../src/kube/informers.js';
import { Resources } from '../../../src/kube/resources.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { FakeClock } from '../../../src/util/clock.js';
import { fakeListWatchFactory } from './fakes.js';

function watchTimeout(opts: { timeoutSeconds?: number } = {}): number {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const { factory, built } = fakeListWatchFactory<KubeObject>();
  createInformer<KubeObject>(kc, {} as KubeClient, Resources.replicaSets, {
    ...opts,
    namespace: 'ns',
    listWatchFactory: factory,
    clock: new FakeClock(),
  });
  return Number(/timeoutSeconds=(\d+)/.exec(built().args.path)?.[1]);
}

describe('createInformer watch timeout', () => {
  afterEach(() => setWatchTimeoutSeconds(undefined));

  it('uses a random 300–600 s timeout by default', () => {
    const seconds = watchTimeout();
    expect(seconds).toBeGreaterThanOrEqual(300);
    expect(seconds).toBeLessThan(600);
  });

  it('uses the process-wide timeout (--watch-timeout) for informers built after it is set', () => {
    setWatchTimeoutSeconds(4);
    expect(watchTimeout()).toBe(4);
    expect(watchTimeout({ timeoutSeconds: 9 })).toBe(9);
    setWatchTimeoutSeconds(undefined);
    expect(watchTimeout()).toBeGreaterThanOrEqual(300);
  });
});
