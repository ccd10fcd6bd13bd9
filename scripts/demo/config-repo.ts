import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The demo's Git config repository: a bare "remote" and the working clone a release engineer uses. */
export interface ConfigRepo {
  /** `file://` URL of the bare repository (what the Rollout's write-back annotations name). */
  url: string;
  bareDir: string;
  workDir: string;
  /** Path of the production overlay inside the repository. */
  overlayPath: string;
}

/** One commit of the repository's main branch. */
export interface CommitSummary {
  sha: string;
  author: string;
  subject: string;
  body: string;
}

const OVERLAY = 'overlays/production/kustomization.yaml';
const IDENTITY = ['-c', 'user.name=Release Engineer', '-c', 'user.email=release@example.com'];

function git(cwd: string, args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Creates `<dir>/config.git` (bare, branch main) and a clone holding `manifestsDir` (base + overlays),
 * committed and pushed as the first release.
 */
export function createConfigRepo(dir: string, manifestsDir: string): ConfigRepo {
  const bareDir = join(dir, 'config.git');
  const workDir = join(dir, 'config');
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '--quiet', '--bare', '--initial-branch=main', bareDir]);
  git(dir, ['clone', '--quiet', bareDir, workDir]);
  git(workDir, ['checkout', '--quiet', '-B', 'main']);
  cpSync(manifestsDir, workDir, { recursive: true });
  git(workDir, ['add', '-A']);
  git(workDir, ['commit', '--quiet', '-m', 'shop: production at v1.1.0']);
  git(workDir, ['push', '--quiet', 'origin', 'main']);
  return { url: `file://${bareDir}`, bareDir, workDir, overlayPath: OVERLAY };
}

/** The `newTag` of the overlay's image entry at the tip of the remote's main branch. */
export function remoteImageTag(repo: ConfigRepo): string | undefined {
  const text = git(repo.bareDir, ['show', `main:${repo.overlayPath}`]);
  const doc = parseDocument(text).toJSON() as { images?: { newTag?: string }[] };
  return doc.images?.[0]?.newTag;
}

/** Sets the overlay's image tag to `tag` (comments kept), commits "shop: release <tag>" and pushes. */
export function releaseTag(repo: ConfigRepo, tag: string): void {
  git(repo.workDir, ['pull', '--quiet', '--rebase', 'origin', 'main']);
  const path = join(repo.workDir, repo.overlayPath);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  doc.setIn(['images', 0, 'newTag'], tag);
  writeFileSync(path, doc.toString());
  git(repo.workDir, ['commit', '--quiet', '-am', `shop: release ${tag}`]);
  git(repo.workDir, ['push', '--quiet', 'origin', 'main']);
}

/** The last `n` commits of the remote's main branch, newest first. */
export function recentCommits(repo: ConfigRepo, n: number): CommitSummary[] {
  const out = git(repo.bareDir, ['log', `-${n}`, '--format=%H%x1f%an%x1f%s%x1f%b%x1e', 'main']);
  return out
    .split('\x1e')
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => {
      const [sha = '', author = '', subject = '', body = ''] = record.split('\x1f');
      return { sha, author, subject, body: body.trim() };
    });
}
