import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchNodeFlags } from '../../../bench/support/controller-bundle.js';
import { holderPid } from '../../../bench/support/ha.js';
import { summarizeHeap } from '../../../bench/support/heap-summary.js';
import { type MemorySample, memoryBreakdown } from '../../../bench/support/memory-kinds.js';
import { CONTROLLER_NODE_FLAGS, controllerExternals } from '../../../scripts/controller-bundle.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('the controller bundle', () => {
  it('runs in the image with the node flags the benches use', () => {
    const line = readFileSync(join(root, 'Dockerfile'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('ENTRYPOINT'));
    const entry = JSON.parse(line?.slice('ENTRYPOINT'.length) ?? '[]') as string[];
    expect(entry).toEqual(['node', ...CONTROLLER_NODE_FLAGS, 'dist/controller.mjs']);
    expect(benchNodeFlags({})).toEqual([...CONTROLLER_NODE_FLAGS]);
  });

  it('takes other node flags from VIREO_BENCH_NODE_FLAGS, or none', () => {
    expect(benchNodeFlags({ VIREO_BENCH_NODE_FLAGS: ' --a=1  --b ' })).toEqual(['--a=1', '--b']);
    expect(benchNodeFlags({ VIREO_BENCH_NODE_FLAGS: 'none' })).toEqual([]);
  });

  it('bundles client-node and leaves the other dependencies external', () => {
    const externals = controllerExternals();
    expect(externals).not.toContain('@kubernetes/client-node');
    expect(externals).toContain('pino');
  });
});

describe('bench memory helpers', () => {
  it('reads the pid of a Lease holder identity', () => {
    expect(holderPid('host_a_1234')).toBe(1234);
    expect(holderPid(undefined)).toBeNaN();
  });

  it('splits RSS into the V8 heap and the rest, largest spaces first', () => {
    const s: MemorySample = {
      at: 0,
      rssMB: 100,
      heapTotalMB: 40,
      heapUsedMB: 20,
      externalMB: 2,
      arrayBuffersMB: 1,
      spaces: { new_space: { usedMB: 1, committedMB: 8 }, old_space: { usedMB: 15, committedMB: 30 } },
    };
    expect(memoryBreakdown(s)).toBe(
      'RSS 100.0 = V8 heap 40.0 (used 20.0) + other 60.0; external 2.0 (array buffers 1.0); ' +
        'spaces used/committed: old_space 15.0/30.0, new_space 1.0/8.0',
    );
  });

  it('groups heap snapshot nodes by constructor or type, largest first', () => {
    const snap = {
      snapshot: {
        meta: {
          node_fields: ['type', 'name', 'id', 'self_size'],
          node_types: [['object', 'string', 'closure']],
        },
      },
      strings: ['Object', 'abc', 'f'],
      nodes: [0, 0, 1, 100, 0, 0, 2, 50, 1, 1, 3, 400, 2, 2, 4, 30],
    };
    expect(summarizeHeap(snap)).toEqual([
      { group: '(string)', count: 1, selfMB: 400 / 1e6 },
      { group: 'Object', count: 2, selfMB: 150 / 1e6 },
      { group: '(closure) f', count: 1, selfMB: 30 / 1e6 },
    ]);
  });
});
