import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientNodeKubeClient, Resources } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';

let server: Server | undefined;

/** A loopback server that answers every request with `respond`, which may never finish it. */
async function serve(respond: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(respond);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(url: string, requestTimeoutMs: number): ClientNodeKubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new ClientNodeKubeClient(kc, { requestTimeoutMs });
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('ClientNodeKubeClient request timeout', () => {
  it('fails a request that gets no response within the timeout (a silently dead connection)', async () => {
    const url = await serve(() => {});
    const started = Date.now();
    const err = await client(url, 200)
      .get(Resources.rollouts, 'ns', 'r')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(0);
    expect((err as ApiError).message).toBe('request timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails a request whose response body stalls, and the next request works on a fresh connection', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (calls === 1) res.write('{"kind":');
      else res.end('{"kind":"Rollout"}');
    });
    const c = client(url, 200);
    await expect(c.get(Resources.rollouts, 'ns', 'r')).rejects.toThrow('request timed out after 200 ms');
    await expect(c.get(Resources.rollouts, 'ns', 'r')).resolves.toEqual({ kind: 'Rollout' });
  });
});
