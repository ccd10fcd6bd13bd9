import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { type GitAuth, gitEnvironment, redact, type SshFiles } from './credentials.js';

/** A git failure with credentials already redacted; `rejected` marks a push refused by the remote. */
export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';

  constructor(
    message: string,
    readonly rejected = false,
  ) {
    super(message);
  }
}

/** The identity rollback commits are authored and committed with. */
export const VIREO_AUTHOR = { name: 'Vireo', email: 'vireo@vireo.dev' } as const;

/** The `fatal:`/`error:`/`remote:` lines of git's output on one line (else all of it), e.g. for an Event. */
export function summarizeGitError(text: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  const useful = lines.filter((line) => /^(fatal|error|remote):/.test(line) || line.startsWith('!'));
  return (useful.length > 0 ? useful : lines.filter(Boolean)).join('; ').replace(/\s+/g, ' ');
}

const AUTH_FAILED =
  /could not read (Username|Password)|Authentication failed|HTTP (Basic: )?Access denied|Permission denied \(publickey|The requested URL returned error: 40[13]/;

const REJECTED = /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|failed to update ref/;

/** Options of {@link GitSession.open}. */
export interface GitSessionOptions {
  url: string;
  auth: GitAuth;
  /** Per-command timeout (no output for this long kills git); default 60 s. */
  timeoutMs?: number;
}

/**
 * One clone of one remote in a private temp dir, removed (with any key file) by `close()`. Every command
 * runs with {@link gitEnvironment}; user-supplied strings only ever appear after `--` or inside a
 * `--opt=value` argument, never as options of their own.
 */
export class GitSession {
  private constructor(
    private readonly root: string,
    private readonly git: SimpleGit,
    private readonly secrets: readonly string[],
    private readonly url: string,
  ) {}

  /** Creates the temp dir, writes ssh key files if needed, and configures simple-git. */
  static async open(opts: GitSessionOptions): Promise<GitSession> {
    const root = await mkdtemp(join(tmpdir(), 'vireo-git-'));
    const home = join(root, 'home');
    await mkdir(home, { mode: 0o700 });
    await mkdir(join(root, 'repo'), { mode: 0o700 });
    let ssh: SshFiles | undefined;
    if (opts.auth.kind === 'ssh') {
      ssh = { keyPath: join(home, 'id'), knownHostsPath: join(home, 'known_hosts') };
      await writeFile(ssh.keyPath, opts.auth.privateKey, { mode: 0o600 });
      await writeFile(ssh.knownHostsPath, opts.auth.knownHosts ?? '', { mode: 0o600 });
    }
    const env = gitEnvironment(opts.auth, home, ssh);
    // Loaded on the first write-back only: most controllers never make one (~9 MB of RSS saved at start).
    const { simpleGit } = await import('simple-git');
    const git = simpleGit({
      baseDir: join(root, 'repo'),
      allowEnvironment: Object.keys(env).filter((key) => key.startsWith('GIT_')),
      unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeSshCommand: true },
      config: [`user.name=${VIREO_AUTHOR.name}`, `user.email=${VIREO_AUTHOR.email}`],
      timeout: { block: opts.timeoutMs ?? 60_000 },
    }).env(env);
    const secrets = opts.auth.kind === 'none' ? [] : opts.auth.secrets;
    return new GitSession(root, git, secrets, opts.url);
  }

  private async run(args: string[]): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (err) {
      const text = redact(err instanceof Error ? err.message : String(err), this.secrets);
      const cause = AUTH_FAILED.test(text) ? 'the remote refused the credentials: ' : '';
      throw new GitCommandError(
        `git ${args[0]} failed: ${cause}${summarizeGitError(text)}`,
        REJECTED.test(text),
      );
    }
  }

  /** Clones only `branch`, commits and trees first (blobs on demand where the server allows it). */
  async clone(branch: string): Promise<void> {
    await this.run([
      'clone',
      '--filter=blob:none',
      '--single-branch',
      '--no-tags',
      `--branch=${branch}`,
      '--',
      this.url,
      '.',
    ]);
  }

  /** True when the remote has `branch`. */
  async remoteHasBranch(branch: string): Promise<boolean> {
    const out = await this.run(['ls-remote', '--heads', '--', 'origin', `refs/heads/${branch}`]);
    return out.trim().length > 0;
  }

  /** Fetches `branches` into `refs/remotes/origin/*` (forced: the remote is the truth). */
  async fetch(branches: readonly string[]): Promise<void> {
    const specs = branches.map((b) => `+refs/heads/${b}:refs/remotes/origin/${b}`);
    await this.run(['fetch', '--no-tags', '--filter=blob:none', 'origin', ...specs]);
  }

  /** The newest commit reachable from `origin/<branch>` whose message has the line `line`. */
  async findCommitWithLine(branches: readonly string[], line: string): Promise<string | undefined> {
    const refs = branches.map((b) => `refs/remotes/origin/${b}`);
    const out = await this.run(['log', '--format=%H', '--fixed-strings', `--grep=${line}`, ...refs, '--']);
    return out.split('\n')[0]?.trim() || undefined;
  }

  /** Checks out `origin/<branch>` detached, discarding any local commit. */
  async resetTo(branch: string): Promise<void> {
    await this.run(['checkout', '--quiet', '--force', '--detach', `refs/remotes/origin/${branch}`]);
  }

  private inside(path: string): string {
    const repo = resolve(this.root, 'repo');
    const full = resolve(repo, path);
    if (!full.startsWith(repo + sep)) throw new GitCommandError(`path "${path}" leaves the repository`);
    return full;
  }

  /** The file's text, or undefined when it does not exist. */
  async readText(path: string): Promise<string | undefined> {
    return readFile(this.inside(path), 'utf8').catch(() => undefined);
  }

  /** Writes the file, stages it and commits with `message` as Vireo; returns the new commit's SHA. */
  async commitFile(path: string, content: string, message: string): Promise<string> {
    const full = this.inside(path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    await this.run(['add', '--', path]);
    const author = `--author=${VIREO_AUTHOR.name} <${VIREO_AUTHOR.email}>`;
    await this.run(['commit', '--quiet', '--no-verify', author, `--message=${message}`]);
    return (await this.run(['rev-parse', 'HEAD'])).trim();
  }

  /** Pushes HEAD to `branch`; `false` when the remote refused it (someone pushed first). */
  async push(branch: string): Promise<boolean> {
    try {
      await this.run(['push', '--porcelain', '--', 'origin', `HEAD:refs/heads/${branch}`]);
      return true;
    } catch (err) {
      if (err instanceof GitCommandError && err.rejected) return false;
      throw err;
    }
  }

  /** Removes the clone and every credential file. */
  async close(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
