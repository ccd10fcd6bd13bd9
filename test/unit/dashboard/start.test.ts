import { describe, expect, it } from 'vitest';
import { isLoopback, loopbackHosts, startDashboard } from '../../../src/dashboard/server/start.js';

describe('local mode binds loopback only', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '10.0.0.5', '::', 'example.com'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('accepts the Host values a browser sends to it', () => {
    expect([...loopbackHosts('::1', 3100)]).toEqual(['[::1]:3100', 'localhost:3100', '127.0.0.1:3100']);
  });

  it('refuses to lend the kubeconfig user to the network', async () => {
    const start = startDashboard({ address: '0.0.0.0', port: 0, namespace: 'shop', inCluster: false });
    await expect(start).rejects.toThrow(/local mode acts with your own credentials and binds only loopback/);
  });
});
