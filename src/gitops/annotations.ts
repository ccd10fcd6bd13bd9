/** Annotations a user puts on a Rollout to opt in to Git write-back (documented in docs/gitops.md). */
export const GIT_ANNOTATION = {
  /** Remote URL (https or ssh; file:// and loopback http only with `--allow-file-git-remotes`). The opt-in. */
  repo: 'vireo.dev/git-repo',
  /** Branch the rollback is based on (and pushed to, unless `pushBranch` is set). Default `main`. */
  branch: 'vireo.dev/git-branch',
  /** Path of the file to edit, relative to the repository root. */
  path: 'vireo.dev/git-path',
  /** Kustomize mode: the `name` of the `images:` entry in the kustomization file. */
  image: 'vireo.dev/git-image',
  /** Field mode: dotted path of the image field, e.g. `spec.template.spec.containers[name=app].image`. */
  field: 'vireo.dev/git-field',
  /** Secret (same namespace) with `token`, `username`/`password` or `sshPrivateKey` (+ `known_hosts`). */
  secret: 'vireo.dev/git-secret',
  /** Review mode: push to `<value>-<abort time>` (a new branch) instead of `branch`. */
  pushBranch: 'vireo.dev/git-push-branch',
  /** Container whose image is rolled back; default the first one whose image differs from stable. */
  container: 'vireo.dev/git-container',
} as const;

/** Annotations Vireo writes on the Rollout to record the outcome (the contract other components read). */
export const GIT_RECORD = {
  /** SHA of the rollback commit of the last automatic abort (absent when the file needed no change). */
  commit: 'vireo.dev/git-rollback-commit',
  /** `status.abortedAt` of the abort the record is for. */
  abortedAt: 'vireo.dev/git-rollback-aborted-at',
  /** Identity of the abort the record is for (the commit trailer's value); equal to the current one means "done". */
  id: 'vireo.dev/git-rollback-id',
  /** Branch the rollback commit was pushed to. */
  branch: 'vireo.dev/git-rollback-branch',
  /** The last failure's message; removed once a write-back succeeds. */
  error: 'vireo.dev/git-rollback-error',
} as const;

/** How the image is found in the file. */
export type ImageLocator = { kind: 'kustomize'; imageName: string } | { kind: 'field'; path: string };

/** Where a rollback is written, as the annotations say. */
export interface WriteBackTarget {
  repoUrl: string;
  branch: string;
  path: string;
  locator: ImageLocator;
  secretName?: string;
  /** Review mode: prefix of the new branch. */
  pushBranchPrefix?: string;
  container?: string;
}

/** Parsed annotations, or the first problem with the annotation named. */
export type TargetResult = { ok: true; target: WriteBackTarget } | { ok: false; message: string };

const SAFE_REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![./])$/;
const SAFE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/@+-]+$/;

/**
 * Checks a remote URL: https://host/…, ssh://[user@]host/… or user@host:path; file:// and
 * http://127.0.0.1|localhost (test and demo servers) only when `allowFile`. Never echoes credentials embedded in the URL (they are refused: use the Secret).
 */
export function checkRemoteUrl(url: string, allowFile: boolean): string | undefined {
  if (url.startsWith('-') || /\s/.test(url)) return 'must not start with "-" or contain spaces';
  if (/^file:\/\//.test(url)) return allowFile ? undefined : 'file:// remotes need --allow-file-git-remotes';
  if (/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/.+/.test(url))
    return allowFile ? undefined : 'http:// loopback remotes need --allow-file-git-remotes';
  if (/^https:\/\/[^/]+\/.+/.test(url)) {
    return /^https:\/\/[^/]*@/.test(url) ? 'credentials in the URL are refused; use the Secret' : undefined;
  }
  if (/^ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d+)?\/.+/.test(url)) return undefined;
  if (/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/].*/.test(url)) return undefined;
  return 'expected an https://, ssh:// or user@host:path URL';
}

function locatorOf(annotations: Record<string, string>): ImageLocator | string {
  const image = annotations[GIT_ANNOTATION.image];
  const field = annotations[GIT_ANNOTATION.field];
  if (image && field) return `set only one of ${GIT_ANNOTATION.image} and ${GIT_ANNOTATION.field}`;
  if (image) return { kind: 'kustomize', imageName: image };
  if (field) return { kind: 'field', path: field };
  return `one of ${GIT_ANNOTATION.image} (kustomize images entry) or ${GIT_ANNOTATION.field} is required`;
}

function problem(key: string, message: string): TargetResult {
  return { ok: false, message: `metadata.annotations[${key}]: ${message}` };
}

/** True when the Rollout opted in to write-back (it names a repository). */
export function optedIn(annotations: Record<string, string> | undefined): boolean {
  return Boolean(annotations?.[GIT_ANNOTATION.repo]);
}

/**
 * Reads the write-back target from the Rollout's annotations. Every value that reaches a git command line
 * (branch, path) is checked against a conservative pattern, so no value can be taken for an option.
 */
export function parseTarget(annotations: Record<string, string>, allowFile: boolean): TargetResult {
  const repoUrl = annotations[GIT_ANNOTATION.repo] ?? '';
  const urlProblem = checkRemoteUrl(repoUrl, allowFile);
  if (urlProblem) return problem(GIT_ANNOTATION.repo, urlProblem);
  const branch = annotations[GIT_ANNOTATION.branch] || 'main';
  if (!SAFE_REF.test(branch)) return problem(GIT_ANNOTATION.branch, `"${branch}" is not a safe branch name`);
  const path = annotations[GIT_ANNOTATION.path] ?? '';
  if (!SAFE_PATH.test(path)) return problem(GIT_ANNOTATION.path, 'a relative path inside the repository');
  const pushBranchPrefix = annotations[GIT_ANNOTATION.pushBranch] || undefined;
  if (pushBranchPrefix !== undefined && !SAFE_REF.test(pushBranchPrefix))
    return problem(GIT_ANNOTATION.pushBranch, `"${pushBranchPrefix}" is not a safe branch name`);
  const locator = locatorOf(annotations);
  if (typeof locator === 'string') return problem(GIT_ANNOTATION.field, locator);
  const target: WriteBackTarget = { repoUrl, branch, path, locator };
  const secretName = annotations[GIT_ANNOTATION.secret];
  if (secretName) target.secretName = secretName;
  if (pushBranchPrefix) target.pushBranchPrefix = pushBranchPrefix;
  const container = annotations[GIT_ANNOTATION.container];
  if (container) target.container = container;
  return { ok: true, target };
}

/** `2026-11-27T03:12:00Z` → `20261127T031200Z`: the abort time as a branch-name-safe stamp. */
export function compactStamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+/, '');
}

/**
 * The branch a rollback is pushed to: the base branch, or in review mode `<prefix>-<abort stamp>-r<revision>`
 * (the revision keeps two aborts within one second apart).
 */
export function pushBranchFor(target: WriteBackTarget, abortedAt: string, revision: string): string {
  if (!target.pushBranchPrefix) return target.branch;
  return `${target.pushBranchPrefix}-${compactStamp(abortedAt)}-r${revision}`;
}
