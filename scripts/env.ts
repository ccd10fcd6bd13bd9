import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCrdFilesPresent, repoRoot } from '../harness/crd-files.js';
import {
  clearEnvState,
  type EnvState,
  envDir,
  exportLines,
  isAlive,
  readEnvState,
  writeEnvState,
} from '../harness/env-state.js';
import { reapStaleRuns } from '../harness/stale-runs.js';
import { pollUntil } from '../harness/wait.js';

function logTail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** True while any process of the group led by `pgid` exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a daemon and everything in its process group: SIGTERM to the daemon (it stops what it started),
 * then SIGKILL to whatever of the group is left once the daemon is gone or after `graceMs`; then removes
 * the records of its run.
 */
async function stopDaemonGroup(pid: number, graceMs = 15_000): Promise<void> {
  if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  await pollUntil(() => !isAlive(pid), { timeoutMs: graceMs, description: 'the environment to stop' }).catch(
    () => undefined,
  );
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  await pollUntil(() => !groupAlive(pid), { timeoutMs: 5_000, description: 'the environment to be killed' });
  reapStaleRuns();
  clearEnvState();
}

/** What waiting for the daemon found: its state once ready, or why it will never be. */
type DaemonOutcome = { state: EnvState } | { failure: string };

function daemonOutcome(pid: number, logPath: string): DaemonOutcome | undefined {
  const s = readEnvState();
  if (s && !s.ready) return { failure: s.error ?? 'the environment failed to start' };
  if (s?.ready) return { state: s };
  if (!isAlive(pid))
    return { failure: `the environment process exited\n--- ${logPath} ---\n${logTail(logPath)}` };
  return undefined;
}

/**
 * Starts the background environment (or finds the running one) and returns its state. Fails as soon as the
 * daemon reports a failure or dies, with the cause and the failed component's log tail; on any failure
 * (and on Ctrl-C while waiting) the daemon and every process it started are stopped before returning.
 */
export async function envUp(): Promise<EnvState> {
  const current = readEnvState();
  if (current?.ready && isAlive(current.daemonPid)) return current;
  if (current && isAlive(current.daemonPid)) await stopDaemonGroup(current.daemonPid);
  clearEnvState();
  assertCrdFilesPresent();
  const logPath = join(envDir(), 'daemon.log');
  const fd = openSync(logPath, 'w');
  const daemon = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'harness/env-daemon.ts')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  daemon.unref();
  const pid = daemon.pid ?? -1;
  const interrupt = () => void stopDaemonGroup(pid).finally(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.stderr.write('vireo: starting the local control plane and Prometheus…\n');
  try {
    const outcome = await pollUntil(() => daemonOutcome(pid, logPath), {
      timeoutMs: 180_000,
      intervalMs: 100,
      description: 'the environment',
    }).catch(
      (err: Error): DaemonOutcome => ({ failure: `${err.message}\n--- ${logPath} ---\n${logTail(logPath)}` }),
    );
    if ('state' in outcome) return outcome.state;
    await stopDaemonGroup(pid);
    throw new Error(outcome.failure);
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/** Stops `pids` (SIGTERM, then SIGKILL after `graceMs`) and waits until they are gone. */
async function stopPids(pids: number[], graceMs: number): Promise<void> {
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  await pollUntil(() => pids.every((p) => !isAlive(p)), {
    timeoutMs: graceMs,
    description: 'processes to stop',
  }).catch(() => {
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
}

/** Stops the background environment and every extra process it recorded; leaves nothing running. */
export async function envDown(): Promise<boolean> {
  const state = readEnvState();
  if (!state) {
    reapStaleRuns();
    return false;
  }
  await stopPids(state.extraPids, 15_000);
  await stopDaemonGroup(state.daemonPid, 30_000);
  return true;
}

/** Stops the extra processes recorded by earlier demos (the environment keeps running). */
export async function stopExtraProcesses(): Promise<void> {
  const state = readEnvState();
  if (!state) return;
  await stopPids(state.extraPids, 15_000);
  writeEnvState({ ...state, extraPids: [] });
}

/** Adds a process for env:down to stop (e.g. the demo's controller). */
export function recordExtraProcess(pid: number): void {
  const state = readEnvState();
  if (state) writeEnvState({ ...state, extraPids: [...state.extraPids, pid] });
}

async function cli(command: string | undefined): Promise<void> {
  if (command === 'up') {
    const state = await envUp();
    if (state.info) process.stdout.write(`${exportLines(state.info).join('\n')}\n`);
  } else if (command === 'down') {
    const stopped = await envDown();
    process.stdout.write(stopped ? 'vireo: environment stopped\n' : 'vireo: no environment was running\n');
  } else {
    process.stderr.write('usage: tsx scripts/env.ts up|down\n');
    process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  cli(process.argv[2]).catch((err: Error) => {
    process.stderr.write(`vireo: ${err.message}\n`);
    process.exit(1);
  });
}
