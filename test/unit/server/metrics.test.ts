import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/types.js';
import { WorkQueue } from '../../../src/kube/work-queue.js';
import { startHealthServer } from '../../../src/server/health.js';
import type { BoundServer } from '../../../src/server/listen.js';
import { ControllerMetrics, startMetricsServer } from '../../../src/server/metrics.js';
import { FakeClock } from '../../../src/util/clock.js';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

function fakeSources(rollouts: KubeObject[], depth = 0) {
  return {
    state: { leader: false },
    rollouts: () => rollouts,
    analysisRuns: () => [],
    queueDepths: () => ({ rollouts: depth }),
    isLeader(): boolean {
      return this.state.leader;
    },
  };
}

const servers: BoundServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('ControllerMetrics', () => {
  it('computes object gauges at scrape time from the sources', async () => {
    const cache: KubeObject[] = [];
    const metrics = new ControllerMetrics(fakeSources(cache, 3));
    expect(await metrics.registry.metrics()).not.toMatch(/^rollout_info\{/m);
    cache.push({ metadata: { namespace: 'n', name: 'r' } });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /^rollout_info\{namespace="n",name="r",strategy="none",traffic_router="",phase="Progressing"\} 1$/m,
    );
    expect(text).toMatch(/^workqueue_depth\{name="rollouts"\} 3$/m);
    expect(text).toMatch(/^vireo_leader 0$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    cache.pop();
    expect(await metrics.registry.metrics()).not.toMatch(/^rollout_info\{/m);
  });

  it('counts queue adds, retries, reconcile durations and errors through the queue hooks', async () => {
    const clock = new FakeClock();
    const metrics = new ControllerMetrics(fakeSources([]));
    const queue = new WorkQueue({ clock, hooks: metrics.queueHooks('rollouts') });
    let calls = 0;
    queue.add('a');
    queue.add('a');
    queue.add('b');
    const running = queue.run(async (key) => {
      calls++;
      clock.advance(200);
      if (key === 'b' && calls < 3) throw new Error('boom');
    });
    await queue.shutdown();
    await running;
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^workqueue_adds_total\{name="rollouts"\} 2$/m);
    expect(text).toMatch(/^workqueue_retries_total\{name="rollouts"\} 1$/m);
    expect(text).toMatch(/^vireo_reconcile_errors_total\{controller="rollouts"\} 1$/m);
    expect(text).toMatch(/^vireo_reconcile_duration_seconds_bucket\{le="0.25",controller="rollouts"\} 2$/m);
    expect(text).toMatch(/^vireo_reconcile_duration_seconds_bucket\{le="0.15",controller="rollouts"\} 0$/m);
  });

  it('serves /metrics in the Prometheus text format and 404 elsewhere', async () => {
    const metrics = new ControllerMetrics(fakeSources([]));
    const server = await startMetricsServer('127.0.0.1', 0, metrics.registry);
    servers.push(server);
    const res = await get(server.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toContain('# TYPE vireo_reconcile_duration_seconds histogram');
    expect((await get(server.port, '/other')).status).toBe(404);
  });
});

describe('health server', () => {
  it('answers /healthz always and /readyz with the role only when ready', async () => {
    let ready = false;
    const server = await startHealthServer('127.0.0.1', 0, { ready: () => ready, role: () => 'standby' });
    servers.push(server);
    expect(await get(server.port, '/healthz')).toEqual({ status: 200, body: 'ok' });
    expect((await get(server.port, '/readyz')).status).toBe(503);
    ready = true;
    expect(await get(server.port, '/readyz?verbose')).toEqual({ status: 200, body: 'standby' });
    expect((await get(server.port, '/')).status).toBe(404);
  });

  it('reports a bind failure instead of crashing later', async () => {
    const first = await startHealthServer('127.0.0.1', 0, { ready: () => true });
    servers.push(first);
    await expect(startHealthServer('127.0.0.1', first.port, { ready: () => true })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
