import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testAssetVariable } from '../../../harness/binaries.js';
import { pinnedVersions } from '../../../harness/versions.js';

const script = join(import.meta.dirname, '..', '..', '..', 'harness', 'build-binaries.sh');
const cache = mkdtempSync(join(tmpdir(), 'vireo-build-test-'));

afterAll(() => rmSync(cache, { recursive: true, force: true }));

function build(component: string, env: Record<string, string>) {
  return spawnSync('bash', [script, component], {
    env: { PATH: '/usr/bin:/bin', HOME: cache, VIREO_CACHE_DIR: cache, ...env },
    encoding: 'utf8',
  });
}

describe('build-binaries.sh', () => {
  it('says what to install, in one line, when Go is missing', () => {
    const result = build('kwok', { VIREO_GO_FALLBACK: '/nonexistent/go' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^vireo: Go is not installed.*Install Go >= 1\.26/);
  });

  it('names the failed step and its log when a build step fails', () => {
    const result = build('kwok', {
      PATH: `/usr/local/go/bin:/usr/bin:/bin`,
      GOPROXY: 'off',
      GOMODCACHE: join(cache, 'mod'),
      GOCACHE: join(cache, 'gocache'),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('vireo: build step failed: go install (kwok)');
    expect(result.stderr).toContain(join(cache, 'logs', 'kwok-build.log'));
  });
});

describe('binary lookup', () => {
  it('follows envtest naming for TEST_ASSET_* variables', () => {
    expect(testAssetVariable('kube-apiserver')).toBe('TEST_ASSET_KUBE_APISERVER');
    expect(testAssetVariable('kwok')).toBe('TEST_ASSET_KWOK');
  });

  it('reads the pinned versions from versions.env', () => {
    const v = pinnedVersions();
    expect(v.KUBERNETES_VERSION).toMatch(/^v1\.36\.\d+$/);
    expect(v.ETCD_VERSION).toMatch(/^v3\.6\.\d+$/);
    expect(v.KWOK_VERSION).toBe('v0.8.0');
  });
});
