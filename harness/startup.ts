import { ComponentStartError, ManagedProcess } from './processes.js';

/**
 * The processes one start launches, watched together. Until {@link settle}, the exit of any of them that
 * was not asked to stop aborts {@link signal} with that component's name and log tail, so every wait of the
 * start fails within one poll interval of the cause instead of at its deadline. After an abort nothing more
 * is launched; {@link stopAll} stops everything launched, newest first.
 */
export class StartupScope {
  readonly processes: ManagedProcess[] = [];
  /** Paths outside the run directory that belong to the start (etcd's data on tmpfs). */
  readonly paths: string[] = [];
  /** Called after each launch (e.g. to record the run for crash clean-up). */
  onLaunch: () => void = () => {};
  readonly #abort = new AbortController();
  #settled = false;

  constructor(parent?: AbortSignal) {
    if (parent?.aborted) this.fail(parent.reason);
    parent?.addEventListener('abort', () => this.fail(parent.reason), { once: true });
  }

  /** Aborted with the first failure's error. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Starts `command` with its output in `logPath`, watched until {@link settle}; throws once aborted. */
  launch(
    name: string,
    command: string,
    args: string[],
    logPath: string,
    env?: NodeJS.ProcessEnv,
  ): ManagedProcess {
    this.signal.throwIfAborted();
    const proc = new ManagedProcess(name, command, args, logPath, env);
    this.processes.push(proc);
    void proc.exited().then((code) => {
      if (this.#settled || proc.stopRequested) return;
      const how = code === null ? 'was killed by a signal' : `exited with code ${code}`;
      this.fail(new ComponentStartError(proc, how));
    });
    this.onLaunch();
    return proc;
  }

  /** Aborts the start with `reason` (the first reason wins). */
  fail(reason: unknown): void {
    if (!this.#abort.signal.aborted) this.#abort.abort(reason);
  }

  /** The start succeeded: exits are no longer its business. */
  settle(): void {
    this.#settled = true;
  }

  /** Stops every process launched, newest first; idempotent. */
  async stopAll(): Promise<void> {
    for (const proc of [...this.processes].reverse()) await proc.stop();
  }
}

/**
 * Runs the starts in parallel within `scope`. The first failure aborts the scope (so the others stop
 * waiting), and once every start has returned, everything launched is stopped and that first failure is
 * thrown. Resolves with the results when all succeed.
 */
export async function startTogether<T extends unknown[]>(
  scope: StartupScope,
  starts: { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const guarded = starts.map((start) =>
    start.catch((err: unknown) => {
      scope.fail(err);
      throw err;
    }),
  );
  const results = await Promise.allSettled(guarded);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed || scope.signal.aborted) {
    await scope.stopAll();
    throw scope.signal.aborted ? scope.signal.reason : failed?.reason;
  }
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}
