import { describe, expect, it } from 'vitest';
import {
  checkRemoteUrl,
  GIT_ANNOTATION,
  parseTarget,
  pushBranchFor,
} from '../../../src/gitops/annotations.js';
import { formatImage, parseImage } from '../../../src/gitops/image-ref.js';

const base = {
  [GIT_ANNOTATION.repo]: 'https://git.example/team/config.git',
  [GIT_ANNOTATION.path]: 'apps/shop/kustomization.yaml',
  [GIT_ANNOTATION.image]: 'registry.example/shop',
};

describe('checkRemoteUrl', () => {
  it('accepts https and ssh, file:// only when allowed', () => {
    expect(checkRemoteUrl('https://git.example/a/b.git', false)).toBeUndefined();
    expect(checkRemoteUrl('ssh://git@git.example:22/a/b.git', false)).toBeUndefined();
    expect(checkRemoteUrl('git@git.example:a/b.git', false)).toBeUndefined();
    expect(checkRemoteUrl('file:///tmp/repo.git', false)).toMatch(/allow-file-git-remotes/);
    expect(checkRemoteUrl('file:///tmp/repo.git', true)).toBeUndefined();
  });

  it('refuses other schemes, option-like values and credentials in the URL', () => {
    expect(checkRemoteUrl('http://git.example/a/b.git', true)).toBeDefined();
    expect(checkRemoteUrl('ext::sh -c touch', true)).toBeDefined();
    expect(checkRemoteUrl('--upload-pack=x', true)).toBeDefined();
    expect(checkRemoteUrl('https://user:tok@git.example/a/b.git', true)).toMatch(/Secret/);
  });
});

describe('parseTarget', () => {
  it('reads a kustomize target with defaults', () => {
    expect(parseTarget(base, false)).toEqual({
      ok: true,
      target: {
        repoUrl: 'https://git.example/team/config.git',
        branch: 'main',
        path: 'apps/shop/kustomization.yaml',
        locator: { kind: 'kustomize', imageName: 'registry.example/shop' },
      },
    });
  });

  it('reads field mode, secret, review branch and container', () => {
    const result = parseTarget(
      {
        ...base,
        [GIT_ANNOTATION.image]: '',
        [GIT_ANNOTATION.field]: 'spec.template.spec.containers[name=app].image',
        [GIT_ANNOTATION.secret]: 'git-creds',
        [GIT_ANNOTATION.pushBranch]: 'vireo/rollback',
        [GIT_ANNOTATION.branch]: 'release/1.x',
        [GIT_ANNOTATION.container]: 'app',
      },
      false,
    );
    expect(result.ok && result.target).toMatchObject({
      branch: 'release/1.x',
      locator: { kind: 'field' },
      secretName: 'git-creds',
      pushBranchPrefix: 'vireo/rollback',
      container: 'app',
    });
  });

  it('names the annotation at fault', () => {
    const bad = (extra: Record<string, string>) => parseTarget({ ...base, ...extra }, false);
    expect(bad({ [GIT_ANNOTATION.branch]: '--force' })).toMatchObject({ ok: false, message: /git-branch/ });
    expect(bad({ [GIT_ANNOTATION.path]: '../etc/passwd' })).toMatchObject({ ok: false, message: /git-path/ });
    expect(bad({ [GIT_ANNOTATION.field]: 'a.b' })).toMatchObject({ ok: false, message: /only one/ });
    expect(bad({ [GIT_ANNOTATION.repo]: 'file:///x' })).toMatchObject({ ok: false, message: /git-repo/ });
  });

  it('names review branches after the abort time and the revision', () => {
    const result = parseTarget({ ...base, [GIT_ANNOTATION.pushBranch]: 'vireo/rollback-shop' }, false);
    if (!result.ok) throw new Error(result.message);
    expect(pushBranchFor(result.target, '2026-11-27T03:12:00Z', '4')).toBe(
      'vireo/rollback-shop-20261127T031200Z-r4',
    );
    expect(pushBranchFor({ ...result.target, pushBranchPrefix: undefined }, 'x', '4')).toBe('main');
  });
});

describe('parseImage', () => {
  it('splits registry ports, tags and digests and round-trips', () => {
    expect(parseImage('registry:5000/team/shop:1.2')).toEqual({
      name: 'registry:5000/team/shop',
      tag: '1.2',
    });
    expect(parseImage('registry:5000/shop')).toEqual({ name: 'registry:5000/shop' });
    expect(parseImage('shop:1@sha256:ab')).toEqual({ name: 'shop', tag: '1', digest: 'sha256:ab' });
    for (const image of ['a/b:c', 'r:1/x', 'x@sha256:1', 'x:y@sha256:2'])
      expect(formatImage(parseImage(image))).toBe(image);
  });
});

describe('loopback http remotes', () => {
  it('are accepted only with the test flag, and never for other hosts', () => {
    expect(checkRemoteUrl('http://127.0.0.1:8080/r.git', true)).toBeUndefined();
    expect(checkRemoteUrl('http://127.0.0.1:8080/r.git', false)).toMatch(/allow-file-git-remotes/);
    expect(checkRemoteUrl('http://git.example/r.git', true)).toBeDefined();
  });
});
