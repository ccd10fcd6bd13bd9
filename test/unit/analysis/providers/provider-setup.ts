import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ResolvedArgs } from '../../../../src/analysis/core/index.js';
import type { MeasureContext } from '../../../../src/analysis/providers/provider.js';
import { type Stub, startStub } from './stub-server.js';

/**
 * A stub server for this file's tests: started before all, reset after each, closed after all.
 * Read its members only inside hooks and tests.
 */
export function useStub(): Stub {
  let stub: Stub | undefined;
  const current = (): Stub => {
    if (!stub) throw new Error('the stub server is not started yet');
    return stub;
  };
  beforeAll(async () => {
    stub = await startStub();
  });
  afterEach(() => current().reset());
  afterAll(() => current().close());
  return {
    get base() {
      return current().base;
    },
    get seen() {
      return current().seen;
    },
    handle: (handler) => current().handle(handler),
    hold: (res) => current().hold(res),
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

/** A plain and a secret argument. */
export const ARGS: ResolvedArgs = [
  { name: 'service', value: 'api', secret: false },
  { name: 'token', value: 'tok-very-secret', secret: true },
];

/** A measure context at `now` with {@link ARGS}; `extra` overrides. */
export function measureContext(now: Date, extra: Partial<MeasureContext> = {}): MeasureContext {
  return { args: ARGS, signal: new AbortController().signal, now, ...extra };
}

/**
 * Starts a measurement against `stub`, which holds every request open, and aborts it once the stub has seen
 * the request (or after 5 s); returns what the measurement then gives.
 */
export async function abortOnceSeen<T>(stub: Stub, measure: (signal: AbortSignal) => Promise<T>): Promise<T> {
  stub.handle((_seen, res) => stub.hold(res));
  const controller = new AbortController();
  const pending = measure(controller.signal);
  const deadline = Date.now() + 5000;
  while (stub.seen.length === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  controller.abort();
  return pending;
}
