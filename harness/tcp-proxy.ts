import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy that tests use to cut off or stall a component (e.g. kube-apiserver). */
export interface TcpProxy {
  port: number;
  /** Stops forwarding bytes in both directions while keeping connections open (a silent stall). */
  stall(): void;
  /** Resumes forwarding after {@link stall}, and accepts connections again after {@link refuse}. */
  resume(): void;
  /** Destroys every open connection (new ones are still accepted). */
  cutAll(): void;
  /**
   * Turns every open connection into a black hole, as a dropped NAT entry or a dead peer does: from now on
   * nothing is forwarded on it in either direction and neither side learns of the other closing, so the
   * client's socket stays open and silent for ever. Connections opened later work normally.
   */
  blackHole(): number;
  /** Cuts every open connection and resets new ones at once until {@link resume} (API server unreachable). */
  refuse(): void;
  /** Number of client connections currently open. */
  connections(): number;
  /** Number of client connections accepted since the start. */
  accepted(): number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Black-holed: nothing forwarded, the upstream's close not passed on. */
  dead: boolean;
}

/** Starts a proxy on 127.0.0.1 (free port) forwarding to 127.0.0.1:`targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let stalled = false;
  let refusing = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: connect(targetPort, '127.0.0.1'), dead: false };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (!stalled && !pair.dead) to.write(chunk);
      });
    forward(client, pair.upstream);
    forward(pair.upstream, client);
    const closeAll = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream.destroy();
    };
    client.on('close', closeAll).on('error', closeAll);
    pair.upstream.on('close', () => pair.dead || closeAll()).on('error', () => pair.dead || closeAll());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const destroyAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      refusing = false;
    },
    cutAll: destroyAll,
    blackHole: () => {
      for (const pair of pairs) pair.dead = true;
      return pairs.size;
    },
    refuse: () => {
      refusing = true;
      destroyAll();
    },
    connections: () => pairs.size,
    accepted: () => accepted,
    close: () =>
      new Promise((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}
