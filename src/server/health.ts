import { createServer } from 'node:http';
import { type BoundServer, listenOn } from './listen.js';

/** Liveness and readiness as the controller reports them. */
export interface HealthState {
  /** True once informers are synced (and, with leader election, this replica can serve). */
  ready(): boolean;
  /** A word on the body of a 200 `/readyz`, e.g. `leader` or `standby`; default `ok`. */
  role?(): string;
}

/** A bound health server and the port it listens on. */
export type HealthServer = BoundServer;

/**
 * Serves `/healthz` (200 while the event loop runs) and `/readyz` (200 with `state.role()` only when
 * `state.ready()`, else 503); everything else is 404. Binds `host:port` (port 0 = any free port).
 */
export async function startHealthServer(
  host: string,
  port: number,
  state: HealthState,
): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200).end('ok');
    } else if (path === '/readyz') {
      const ready = state.ready();
      res.writeHead(ready ? 200 : 503).end(ready ? (state.role?.() ?? 'ok') : 'not ready');
    } else {
      res.writeHead(404).end();
    }
  });
  return listenOn(server, host, port);
}
