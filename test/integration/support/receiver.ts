import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { NotificationPayload } from '../../../src/notify/payload.js';

/** How one path answers: 200, `failures` × 500 then 200, or never (the request hangs until closed). */
export type Behaviour = { kind: 'ok' } | { kind: 'fail-then-ok'; failures: number } | { kind: 'hang' };

/** One request as the receiver got it, with the status it answered (`undefined` while hanging). */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  status?: number;
}

/** A notification receiver on 127.0.0.1: records every request, answers per path prefix. */
export interface Receiver {
  port: number;
  url(path: string): string;
  received: Received[];
  /** Requests whose path starts with `prefix`, parsed as JSON. */
  json<T = Record<string, unknown>>(prefix: string): (T & { __status?: number; __eventId?: string })[];
  close(): Promise<void>;
}

/** Starts a {@link Receiver}; `behaviours` maps path prefixes to how they answer (default 200). */
export async function startReceiver(behaviours: Record<string, Behaviour>): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const failed = new Map<string, number>();
  /** The status `path` answers now (counting failures per prefix), or `undefined` to hang. */
  const statusFor = (path: string): number | undefined => {
    const match = Object.entries(behaviours).find(([p]) => path.startsWith(p));
    const [prefix, behaviour]: [string, Behaviour] = match ?? ['', { kind: 'ok' }];
    if (behaviour.kind === 'hang') return undefined;
    if (behaviour.kind === 'ok') return 200;
    const failures = failed.get(prefix) ?? 0;
    if (failures >= behaviour.failures) return 200;
    failed.set(prefix, failures + 1);
    return 500;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const entry: Received = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      entry.status = statusFor(path);
      if (entry.status === undefined) hanging.add(res);
      else res.writeHead(entry.status, { 'content-type': 'text/plain' }).end('done');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    json: <T>(prefix: string) =>
      received
        .filter((r) => r.path.startsWith(prefix))
        .map((r) => ({
          ...(JSON.parse(r.body) as T),
          __status: r.status,
          __eventId: r.headers['x-vireo-event-id'] as string | undefined,
        })),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The webhook payload a receiver gets (Vireo's generic webhook body). */
export type Payload = NotificationPayload;

/**
 * Replaces `argo-rollouts-notification-configmap` (`data`) and `argo-rollouts-notification-secret`
 * (`secret`, as stringData) in `namespace`; `undefined` only deletes them.
 */
export async function writeNotificationConfig(
  kc: KubeConfig,
  namespace: string,
  config: { data: Record<string, string>; secret: Record<string, string> } | undefined,
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const ignore404 = (err: { code?: number }) => {
    if (err.code !== 404) throw err;
  };
  await core
    .deleteNamespacedSecret({ namespace, name: 'argo-rollouts-notification-secret' })
    .catch(ignore404);
  await core
    .deleteNamespacedConfigMap({ namespace, name: 'argo-rollouts-notification-configmap' })
    .catch(ignore404);
  if (!config) return;
  await core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'argo-rollouts-notification-secret' }, stringData: config.secret },
  });
  await core.createNamespacedConfigMap({
    namespace,
    body: { metadata: { name: 'argo-rollouts-notification-configmap' }, data: config.data },
  });
}

/** Merge-patches a Rollout's metadata (annotations set, or removed with `null`), as kubectl annotate does. */
export async function patchRolloutMetadata(
  kc: KubeConfig,
  namespace: string,
  name: string,
  metadata: object,
): Promise<void> {
  await kc
    .makeApiClient(CustomObjectsApi)
    .patchNamespacedCustomObject(
      { group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'rollouts', name, body: { metadata } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
}
