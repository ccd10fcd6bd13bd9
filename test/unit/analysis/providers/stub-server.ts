import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A request as the stub saw it. */
export interface Seen {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** Answers one request. */
export type Handler = (seen: Seen, res: ServerResponse) => void;

/** A node:http server on 127.0.0.1 (random port) whose handler each test sets. */
export interface Stub {
  readonly base: string;
  readonly seen: Seen[];
  handle(handler: Handler): void;
  /** Responses a test never answers (timeouts); destroyed by `reset`. */
  hold(res: ServerResponse): void;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a stub server (https with `tls`); call `close` in `afterAll`. */
export async function startStub(tls?: { key: string; cert: string }): Promise<Stub> {
  let handler: Handler = (_seen, res) => res.end();
  const seen: Seen[] = [];
  const held: ServerResponse[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://stub'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      handler(entry, res);
    });
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    handle: (h) => {
      handler = h;
    },
    hold: (res) => held.push(res),
    reset: () => {
      for (const res of held.splice(0)) res.destroy();
      seen.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** A handler answering `body` as JSON with `status`. */
export function json(body: unknown, status = 200): Handler {
  return (_seen, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}
