import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentInfo } from './environment.js';
import { cacheDir } from './versions.js';

/** What `npm run env:up` leaves behind for later commands: the daemon and what it serves. */
export interface EnvState {
  daemonPid: number;
  ready: boolean;
  error?: string;
  info?: EnvironmentInfo;
  /** Extra processes (e.g. the demo's controller) that env:down must stop too. */
  extraPids: number[];
}

/** Folder of the background environment's state and logs. */
export function envDir(): string {
  const dir = join(cacheDir(), 'env');
  mkdirSync(dir, { recursive: true });
  return dir;
}

const statePath = (): string => join(envDir(), 'state.json');

/** The current state, or undefined when no environment was started. */
export function readEnvState(): EnvState | undefined {
  if (!existsSync(statePath())) return undefined;
  return JSON.parse(readFileSync(statePath(), 'utf8')) as EnvState;
}

/** Replaces the state file atomically enough for one writer. */
export function writeEnvState(state: EnvState): void {
  writeFileSync(statePath(), JSON.stringify(state, null, 2));
}

/** Removes the state file. */
export function clearEnvState(): void {
  rmSync(statePath(), { force: true });
}

/** True if a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The shell lines a user evaluates to reach the environment. */
export function exportLines(info: EnvironmentInfo): string[] {
  return [
    `export KUBECONFIG=${info.kubeconfigPath}`,
    `export PROMETHEUS_URL=${info.prometheusUrl}`,
    `export PROMETHEUS_TARGETS_DIR=${info.prometheusTargetsDir}`,
  ];
}
