import http from 'node:http';
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { AgentCache, agentFingerprint } from '../../../src/kube/agent-cache.js';

describe('AgentCache', () => {
  it('hands out one keep-alive agent for agents with the same TLS options', () => {
    const cache = new AgentCache();
    const a = cache.reuse(new https.Agent({ ca: Buffer.from('CA'), rejectUnauthorized: false }));
    const b = cache.reuse(new https.Agent({ ca: Buffer.from('CA'), rejectUnauthorized: false }));
    expect(a).toBe(b);
    expect(a).toBeInstanceOf(https.Agent);
    expect((a as { keepAlive?: boolean }).keepAlive).toBe(true);
    expect((a as { options: { ca?: Buffer } }).options.ca?.toString()).toBe('CA');
    cache.destroy();
  });

  it('builds a new agent when the TLS options change (a rotated certificate)', () => {
    const cache = new AgentCache();
    const a = cache.reuse(new https.Agent({ cert: 'one' }));
    const b = cache.reuse(new https.Agent({ cert: 'two' }));
    expect(b).not.toBe(a);
    expect(cache.reuse(new https.Agent({ cert: 'two' }))).toBe(b);
    cache.destroy();
  });

  it('keeps http and https apart and leaves other agents and none unchanged', () => {
    const cache = new AgentCache();
    expect(cache.reuse(new http.Agent())).toBeInstanceOf(http.Agent);
    expect(cache.reuse(new https.Agent())).toBeInstanceOf(https.Agent);
    class ProxyAgent extends https.Agent {}
    const proxy = new ProxyAgent();
    expect(cache.reuse(proxy)).toBe(proxy);
    expect(cache.reuse(undefined)).toBeUndefined();
    cache.destroy();
  });

  it('fingerprints only what makes connections differ', () => {
    expect(agentFingerprint(new https.Agent({ ca: 'x', timeout: 5 }))).toBe(
      agentFingerprint(new https.Agent({ ca: 'x', timeout: 9 })),
    );
    expect(agentFingerprint(new https.Agent({ ca: 'x' }))).not.toBe(
      agentFingerprint(new https.Agent({ ca: 'y' })),
    );
  });
});
