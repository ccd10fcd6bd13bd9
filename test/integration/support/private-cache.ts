import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../harness/crd-files.js';
import { cacheDir } from '../../../harness/versions.js';

/**
 * A Vireo cache folder of its own (so `env:up` state and runs never meet anyone else's): the built binaries
 * of the real cache linked in, the upstream CRDs copied (so a test may remove one). `remove()` deletes it.
 */
export interface PrivateCache {
  dir: string;
  /** The environment for a command that should use this cache. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** Creates a {@link PrivateCache} from the current cache (VIREO_CACHE_DIR or ~/.cache/vireo). */
export function privateCache(): PrivateCache {
  const shared = cacheDir();
  const dir = mkdtempSync(join(tmpdir(), 'vireo-cache-'));
  for (const entry of readdirSync(shared)) {
    if (/^(k8s|etcd|kwok)-v/.test(entry)) symlinkSync(join(shared, entry), join(dir, entry));
  }
  if (existsSync(join(shared, 'crds'))) cpSync(join(shared, 'crds'), join(dir, 'crds'), { recursive: true });
  return {
    dir,
    env: { ...process.env, VIREO_CACHE_DIR: dir },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A command's outcome: exit code, output and how long it ran. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `command args` in the repository root and collects its output; never rejects. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Starts `command args` as the leader of its own process group (so the whole tree can be stopped). */
export function startGroup(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logPath: string,
): ChildProcess {
  return spawn('bash', ['-c', `exec "$0" "$@" >>"${logPath}" 2>&1`, command, ...args], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: 'ignore',
  });
}

function readProc(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The processes (other than this one) whose command line or environment mentions `text`, as
 * `pid command…` lines: what `ps` would show of a run that used a private cache.
 */
export function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
    .flatMap((pid) => {
      const cmdline = readProc(pid, 'cmdline');
      if (!cmdline) return [];
      const mentions = cmdline.includes(text) || readProc(pid, 'environ').includes(text);
      return mentions ? [`${pid} ${cmdline.replaceAll('\0', ' ').trim()}`] : [];
    });
}
