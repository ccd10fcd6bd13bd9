import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, controllerNamespace, parseControllerFlags } from '../../../src/config/flags.js';
import { CONFIG_OPTIONS } from '../../../src/config/options.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseControllerFlags(argv, env);
const failure = (argv: string[], env: Record<string, string> = {}): string => {
  try {
    parse(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('controller configuration', () => {
  it('defaults fit an in-cluster install', () => {
    expect(parse([])).toMatchObject({
      healthHost: '0.0.0.0',
      healthPort: 8080,
      metricsHost: '0.0.0.0',
      metricsPort: 8090,
      leaderElect: true,
      leaderElectionNamespace: undefined,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      workers: 4,
      logLevel: 'info',
      namespace: undefined,
    });
  });

  it('keeps every existing flag working', () => {
    const flags = parse([
      '--kubeconfig=/k',
      '--context',
      'c',
      '--namespace=ns',
      '--health-addr=127.0.0.1:0',
      '--no-leader-elect',
      '--leader-election-namespace=le',
      '--workers=2',
      '--log-level=debug',
    ]);
    expect(flags).toMatchObject({
      kubeconfig: '/k',
      context: 'c',
      namespace: 'ns',
      healthHost: '127.0.0.1',
      healthPort: 0,
      leaderElect: false,
      leaderElectionNamespace: 'le',
      workers: 2,
      logLevel: 'debug',
    });
  });

  it('reads the environment when a flag is absent; the flag wins', () => {
    const env = { VIREO_METRICS_ADDR: ':9100', POD_NAMESPACE: 'pods', VIREO_LEADER_ELECT: 'false' };
    expect(parse([], env)).toMatchObject({ metricsHost: '0.0.0.0', metricsPort: 9100, leaderElect: false });
    expect(parse([], env).leaderElectionNamespace).toBe('pods');
    expect(parse(['--metrics-addr=127.0.0.1:9200', '--leader-elect'], env)).toMatchObject({
      metricsPort: 9200,
      leaderElect: true,
    });
    expect(
      parse(['--leader-election-lease-duration=4s', '--leader-election-renew-deadline=3s']),
    ).toMatchObject({
      leaseDurationMs: 4000,
      renewDeadlineMs: 3000,
    });
  });

  it('names the flag or environment variable at fault', () => {
    expect(failure(['--metrics-addr=nope'])).toMatch(/^--metrics-addr: expected host:port, got "nope"/);
    expect(failure(['--workers=0'])).toMatch(/^--workers: expected a positive integer/);
    expect(failure([], { VIREO_WORKERS: 'many' })).toMatch(/^VIREO_WORKERS \(environment\): /);
    expect(failure([], { VIREO_LOG_LEVEL: 'loud' })).toMatch(/^VIREO_LOG_LEVEL \(environment\): /);
    expect(failure(['--leader-election-retry-period=soon'])).toMatch(/^--leader-election-retry-period: /);
    expect(failure(['--health-addr=:70000', '--workers=x'])).toMatch(/--health-addr: .*; --workers: /);
    expect(failure(['--bogus'])).toMatch(/bogus/);
    expect(failure(['--leader-election-renew-deadline=20s'])).toMatch(/renew-deadline: must be shorter/);
  });

  it("takes Argo's router flags; refuses AWS target-group verification instead of skipping it", () => {
    expect(parse([])).toMatchObject({
      trafficSplitApiVersion: 'v1alpha1',
      traefikApiGroup: 'traefik.io',
      traefikApiVersion: 'v1alpha1',
    });
    const flags = parse([
      '--traffic-split-api-version=v1alpha4',
      '--traefik-api-group=traefik.containo.us',
      '--traefik-api-version=traefik.containo.us/v1alpha1',
    ]);
    expect(flags).toMatchObject({
      trafficSplitApiVersion: 'v1alpha4',
      traefikApiGroup: 'traefik.containo.us',
      traefikApiVersion: 'v1alpha1',
    });
    expect(failure(['--traffic-split-api-version=v2'])).toMatch(/^--traffic-split-api-version: /);
    expect(failure(['--aws-verify-target-group'])).toMatch(/^--aws-verify-target-group: .*not supported/);
    expect(failure([], { VIREO_ALB_VERIFY_WEIGHT: 'true' })).toMatch(
      /^VIREO_ALB_VERIFY_WEIGHT \(environment\): /,
    );
  });

  it("puts the Lease in the flag's namespace, else the kubeconfig context's, else default", () => {
    expect(controllerNamespace({ leaderElectionNamespace: 'le' }, 'ctx').namespace).toBe('le');
    expect(controllerNamespace({}, 'ctx')).toEqual({
      namespace: 'ctx',
      source: "the kubeconfig context's namespace",
    });
    expect(controllerNamespace({}, undefined).namespace).toBe('default');
    expect(controllerNamespace(parse([], { POD_NAMESPACE: 'pods' }), 'ctx').namespace).toBe('pods');
  });

  it('documents every option in docs/configuration.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/configuration.md'), 'utf8');
    for (const o of CONFIG_OPTIONS) {
      expect(doc, o.flag).toContain(`\`--${o.flag}\``);
      expect(doc, o.env).toContain(`\`${o.env}\``);
    }
  });
});
