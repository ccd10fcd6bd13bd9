import { describe, expect, it } from 'vitest';
import { trailerLine } from '../../../src/gitops/message.js';
import { type GitPort, PushRaceError, writeBackRollback } from '../../../src/gitops/write-back.js';
import { request } from './fixtures.js';

const FILE = 'images:\n  - name: registry.example/shop\n    newTag: 1.3.0\n';

/** An in-memory remote: branch → list of {sha, message, file}. `races` pushes are refused after an upstream commit. */
class FakeGit implements GitPort {
  readonly log: { sha: string; message: string; file: string }[] = [
    { sha: 'c0', message: 'init', file: FILE },
  ];
  commits = 0;
  pushes = 0;
  private local: { sha: string; message: string; file: string } | undefined;
  private head = this.log[0];

  constructor(private races = 0) {}

  async clone(): Promise<void> {}
  async remoteHasBranch(): Promise<boolean> {
    return false;
  }
  async fetch(): Promise<void> {}
  async findCommitWithLine(_b: readonly string[], line: string): Promise<string | undefined> {
    return [...this.log].reverse().find((c) => c.message.includes(line))?.sha;
  }
  async resetTo(): Promise<void> {
    this.head = this.log.at(-1);
    this.local = undefined;
  }
  async readText(): Promise<string | undefined> {
    return this.head?.file;
  }
  async commitFile(_p: string, content: string, message: string): Promise<string> {
    this.commits++;
    this.local = { sha: `v${this.commits}`, message, file: content };
    return this.local.sha;
  }
  async push(): Promise<boolean> {
    this.pushes++;
    if (this.races > 0) {
      this.races--;
      const tip = this.log.at(-1) ?? { file: FILE };
      this.log.push({
        sha: `u${this.pushes}`,
        message: 'upstream',
        file: `# upstream ${this.pushes}\n${tip.file}`,
      });
      return false;
    }
    if (this.local) this.log.push(this.local);
    return true;
  }
}

describe('writeBackRollback', () => {
  it('commits once with the edited file and the trailer', async () => {
    const git = new FakeGit();
    const outcome = await writeBackRollback(git, request(), 'now');
    expect(outcome).toEqual({ kind: 'committed', sha: 'v1', branch: 'main', attempts: 1 });
    expect(git.log.at(-1)?.file).toBe(FILE.replace('1.3.0', '1.2.0'));
    expect(git.log.at(-1)?.message).toContain(trailerLine(request().facts.abortId));
  });

  it('finds the commit of the same abort instead of committing again (restart after push)', async () => {
    const git = new FakeGit();
    await writeBackRollback(git, request(), 'now');
    const again = await writeBackRollback(git, request(), 'later');
    expect(again).toEqual({ kind: 'found', sha: 'v1', branch: 'main' });
    expect(git.commits).toBe(1);
  });

  it('re-reads and re-applies on the new tip after a refused push', async () => {
    const git = new FakeGit(2);
    const outcome = await writeBackRollback(git, request(), 'now');
    expect(outcome).toMatchObject({ kind: 'committed', attempts: 3 });
    expect(git.log.map((c) => c.sha)).toEqual(['c0', 'u1', 'u2', 'v3']);
    expect(git.log.at(-1)?.file).toBe(`# upstream 2\n# upstream 1\n${FILE.replace('1.3.0', '1.2.0')}`);
  });

  it('gives up after the bounded number of attempts', async () => {
    await expect(writeBackRollback(new FakeGit(9), request(), 'now', 3)).rejects.toBeInstanceOf(
      PushRaceError,
    );
  });

  it('reports unchanged and refused files without committing', async () => {
    const done = new FakeGit();
    done.log[0] = { sha: 'c0', message: 'init', file: FILE.replace('1.3.0', '1.2.0') };
    expect(await writeBackRollback(done, request(), 'now')).toEqual({ kind: 'unchanged', branch: 'main' });
    const moved = new FakeGit();
    moved.log[0] = { sha: 'c0', message: 'init', file: FILE.replace('1.3.0', '1.4.0') };
    expect(await writeBackRollback(moved, request(), 'now')).toMatchObject({
      kind: 'refused',
      message: /1\.4\.0/,
    });
    expect(done.commits + moved.commits).toBe(0);
  });
});
