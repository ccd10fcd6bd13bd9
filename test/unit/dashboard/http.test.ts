import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessPolicy, Viewer } from '../../../src/dashboard/server/access.js';
import { type CacheFactory, FeedHub } from '../../../src/dashboard/server/feeds.js';
import { dashboardHandler } from '../../../src/dashboard/server/http.js';
import type { KubeClient } from '../../../src/kube/client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { aRollout } from '../cli/fixtures.js';

/** Caches that hold what the test puts in `objects[plural]`; `changed()` tells the watchers. */
function fakeCaches() {
  const objects: Record<string, KubeObject[]> = { rollouts: [aRollout() as unknown as KubeObject] };
  const listeners: (() => void)[] = [];
  const factory: CacheFactory = (res, _ns, onChange) => {
    listeners.push(onChange);
    return {
      list: () => objects[res.plural] ?? [],
      waitForSync: async () => {},
      error: () => undefined,
      stop: async () => {},
    };
  };
  return {
    objects,
    factory,
    changed: () => {
      for (const l of listeners) l();
    },
  };
}

/** The status of a GET carrying `host` as its Host header (fetch does not let a caller set it). */
function statusWithHost(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, authorization: 'Bearer good' } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

const viewer: Viewer = {
  user: 'alice',
  client: {} as KubeClient,
  csrfToken: 'csrf-1',
  mayRead: async (attrs) => attrs.resource !== 'pods',
};

const policy: AccessPolicy = {
  mode: 'in-cluster',
  viewerOf: async (req) => (req.headers.authorization === 'Bearer good' ? viewer : undefined),
  login: async (token) => (token === 'good' ? 'vireo_token=good' : undefined),
};

describe('the dashboard HTTP handler', () => {
  let server: Server;
  let base: string;
  const caches = fakeCaches();
  const hosts = new Set<string>();
  const auth = { authorization: 'Bearer good' };

  beforeAll(async () => {
    const assets = new Map([['index.html', { body: Buffer.from('<html></html>'), type: 'text/html' }]]);
    const handler = dashboardHandler({
      policy,
      hub: new FeedHub(caches.factory, 10),
      assets,
      namespace: 'shop',
      allowedHosts: hosts,
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    hosts.add(`127.0.0.1:${port}`);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves the UI with a strict Content-Security-Policy, and nothing from a path the request names', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${base}/assets/../../etc/passwd`)).status).toBe(404);
  });

  it('answers 401 without credentials, and 421 to a foreign Host (DNS rebinding)', async () => {
    expect((await fetch(`${base}/api/session`)).status).toBe(401);
    expect((await fetch(`${base}/api/namespaces/shop/rollouts`)).status).toBe(401);
    expect(await statusWithHost(`${base}/api/session`, 'evil.example:80')).toBe(421);
  });

  it('serves the session, the list and a page with the sections the user may not read named', async () => {
    expect(await (await fetch(`${base}/api/session`, { headers: auth })).json()).toEqual({
      mode: 'in-cluster',
      user: 'alice',
      namespace: 'shop',
      csrfToken: 'csrf-1',
    });
    const list = (await (await fetch(`${base}/api/namespaces/shop/rollouts`, { headers: auth })).json()) as {
      rows: { name: string }[];
    };
    expect(list.rows.map((r) => r.name)).toEqual(['web']);
    const page = await fetch(`${base}/api/namespaces/shop/rollouts/web`, { headers: auth });
    expect(((await page.json()) as { denied: object }).denied).toEqual({
      pods: 'you may not list pods in namespace shop',
    });
    expect((await fetch(`${base}/api/namespaces/shop/rollouts/nope`, { headers: auth })).status).toBe(404);
  });

  it('refuses writes without the CSRF token, from another origin, or for an unknown action', async () => {
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${base}/api/namespaces/shop/rollouts/web/actions/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: '{}',
      });
    expect((await post('promote', {})).status).toBe(403);
    expect((await post('promote', { 'x-vireo-csrf': 'wrong' })).status).toBe(403);
    expect((await post('promote', { 'x-vireo-csrf': 'csrf-1', origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await post('delete-everything', { 'x-vireo-csrf': 'csrf-1' })).status).toBe(404);
  });

  it('logs in only with a token TokenReview accepts, and sets an HttpOnly cookie', async () => {
    const login = (token: string) =>
      fetch(`${base}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
    expect((await login('bad')).status).toBe(401);
    const ok = await login('good');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toBe('vireo_token=good');
  });

  it('streams the list as server-sent events, again after each change', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/namespaces/shop/stream`, {
      headers: auth,
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(chunk.value);
      }
    };
    await until('event: list');
    const renamed = { ...aRollout(), metadata: { ...aRollout().metadata, name: 'api' } };
    caches.objects.rollouts = [...(caches.objects.rollouts ?? []), renamed as unknown as KubeObject];
    caches.changed();
    await until('"name":"api"');
    controller.abort();
  });
});
