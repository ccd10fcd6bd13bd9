import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parseSimpleYaml, Unsupported } from './simple-yaml.js';

/**
 * The connection the fast path can make by itself: an HTTPS server with a CA, a client certificate and/or
 * a bearer token, all read from one kubeconfig. File paths are absolute (resolved against the kubeconfig's
 * folder, as kubectl and client-node do); `*Data` fields hold the decoded PEM.
 */
export interface DirectConnection {
  server: string;
  namespace: string;
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  tokenFile?: string;
  insecure: boolean;
  tlsServerName?: string;
}

type Fields = Record<string, unknown>;

interface Named {
  name?: unknown;
  [entry: string]: unknown;
}

const USER_KEYS = new Set([
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
]);
const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'extensions',
]);

function entry(list: unknown, name: unknown, key: string): Fields | undefined {
  if (!Array.isArray(list) || typeof name !== 'string') return undefined;
  const found = (list as Named[]).find((item) => item?.name === name)?.[key];
  return typeof found === 'object' && found !== null ? (found as Fields) : undefined;
}

function onlyKnown(fields: Fields, known: ReadonlySet<string>): boolean {
  return Object.entries(fields).every(
    ([key, value]) => known.has(key) || value === undefined || value === null,
  );
}

function text(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function pem(fields: Fields, key: string, root: string, read: (path: string) => string): string | undefined {
  const data = text(fields, `${key}-data`);
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  const file = text(fields, key);
  return file === undefined ? undefined : read(isAbsolute(file) ? file : join(root, file));
}

/**
 * The {@link DirectConnection} of `context` (else the current context) in a parsed kubeconfig whose file
 * lives in `root`; undefined whenever the kubeconfig needs anything the fast path lacks (exec or
 * auth-provider credentials, basic auth, impersonation, a proxy, plain HTTP, a missing context, cluster or
 * user). Undefined is never an error: the caller then loads the full client, which reports problems in
 * its own words.
 */
export function directConnection(
  doc: unknown,
  root: string,
  context: string | undefined,
  read: (path: string) => string,
): DirectConnection | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const config = doc as Fields;
  const ctx = entry(config.contexts, context ?? config['current-context'], 'context');
  const cluster = entry(config.clusters, ctx?.cluster, 'cluster');
  const user = ctx?.user === undefined || ctx.user === '' ? {} : entry(config.users, ctx.user, 'user');
  if (!ctx || !cluster || !user || !onlyKnown(cluster, CLUSTER_KEYS) || !onlyKnown(user, USER_KEYS))
    return undefined;
  const server = text(cluster, 'server');
  if (server === undefined || !server.startsWith('https://')) return undefined;
  const tlsServerName = text(cluster, 'tls-server-name');
  const token = text(user, 'token');
  const tokenFile = text(user, 'tokenFile');
  return {
    server: server.replace(/\/+$/, ''),
    namespace: text(ctx, 'namespace') ?? 'default',
    ca: pem(cluster, 'certificate-authority', root, read),
    cert: pem(user, 'client-certificate', root, read),
    key: pem(user, 'client-key', root, read),
    ...(token ? { token } : {}),
    ...(tokenFile ? { tokenFile: isAbsolute(tokenFile) ? tokenFile : join(root, tokenFile) } : {}),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    ...(tlsServerName ? { tlsServerName } : {}),
  };
}

/**
 * The one kubeconfig file the fast path reads: `--kubeconfig`, else `$KUBECONFIG` when it names a single
 * file, else `~/.kube/config`. Undefined (use the full client) when credentials come from the pod's
 * service account, when `$KUBECONFIG` lists several files (they would have to be merged), or when the file
 * does not exist.
 */
export function kubeconfigFile(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (flag) return existsSync(flag) ? flag : undefined;
  if (env.KUBERNETES_SERVICE_HOST) return undefined;
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  if (listed.length > 1) return undefined;
  const file = listed[0] ?? join(env.HOME || homedir(), '.kube', 'config');
  return existsSync(file) ? file : undefined;
}

/** `text` as YAML: the small reader for what kubectl writes, the `yaml` package for anything else. */
async function parseKubeconfig(text: string): Promise<unknown> {
  try {
    return parseSimpleYaml(text);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  const yaml = await import('yaml');
  // Through esbuild's CommonJS interop the named export may only exist on `default`.
  return (yaml.parse ?? (yaml as unknown as { default: typeof yaml }).default.parse)(text);
}

/**
 * Reads and resolves the kubeconfig for the fast path (see {@link kubeconfigFile} and
 * {@link directConnection}); undefined means "use the full client". Unreadable or malformed input also
 * yields undefined, so the full client reports it exactly as before.
 */
export async function loadDirectConnection(
  flag: string | undefined,
  context: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<DirectConnection | undefined> {
  const file = kubeconfigFile(flag, env);
  if (file === undefined) return undefined;
  try {
    const doc = await parseKubeconfig(readFileSync(file, 'utf8'));
    return directConnection(doc, dirname(file), context, (path) => readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
