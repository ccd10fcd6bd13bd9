import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagedProcess } from './processes.js';
import { cacheDir } from './versions.js';

interface RunRecord {
  owner: number;
  processes: { pid: number; name: string }[];
  /** Paths outside the run directory to delete with it (etcd's data on tmpfs). */
  paths?: string[];
}

const RECORD = 'run.json';
/** Directories of runs that failed to start are kept this long for their logs. */
const FAILED_RUN_KEEP_MS = 3_600_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
  } catch {
    return '';
  }
}

/** Records which processes a run directory owns, so a later run can clean up after a crash. */
export function recordRun(
  dir: string,
  owner: number,
  processes: ManagedProcess[],
  paths: string[] = [],
): void {
  const record: RunRecord = {
    owner,
    processes: processes.flatMap((p) => (p.pid ? [{ pid: p.pid, name: p.name }] : [])),
    paths,
  };
  writeFileSync(join(dir, RECORD), JSON.stringify(record));
}

function reapRun(dir: string): number {
  const recordPath = join(dir, RECORD);
  if (!existsSync(recordPath)) {
    const old = Date.now() - statSync(dir).mtimeMs > FAILED_RUN_KEEP_MS;
    if (old) rmSync(dir, { recursive: true, force: true });
    return 0;
  }
  const record = JSON.parse(readFileSync(recordPath, 'utf8')) as RunRecord;
  if (alive(record.owner)) return 0;
  const victims = record.processes.filter((p) => alive(p.pid) && commandOf(p.pid).includes(p.name));
  for (const p of victims) process.kill(p.pid, 'SIGKILL');
  for (const path of [...(record.paths ?? []), dir]) rmSync(path, { recursive: true, force: true });
  return victims.length;
}

/**
 * Kills the processes of run directories whose owner process is gone (a crashed test run)
 * and removes those directories. A process is killed only if its command still names the component.
 * Returns how many processes were killed.
 */
export function reapStaleRuns(): number {
  const runs = join(cacheDir(), 'runs');
  if (!existsSync(runs)) return 0;
  return readdirSync(runs).reduce((sum, entry) => sum + reapRun(join(runs, entry)), 0);
}
