import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../../harness/controller.js';
import { createTemplate } from './analysis.js';
import { RolloutApi } from './rollouts.js';

const IDENTITY = ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid'];

/** Runs git (real binary) with a clean environment; returns stdout. */
export function git(args: string[], cwd?: string): string {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' },
  });
}

/** One commit as read back from a bare repository. */
export interface CommitInfo {
  sha: string;
  parents: string[];
  author: string;
  message: string;
}

/** A bare repository on disk, reachable as a `file://` URL. */
export class BareRepo {
  readonly url: string;

  constructor(readonly dir: string) {
    this.url = `file://${dir}`;
  }

  /** Creates `<root>/<name>.git` with one commit on `main` holding `files`. */
  static create(root: string, name: string, files: Record<string, string>): BareRepo {
    const repo = new BareRepo(join(root, `${name}.git`));
    git(['init', '--quiet', '--bare', '--initial-branch=main', repo.dir]);
    repo.commit('main', files, 'Initial import');
    return repo;
  }

  /** Commits `files` on top of `base` and pushes the result to `branch` (default: `base`); returns the SHA. */
  commit(base: string, files: Record<string, string>, message: string, branch = base): string {
    const work = mkdtempSync(join(tmpdir(), 'vireo-git-work-'));
    try {
      git(['clone', '--quiet', this.url, work]);
      const has = git(['ls-remote', '--heads', 'origin', base], work).trim().length > 0;
      if (has) git(['checkout', '--quiet', '-B', base, `origin/${base}`], work);
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      git(['add', '--all'], work);
      git(['commit', '--quiet', '-m', message], work);
      git(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], work);
      return git(['rev-parse', 'HEAD'], work).trim();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Commits on `branch`, newest first. */
  log(branch = 'main'): CommitInfo[] {
    const out = git(['--git-dir', this.dir, 'log', '--format=%H%x1f%P%x1f%an%x1f%B%x1e', branch]);
    return out
      .split('\x1e')
      .map((record) => record.trim())
      .filter(Boolean)
      .map((record) => {
        const [sha = '', parents = '', author = '', message = ''] = record.split('\x1f');
        return { sha, parents: parents.split(' ').filter(Boolean), author, message };
      });
  }

  /** Branch names. */
  branches(): string[] {
    return git(['--git-dir', this.dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads'])
      .split('\n')
      .filter(Boolean);
  }

  /** A file's content at `ref`. */
  show(ref: string, path: string): string {
    return git(['--git-dir', this.dir, 'show', `${ref}:${path}`]);
  }

  /**
   * Simulates a concurrent push landing between Vireo's ref advertisement and its ref update: on the first
   * push only, a pre-receive hook moves `main` to `upstreamRef`, so the remote refuses Vireo's update
   * ("failed to update ref") exactly as it does when another writer wins the race.
   */
  raceFirstPushWith(upstreamRef: string): void {
    const hook = join(this.dir, 'hooks', 'pre-receive');
    const clean = 'env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES';
    writeFileSync(
      hook,
      [
        '#!/bin/sh',
        'cat > /dev/null',
        'if [ ! -f "$GIT_DIR/raced" ]; then',
        '  touch "$GIT_DIR/raced"',
        `  ${clean} git update-ref refs/heads/main "$(${clean} git rev-parse ${upstreamRef})"`,
        'fi',
        'exit 0',
        '',
      ].join('\n'),
    );
    chmodSync(hook, 0o755);
  }

  /** True once the race hook has fired. */
  raced(): boolean {
    try {
      readFileSync(join(this.dir, 'raced'));
      return true;
    } catch {
      return false;
    }
  }
}

/** A controller process for the write-back tests: one namespace, file:// remotes allowed, extra env. */
export interface GitControllerEnv {
  api: RolloutApi;
  controller: ControllerProcess;
  logPath: string;
}

/** Starts the controller as the deploy/ ServiceAccount watching `namespace`, with `--allow-file-git-remotes`. */
export async function startGitController(
  kc: KubeConfig,
  namespace: string,
  dir: string,
  name: string,
  env: Record<string, string> = {},
): Promise<GitControllerEnv> {
  const kubeconfig = await serviceAccountKubeconfig(kc, join(dir, `${name}-kubeconfig.yaml`));
  const logPath = join(dir, `${name}.log`);
  const controller = await startControllerProcess({
    kubeconfigPath: kubeconfig,
    logPath,
    args: [`--namespace=${namespace}`, '--no-leader-elect', '--log-level=debug', '--allow-file-git-remotes'],
    env,
  });
  return { api: new RolloutApi(kc, namespace), controller, logPath };
}

/** A kustomization whose `images:` entry names `registry.example/<app>:<tag>` (with comments to keep). */
export function kustomization(app: string, tag: string, extra?: string): string {
  return [
    `# ${app} overlay: CI bumps the tag below`,
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    ...(extra ? [extra] : []),
    'resources:',
    '  - rollout.yaml',
    'images:',
    `  - name: registry.example/${app} # the app image`,
    `    newTag: "${tag}"`,
    '',
  ].join('\n');
}

/** The commits Vireo made (they carry the rollback trailer). */
export const vireoCommits = (log: CommitInfo[]) => log.filter((c) => c.message.includes('Vireo-Rollback-Id'));

/** The Rollout's annotations. */
export const annotationsOf = (r: { metadata: object }) =>
  (r.metadata as { annotations?: Record<string, string> }).annotations ?? {};

/** An AnalysisTemplate `always-fails`: PromQL constant `vector(0.5)` against `result[0] < 0.05`. */
export async function createFailingTemplate(
  kc: KubeConfig,
  namespace: string,
  prometheusUrl: string,
): Promise<void> {
  const metric = {
    name: 'error-rate',
    interval: '1s',
    count: 2,
    failureLimit: 0,
    successCondition: 'result[0] < 0.05',
    provider: { prometheus: { address: prometheusUrl, query: 'vector(0.5)' } },
  };
  await createTemplate({ kc, namespace }, 'always-fails', { metrics: [metric] });
}

/** Merge-patches the Rollout's annotations (what `kubectl annotate` does). */
export async function annotateRollout(
  kc: KubeConfig,
  namespace: string,
  name: string,
  annotations: Record<string, string>,
): Promise<void> {
  await kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject(
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'rollouts',
      name,
      body: { metadata: { annotations } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/** A Secret `name` with an https `token` key (Argo CD repository-secret layout). */
export async function createTokenSecret(
  kc: KubeConfig,
  namespace: string,
  name: string,
  token: string,
): Promise<void> {
  await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
    namespace,
    body: { metadata: { name }, stringData: { token } },
  });
}
