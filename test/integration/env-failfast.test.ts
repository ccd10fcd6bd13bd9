import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { upstreamCrdFiles } from '../../harness/upstream-crds.js';
import { type PrivateCache, privateCache, processesMentioning, run } from './support/private-cache.js';

/** `npm run env:up` after its bootstrap step (which would fetch a missing CRD again). */
const envUp = (env: NodeJS.ProcessEnv) =>
  run(join('node_modules', '.bin', 'tsx'), ['scripts/env.ts', 'up'], env);

describe('env:up fails fast and leaves nothing behind', () => {
  let cache: PrivateCache | undefined;

  afterEach(() => {
    if (cache) expect(processesMentioning(cache.dir)).toEqual([]);
    cache?.remove();
    cache = undefined;
  });

  it('names a pinned CRD missing from the cache within 10 s, before starting anything', async () => {
    cache = privateCache();
    const missing = upstreamCrdFiles()
      .find((f) => f.endsWith('gateways.networking.istio.io.yaml'))
      ?.replace(/^.*\/crds\//, `${cache.dir}/crds/`);
    if (!missing) throw new Error('the Istio Gateway CRD is not pinned');
    rmSync(missing);
    const result = await envUp(cache.env);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`CRD file not found: ${missing}`);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('stops within seconds of a component exiting, with its log tail, and stops what had started', async () => {
    cache = privateCache();
    const fake = join(cache.dir, 'prometheus-that-cannot-bind');
    writeFileSync(
      fake,
      '#!/bin/sh\ndate +%s%3N > "$0.ran"\necho "err: listen tcp 127.0.0.1:9090: bind: address already in use (fake Prometheus)"\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const result = await envUp({ ...cache.env, PROMETHEUS_BINARY: fake });
    const sinceCauseMs = Date.now() - Number(readFileSync(`${fake}.ran`, 'utf8'));
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('prometheus failed to start: exited with code 1');
    expect(result.stderr).toContain('bind: address already in use (fake Prometheus)');
    expect(sinceCauseMs).toBeLessThan(10_000);
  }, 90_000);
});
