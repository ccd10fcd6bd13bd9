import { describe, expect, it } from 'vitest';
import { analysisRunSeries, rolloutSeries } from '../../../src/server/object-series.js';

const rollout = {
  metadata: { namespace: 'shop', name: 'web' },
  spec: {
    replicas: 5,
    strategy: {
      canary: { trafficRouting: { istio: {}, nginx: {}, managedRoutes: [], maxTrafficWeight: 100 } },
    },
    template: { spec: { containers: [{ env: [{ name: 'TOKEN', value: 's3cret' }] }] } },
  },
  status: { phase: 'Paused', replicas: 6, availableReplicas: 4, updatedReplicas: 2 },
};

describe('Rollout gauges', () => {
  it('computes Argo Rollouts’ per-Rollout series from a cached object', () => {
    const s = rolloutSeries([rollout]);
    const base = { namespace: 'shop', name: 'web' };
    expect(s.rollout_info).toEqual([
      { labels: { ...base, strategy: 'canary', traffic_router: 'Istio,Nginx', phase: 'Paused' }, value: 1 },
    ]);
    expect(s.rollout_info_replicas_available).toEqual([{ labels: base, value: 4 }]);
    expect(s.rollout_info_replicas_unavailable).toEqual([{ labels: base, value: 2 }]);
    expect(s.rollout_info_replicas_desired).toEqual([{ labels: base, value: 5 }]);
    expect(s.rollout_info_replicas_updated).toEqual([{ labels: base, value: 2 }]);
    expect(s.rollout_phase?.map((p) => [p.labels.phase, p.value])).toEqual([
      ['Healthy', 0],
      ['Progressing', 0],
      ['Paused', 1],
      ['Degraded', 0],
    ]);
  });

  it('defaults a Rollout without status and never copies spec values into labels', () => {
    const bare = { metadata: { namespace: 'a', name: 'b' }, spec: { strategy: { blueGreen: {} } } };
    const s = rolloutSeries([bare, rollout]);
    expect(s.rollout_info?.[0]?.labels).toMatchObject({
      strategy: 'blueGreen',
      traffic_router: '',
      phase: 'Progressing',
    });
    expect(s.rollout_info_replicas_desired?.[0]?.value).toBe(1);
    expect(JSON.stringify(s)).not.toContain('s3cret');
  });
});

describe('AnalysisRun gauges', () => {
  const run = {
    metadata: { namespace: 'shop', name: 'web-1' },
    spec: {
      metrics: [
        { name: 'errors', provider: { prometheus: { query: 'x' } } },
        { name: 'latency', provider: { web: { url: 'http://127.0.0.1' } } },
      ],
      dryRun: [{ metricName: 'latency' }],
    },
    status: { phase: 'Running', metricResults: [{ name: 'errors', phase: 'Successful' }] },
  };

  it('reports info, phase, metric type and metric phase with dry_run', () => {
    const s = analysisRunSeries([run]);
    expect(s.analysis_run_info).toEqual([
      { labels: { namespace: 'shop', name: 'web-1', phase: 'Running' }, value: 1 },
    ]);
    expect(s.analysis_run_phase?.filter((p) => p.value === 1).map((p) => p.labels.phase)).toEqual([
      'Running',
    ]);
    expect(s.analysis_run_metric_type?.map((m) => [m.labels.metric, m.labels.type])).toEqual([
      ['errors', 'Prometheus'],
      ['latency', 'Web'],
    ]);
    const current = s.analysis_run_metric_phase?.filter((m) => m.value === 1).map((m) => m.labels);
    expect(current).toEqual([
      {
        namespace: 'shop',
        name: 'web-1',
        metric: 'errors',
        type: 'Prometheus',
        dry_run: 'false',
        phase: 'Successful',
      },
      { namespace: 'shop', name: 'web-1', metric: 'latency', type: 'Web', dry_run: 'true', phase: 'Pending' },
    ]);
    expect(s.analysis_run_metric_phase).toHaveLength(12);
  });
});
