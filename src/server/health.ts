import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Liveness and readiness as the controller reports them. */
export interface HealthState {
  /** True once informers are synced (and, with leader election, this replica can serve). */
  ready(): boolean;
}

/** A bound health server and the port it listens on. */
export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` (200 while the event loop runs) and `/readyz` (200 only when `state.ready()`);
 * everything else is 404. Binds `host:port` (port 0 = any free port).
 */
export async function startHealthServer(
  host: string,
  port: number,
  state: HealthState,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200).end('ok');
    } else if (req.url === '/readyz') {
      const ready = state.ready();
      res.writeHead(ready ? 200 : 503).end(ready ? 'ok' : 'not ready');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
