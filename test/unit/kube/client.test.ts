import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientNodeKubeClient, loadKubeConfig, Resources, resourcePath } from '../../../src/kube/client.js';
import { ApiError, isApiError, toApiError } from '../../../src/kube/errors.js';

interface Recorded {
  method: string;
  url: string;
  contentType?: string;
  authorization?: string;
  body: string;
}

/** A loopback API server: records each request and answers with the scripted status and JSON body. */
let server: Server;
let base = '';
const requests: Recorded[] = [];
let reply: { status: number; body: unknown } = { status: 200, body: {} };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body,
    });
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(() => {
  requests.length = 0;
  reply = { status: 200, body: {} };
  vi.unstubAllEnvs();
});

function client(server = base): ClientNodeKubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'super-secret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return new ClientNodeKubeClient(kc);
}

const ref = { namespace: 'ns', name: 'r1' };

describe('resourcePath', () => {
  it.each([
    [Resources.services, 'ns', 'web', undefined, '/api/v1/namespaces/ns/services/web'],
    [Resources.replicaSets, undefined, undefined, undefined, '/apis/apps/v1/replicasets'],
    [Resources.rollouts, 'ns', 'r1', 'status', '/apis/argoproj.io/v1alpha1/namespaces/ns/rollouts/r1/status'],
    [
      Resources.clusterAnalysisTemplates,
      undefined,
      't',
      undefined,
      '/apis/argoproj.io/v1alpha1/clusteranalysistemplates/t',
    ],
  ])('%o %s %s %s → %s', (res, ns, name, sub, expected) => {
    expect(resourcePath(res, ns, name, sub)).toBe(expected);
  });
});

describe('ClientNodeKubeClient', () => {
  it('gets raw JSON (string timestamps, unknown fields kept) with the bearer token', async () => {
    reply = {
      status: 200,
      body: { kind: 'Service', metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, x: 1 },
    };
    const svc = await client().get<{ x?: number; metadata?: { creationTimestamp?: string } }>(
      Resources.services,
      'ns',
      'web',
    );
    expect(svc.metadata?.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(svc.x).toBe(1);
    expect(requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/namespaces/ns/services/web' });
    expect(requests[0]?.authorization).toBe('Bearer super-secret-token');
  });

  it('lists with a label selector', async () => {
    reply = {
      status: 200,
      body: { metadata: { resourceVersion: '9' }, items: [{ metadata: { name: 'a' } }] },
    };
    const list = await client().list(Resources.replicaSets, 'ns', { labelSelector: 'a=b,c in (d)' });
    expect(list.items).toHaveLength(1);
    const url = new URL(requests[0]?.url ?? '', base);
    expect(url.pathname).toBe('/apis/apps/v1/namespaces/ns/replicasets');
    expect(url.searchParams.get('labelSelector')).toBe('a=b,c in (d)');
  });

  it('sends each patch type with its content type and parameters', async () => {
    const c = client();
    await c.patch(Resources.rollouts, ref, { type: 'merge', body: { spec: { paused: true } } });
    await c.patch(Resources.rollouts, ref, {
      type: 'json',
      ops: [{ op: 'replace', path: '/spec/paused', value: false }],
    });
    await c.patch(Resources.rollouts, ref, {
      type: 'apply',
      body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r1' } },
      fieldManager: 'vireo',
      force: true,
    });
    await c.patchStatus(Resources.rollouts, ref, { type: 'merge', body: { status: { phase: 'Paused' } } });
    expect(requests.map((r) => [r.method, r.contentType])).toEqual([
      ['PATCH', 'application/merge-patch+json'],
      ['PATCH', 'application/json-patch+json'],
      ['PATCH', 'application/apply-patch+yaml'],
      ['PATCH', 'application/merge-patch+json'],
    ]);
    expect(JSON.parse(requests[1]?.body ?? '')).toEqual([
      { op: 'replace', path: '/spec/paused', value: false },
    ]);
    const apply = new URL(requests[2]?.url ?? '', base);
    expect(apply.searchParams.get('fieldManager')).toBe('vireo');
    expect(apply.searchParams.get('force')).toBe('true');
    expect(requests[3]?.url).toBe('/apis/argoproj.io/v1alpha1/namespaces/ns/rollouts/r1/status');
  });

  it('creates, replaces and deletes with the expected verbs and bodies', async () => {
    const c = client();
    await c.create(Resources.replicaSets, 'ns', { metadata: { name: 'rs' } });
    await c.replace(Resources.replicaSets, 'ns', { metadata: { name: 'rs', resourceVersion: '3' } });
    await c.delete(
      Resources.replicaSets,
      { namespace: 'ns', name: 'rs' },
      { propagationPolicy: 'Foreground' },
    );
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /apis/apps/v1/namespaces/ns/replicasets',
      'PUT /apis/apps/v1/namespaces/ns/replicasets/rs',
      'DELETE /apis/apps/v1/namespaces/ns/replicasets/rs',
    ]);
    expect(JSON.parse(requests[2]?.body ?? '')).toMatchObject({
      kind: 'DeleteOptions',
      propagationPolicy: 'Foreground',
    });
  });

  it.each([
    [404, 'NotFound', 'NotFound', 'replicasets.apps "rs" not found'],
    [409, 'AlreadyExists', 'AlreadyExists', 'replicasets.apps "rs" already exists'],
    [409, 'Conflict', 'Conflict', 'the object has been modified'],
    [422, 'Invalid', 'Invalid', 'spec.replicas: Invalid value: -1'],
    [403, 'Forbidden', 'Forbidden', 'cannot get resource'],
    [410, 'Expired', 'Gone', 'too old resource version'],
    [500, 'InternalError', 'Other', 'etcd timeout'],
  ])('maps HTTP %i with Status reason %s to ApiError %s', async (code, statusReason, reason, message) => {
    reply = {
      status: code,
      body: { kind: 'Status', status: 'Failure', reason: statusReason, message, code },
    };
    const err = await client()
      .get(Resources.replicaSets, 'ns', 'rs')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code, reason, message });
    expect(String((err as Error).message)).not.toContain('super-secret-token');
  });

  it('reports a network failure as code 0, reason Other', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await client(`http://127.0.0.1:${port}`)
      .get(Resources.pods, 'ns', 'p')
      .catch((e: unknown) => e);
    expect(isApiError(err, 'Other')).toBe(true);
    expect((err as ApiError).code).toBe(0);
  });
});

describe('toApiError', () => {
  it('keeps ApiErrors and wraps anything else', () => {
    const e = new ApiError(404, 'NotFound', 'x');
    expect(toApiError(e)).toBe(e);
    expect(toApiError('boom')).toMatchObject({ code: 0, reason: 'Other', message: 'boom' });
  });
});

describe('loadKubeConfig', () => {
  const kubeconfig = (server: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'vireo-kc-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'one', cluster: { server } },
          { name: 'two', cluster: { server: 'https://two.example:6443' } },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [
          { name: 'first', context: { cluster: 'one', user: 'u' } },
          { name: 'second', context: { cluster: 'two', user: 'u' } },
        ],
        'current-context': 'first',
      }),
    );
    return file;
  };

  it('uses an explicit kubeconfig and context even inside a cluster', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.0.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    const kc = loadKubeConfig({ kubeconfig: kubeconfig('https://one.example:6443'), context: 'second' });
    expect(kc.getCurrentCluster()?.server).toBe('https://two.example:6443');
  });

  it('uses the in-cluster service account when KUBERNETES_SERVICE_HOST is set and no kubeconfig is given', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.0.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    const kc = loadKubeConfig();
    expect(kc.getCurrentCluster()?.server).toBe('https://10.0.0.1:443');
  });

  it('rejects an unknown context', () => {
    expect(() =>
      loadKubeConfig({ kubeconfig: kubeconfig('https://one.example:6443'), context: 'nope' }),
    ).toThrow(/no context "nope"/);
  });
});
