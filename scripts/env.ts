import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/cluster/crds.js';
import {
  clearEnvState,
  type EnvState,
  envDir,
  exportLines,
  isAlive,
  readEnvState,
  writeEnvState,
} from '../test/cluster/env-state.js';
import { reapStaleRuns } from '../test/cluster/stale-runs.js';
import { pollUntil } from '../test/cluster/wait.js';

function logTail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Starts the background environment (or finds the running one) and returns its state. */
export async function envUp(): Promise<EnvState> {
  const current = readEnvState();
  if (current?.ready && isAlive(current.daemonPid)) return current;
  if (current && isAlive(current.daemonPid)) process.kill(current.daemonPid, 'SIGTERM');
  clearEnvState();
  const logPath = join(envDir(), 'daemon.log');
  const fd = openSync(logPath, 'w');
  const daemon = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/cluster/env-daemon.ts')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  daemon.unref();
  process.stderr.write('vireo: starting the local control plane and Prometheus…\n');
  const state = await pollUntil(
    () => {
      const s = readEnvState();
      if (s && !s.ready) throw new Error(s.error);
      if (!isAlive(daemon.pid ?? -1)) throw new Error('the environment process exited');
      return s?.ready ? s : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 200, description: 'the environment' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- ${logPath} ---\n${logTail(logPath)}`);
  });
  return state;
}

/** Stops the background environment and every extra process it recorded; leaves nothing running. */
export async function envDown(): Promise<boolean> {
  const state = readEnvState();
  if (!state) {
    reapStaleRuns();
    return false;
  }
  for (const pid of state.extraPids) if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  if (isAlive(state.daemonPid)) process.kill(state.daemonPid, 'SIGTERM');
  await pollUntil(() => !isAlive(state.daemonPid) && state.extraPids.every((p) => !isAlive(p)), {
    timeoutMs: 30_000,
    description: 'the environment to stop',
  }).catch(() => {
    for (const pid of [state.daemonPid, ...state.extraPids]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  reapStaleRuns();
  clearEnvState();
  return true;
}

/** Stops the extra processes recorded by earlier demos (the environment keeps running). */
export async function stopExtraProcesses(): Promise<void> {
  const state = readEnvState();
  if (!state) return;
  for (const pid of state.extraPids) if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  await pollUntil(() => state.extraPids.every((p) => !isAlive(p)), {
    timeoutMs: 15_000,
    description: 'earlier demo processes to stop',
  }).catch(() => {
    for (const pid of state.extraPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
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
