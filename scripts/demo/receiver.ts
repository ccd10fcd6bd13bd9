import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A notification as the receiver got it. */
export interface Received {
  at: number;
  body: unknown;
}

/** A loopback webhook receiver that keeps every JSON body it is sent. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Called for every notification received (replaceable). */
  onReceive: (r: Received) => void;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 (a free port); every POST is answered 200, kept, and passed to `onReceive`. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let receiver: Receiver | undefined;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      const entry = { at: Date.now(), body };
      received.push(entry);
      receiver?.onReceive(entry);
      res.end('ok\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver = {
    url: `http://127.0.0.1:${port}/hooks/vireo`,
    received,
    onReceive: () => {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
