import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** A child process whose stdout/stderr go to a log file, stopped with SIGTERM then SIGKILL. */
export class ManagedProcess {
  readonly name: string;
  readonly logPath: string;
  #child: ChildProcess;
  #exited: Promise<number | null>;
  #exitCode: number | null | undefined;
  #stopRequested = false;

  constructor(name: string, command: string, args: string[], logPath: string, env?: NodeJS.ProcessEnv) {
    this.name = name;
    this.logPath = logPath;
    const fd = openSync(logPath, 'a');
    this.#child = spawn(command, args, { stdio: ['ignore', fd, fd], env: env ?? process.env });
    closeSync(fd);
    this.#exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => {
        this.#exitCode = code ?? (signal ? null : 0);
        resolve(this.#exitCode);
      });
      this.#child.on('error', () => {
        this.#exitCode = -1;
        resolve(-1);
      });
    });
  }

  /** The OS process id (undefined if the spawn failed). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True while the process has not exited. */
  get running(): boolean {
    return this.#exitCode === undefined;
  }

  /** True once {@link stop} was called: an exit after that is expected. */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /** The exit code, null when killed by a signal, undefined while running. */
  get exitCode(): number | null | undefined {
    return this.#exitCode;
  }

  /** Sends a signal (default SIGKILL) without waiting; used to simulate crashes. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.running) this.#child.kill(signal);
  }

  /** Stops the process: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 5000): Promise<void> {
    this.#stopRequested = true;
    if (!this.running) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Resolves with the exit code once the process exits. */
  exited(): Promise<number | null> {
    return this.#exited;
  }

  /** The last `lines` lines of the process log. */
  logTail(lines = 40): string {
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** Error for a component that failed to start, carrying its log tail. */
export class ComponentStartError extends Error {
  constructor(component: ManagedProcess, reason: string) {
    super(
      `${component.name} failed to start: ${reason}\n--- last lines of ${component.logPath} ---\n${component.logTail()}`,
    );
    this.name = 'ComponentStartError';
  }
}
