import { rollBackImage } from './edit-yaml.js';
import { rollbackCommitMessage, trailerLine } from './message.js';
import type { WriteBackRequest } from './plan.js';

/** The git operations a write-back needs (implemented by `GitSession`; faked in unit tests). */
export interface GitPort {
  clone(branch: string): Promise<void>;
  remoteHasBranch(branch: string): Promise<boolean>;
  fetch(branches: readonly string[]): Promise<void>;
  findCommitWithLine(branches: readonly string[], line: string): Promise<string | undefined>;
  resetTo(branch: string): Promise<void>;
  readText(path: string): Promise<string | undefined>;
  commitFile(path: string, content: string, message: string): Promise<string>;
  push(branch: string): Promise<boolean>;
}

/**
 * What happened: `committed` (a new commit was pushed), `found` (the remote already has the commit of this
 * abort: nothing pushed), `unchanged` (the file already names the stable image), or `refused` (the file
 * cannot be edited safely; a person must look — not retried).
 */
export type WriteBackOutcome =
  | { kind: 'committed'; sha: string; branch: string; attempts: number }
  | { kind: 'found'; sha: string; branch: string }
  | { kind: 'unchanged'; branch: string }
  | { kind: 'refused'; message: string };

/** A write-back that gave up on push races; retrying later is safe (the trailer is checked first). */
export class PushRaceError extends Error {
  override readonly name = 'PushRaceError';
}

type Attempt = WriteBackOutcome | { kind: 'raced' };

async function startingPoint(
  git: GitPort,
  request: WriteBackRequest,
): Promise<{ branches: string[]; start: string }> {
  const base = request.target.branch;
  const review = request.pushBranch !== base && (await git.remoteHasBranch(request.pushBranch));
  const branches = review ? [base, request.pushBranch] : [base];
  await git.fetch(branches);
  return { branches, start: review ? request.pushBranch : base };
}

async function attempt(git: GitPort, request: WriteBackRequest, committedAt: string): Promise<Attempt> {
  const { facts, target, pushBranch } = request;
  const { branches, start } = await startingPoint(git, request);
  const existing = await git.findCommitWithLine(branches, trailerLine(facts.abortId));
  if (existing) return { kind: 'found', sha: existing, branch: pushBranch };
  await git.resetTo(start);
  const content = await git.readText(target.path);
  if (content === undefined) return { kind: 'refused', message: `${target.path} does not exist on ${start}` };
  const edit = rollBackImage(content, target.locator, facts.fromImage, facts.toImage);
  if (edit.kind === 'unchanged') return { kind: 'unchanged', branch: start };
  if (edit.kind === 'invalid') return { kind: 'refused', message: `${target.path}: ${edit.message}` };
  if (edit.kind === 'conflict') {
    const message = `${target.path} names ${edit.found}, neither ${facts.fromImage} nor ${facts.toImage}; left unchanged`;
    return { kind: 'refused', message };
  }
  const sha = await git.commitFile(
    target.path,
    edit.content,
    rollbackCommitMessage({ ...facts, committedAt }),
  );
  return (await git.push(pushBranch))
    ? { kind: 'committed', sha, branch: pushBranch, attempts: 0 }
    : { kind: 'raced' };
}

/**
 * Makes sure the remote holds exactly one rollback commit for the abort in `request`. Each attempt fetches,
 * looks for the trailer first (so a commit pushed before a crash, or by another replica, is found and
 * not repeated), re-reads and re-edits the file on the newest remote tip, commits and pushes; a push the
 * remote refuses starts the next attempt. Gives up with {@link PushRaceError} after `maxAttempts`.
 */
export async function writeBackRollback(
  git: GitPort,
  request: WriteBackRequest,
  committedAt: string,
  maxAttempts = 5,
): Promise<WriteBackOutcome> {
  await git.clone(request.target.branch);
  for (let n = 1; n <= maxAttempts; n++) {
    const outcome = await attempt(git, request, committedAt);
    if (outcome.kind === 'committed') return { ...outcome, attempts: n };
    if (outcome.kind !== 'raced') return outcome;
  }
  throw new PushRaceError(`push to ${request.pushBranch} refused ${maxAttempts} times (concurrent commits)`);
}
