import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedKind, NamespaceFeed } from './feeds.js';

/** One server-sent event: its name and its JSON data. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/** How a stream renders and how often it speaks. */
export interface StreamOptions {
  /** Renders the current view; called after the watches change (debounced). */
  render(): Promise<StreamEvent>;
  /** Re-checks the viewer's credentials; false ends the stream with an `unauthorized` event. */
  stillAllowed?(): Promise<boolean>;
  debounceMs?: number;
  heartbeatMs?: number;
  recheckMs?: number;
}

/** The wire form of one event: `event: name` and one `data:` line of JSON, then a blank line. */
export function formatEvent(e: StreamEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/**
 * Streams a view as server-sent events from the namespace's watches: the first render once `kinds` are
 * listed, then a render after each burst of changes (debounced), sent only when it differs from the last
 * one sent; a comment line every `heartbeatMs` keeps proxies from closing the connection. Invariant: when
 * the client goes away every subscription and timer of this stream is released.
 */
export function streamView(
  req: IncomingMessage,
  res: ServerResponse,
  feed: NamespaceFeed,
  kinds: readonly FeedKind[],
  opts: StreamOptions,
): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
  let last = '';
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let rendering = Promise.resolve();
  const send = () => {
    rendering = rendering.then(async () => {
      if (closed) return;
      const text = formatEvent(await opts.render());
      if (!closed && text !== last) {
        last = text;
        res.write(text);
      }
    });
    rendering.catch(() => undefined);
  };
  const changed = () => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      send();
    }, opts.debounceMs ?? 100);
  };
  const unsubscribe = feed.subscribe(kinds, changed);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000);
  const recheck = setInterval(async () => {
    if (opts.stillAllowed === undefined || (await opts.stillAllowed().catch(() => false))) return;
    res.write(formatEvent({ event: 'unauthorized', data: { message: 'your session has ended' } }));
    res.end();
  }, opts.recheckMs ?? 60_000);
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    clearInterval(heartbeat);
    clearInterval(recheck);
    unsubscribe();
  };
  req.on('close', close);
  res.on('close', close);
  void feed.synced(kinds).then(send);
}
