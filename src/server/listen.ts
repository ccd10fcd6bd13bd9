import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A bound HTTP server and the port it listens on. */
export interface BoundServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Binds `server` to `host:port` (port 0 = any free port); rejects with the bind error (e.g. EADDRINUSE).
 * `close` stops accepting connections, ends idle keep-alive ones and resolves once the server is closed.
 */
export async function listenOn(server: Server, host: string, port: number): Promise<BoundServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
