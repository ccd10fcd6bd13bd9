import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directConnection, kubeconfigFile, loadDirectConnection } from '../../../src/cli/kubeconfig.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function config(cluster: object, user: object, context: object = {}): object {
  return {
    clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [
      { name: 'other', context: { cluster: 'missing', user: 'u' } },
      { name: 'main', context: { cluster: 'c', user: 'u', ...context } },
    ],
    'current-context': 'main',
  };
}

const files: Record<string, string> = { '/cfg/ca.crt': 'CA', '/abs/cert.pem': 'CERT' };
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`no ${path}`);
  return text;
};

describe('directConnection: what the fast path can do alone', () => {
  it('resolves files against the kubeconfig folder and decodes inline data', () => {
    const doc = config(
      { 'certificate-authority': 'ca.crt', 'tls-server-name': 'api' },
      { 'client-certificate': '/abs/cert.pem', 'client-key-data': b64('KEY'), token: 't0k' },
      { namespace: 'shop' },
    );
    expect(directConnection(doc, '/cfg', undefined, read)).toEqual({
      server: 'https://10.0.0.1:6443',
      namespace: 'shop',
      ca: 'CA',
      cert: 'CERT',
      key: 'KEY',
      token: 't0k',
      insecure: false,
      tlsServerName: 'api',
    });
  });

  it('honours --context and defaults the namespace', () => {
    const doc = config({ 'insecure-skip-tls-verify': true }, { tokenFile: 'token' });
    expect(directConnection(doc, '/cfg', 'main', read)).toMatchObject({
      namespace: 'default',
      insecure: true,
      tokenFile: '/cfg/token',
    });
    expect(directConnection(doc, '/cfg', 'other', read)).toBeUndefined();
    expect(directConnection(doc, '/cfg', 'nope', read)).toBeUndefined();
  });

  it.each([
    ['exec credentials', config({}, { exec: { command: 'aws' } })],
    ['an auth provider', config({}, { 'auth-provider': { name: 'oidc' } })],
    ['basic auth', config({}, { username: 'a', password: 'b' })],
    ['impersonation', config({}, { as: 'someone' })],
    ['a proxy', config({ 'proxy-url': 'http://proxy:3128' }, {})],
    ['plain HTTP', config({ server: 'http://10.0.0.1:8080' }, {})],
    ['no current context', { ...config({}, {}), 'current-context': '' }],
    ['not a mapping', 'text'],
  ])('hands %s to the full client', (_, doc) => {
    expect(directConnection(doc, '/cfg', undefined, read)).toBeUndefined();
  });
});

describe('kubeconfigFile: the one file the fast path reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vireo-kubeconfig-'));
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b.yaml');
  writeFileSync(a, 'apiVersion: v1\n');
  writeFileSync(b, 'apiVersion: v1\n');

  it('prefers --kubeconfig, then a single $KUBECONFIG, then ~/.kube/config', () => {
    expect(kubeconfigFile(a, { KUBECONFIG: b })).toBe(a);
    expect(kubeconfigFile(undefined, { KUBECONFIG: b })).toBe(b);
    expect(kubeconfigFile(undefined, { KUBECONFIG: `${delimiter}${b}` })).toBe(b);
    expect(kubeconfigFile(undefined, { HOME: dir })).toBeUndefined();
  });

  it('leaves merged, in-cluster and missing configurations to the full client', () => {
    expect(kubeconfigFile(undefined, { KUBECONFIG: `${a}${delimiter}${b}` })).toBeUndefined();
    expect(kubeconfigFile(undefined, { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBECONFIG: a })).toBeUndefined();
    expect(kubeconfigFile(join(dir, 'missing'), {})).toBeUndefined();
  });

  it('reads a kubeconfig the small reader refuses through the yaml package', async () => {
    const anchored = join(dir, 'anchored.yaml');
    writeFileSync(
      anchored,
      [
        'clusters:',
        '- name: c',
        '  cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}',
        'users: [{name: u, user: &creds {token: abc}}]',
        'contexts:',
        '- {name: main, context: {cluster: c, user: u, namespace: shop}}',
        'current-context: main',
        '',
      ].join('\n'),
    );
    expect(await loadDirectConnection(anchored, undefined, {})).toMatchObject({
      server: 'https://10.0.0.1:6443',
      namespace: 'shop',
      token: 'abc',
      insecure: true,
    });
  });
});
