import type { KubeConfig } from '@kubernetes/client-node';

/** One collection to watch: its REST path and query (e.g. a field or label selector). */
export interface WatchTarget {
  path: string;
  query?: Record<string, string>;
}

const RESTART_DELAY_MS = 1000;

function watchOne(kc: KubeConfig, target: WatchTarget, onChange: () => void, signal: AbortSignal): void {
  const start = (): void => {
    if (signal.aborted) return;
    const restart = () => {
      if (!signal.aborted) setTimeout(start, RESTART_DELAY_MS).unref();
    };
    import('./watch-client.js')
      .then(({ Watch }) =>
        new Watch(kc).watch(target.path, { ...target.query, allowWatchBookmarks: false }, onChange, restart),
      )
      .then((controller) => {
        if (signal.aborted) controller.abort();
        else signal.addEventListener('abort', () => controller.abort(), { once: true });
      })
      .catch(restart);
  };
  start();
}

/**
 * Calls `onChange` on every watch event of any target until `signal` aborts. A watch that ends (server
 * timeout, network error) is restarted after a second; no state is kept, callers re-read what they show.
 */
export function watchChanges(
  kc: KubeConfig,
  targets: readonly WatchTarget[],
  onChange: () => void,
  signal: AbortSignal,
): void {
  for (const target of targets) watchOne(kc, target, onChange, signal);
}

/**
 * Runs `task` on demand, never twice at once: a request while it runs schedules exactly one more run.
 * Errors go to `onError`; the coalescer keeps working after them.
 */
export function coalesce(task: () => Promise<void>, onError: (err: unknown) => void): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}

/** Resolves when `signal` aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
