import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseGoDuration } from '../api/duration.js';
import { CONFIG_OPTIONS, type ConfigOption } from './options.js';

/** The controller's configuration, parsed and validated once in main. */
export interface ControllerFlags {
  kubeconfig?: string;
  context?: string;
  /** Watch only this namespace (namespaced install); default all namespaces. */
  namespace?: string;
  healthHost: string;
  healthPort: number;
  metricsHost: string;
  metricsPort: number;
  leaderElect: boolean;
  /** The controller's namespace when set by flag or POD_NAMESPACE; see {@link controllerNamespace}. */
  leaderElectionNamespace?: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  workers: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Server-side watch timeout of every informer, whole seconds (≥ 1); undefined = random 300–600 s each. */
  watchTimeoutSeconds?: number;
  prometheusAddress?: string;
  /** Accept `file://` remotes for Git write-back (tests, demo). */
  allowFileGitRemotes: boolean;
  /** Argo's `--instance-id`: only Rollouts carrying this controller-instance label (none: only unlabelled ones). */
  instanceId?: string;
  /** Argo's `--traffic-split-api-version`: the SMI TrafficSplit version (default v1alpha1). */
  trafficSplitApiVersion: string;
  /** Argo's `--traefik-api-group` and the version part of `--traefik-api-version` (default traefik.io, v1alpha1). */
  traefikApiGroup: string;
  traefikApiVersion: string;
}

/** A configuration error; its message names the flag or environment variable at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const address = z.string().transform((text, ctx) => {
  const index = text.lastIndexOf(':');
  const port = Number(text.slice(index + 1));
  if (index < 0 || text.slice(index + 1) === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `expected host:port, got "${text}"` });
    return z.NEVER;
  }
  return { host: text.slice(0, index) || '0.0.0.0', port };
});

const duration = z.string().transform((text, ctx) => {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `expected a positive duration such as 15s, got "${text}"` });
    return z.NEVER;
  }
  return ms;
});

const switchValue = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const notSupported = (what: string) =>
  switchValue.refine(
    (on) => !on,
    `${what} is not supported by Vireo (AWS target-group verification stays off)`,
  );
const optionalText = z
  .string()
  .optional()
  .transform((v) => v || undefined);

const schema = z.object({
  kubeconfig: optionalText,
  context: optionalText,
  namespace: optionalText,
  'health-addr': address,
  'metrics-addr': address,
  'leader-elect': switchValue,
  'leader-election-namespace': optionalText,
  'leader-election-lease-duration': duration,
  'leader-election-renew-deadline': duration,
  'leader-election-retry-period': duration,
  workers: z
    .string()
    .regex(/^[1-9]\d*$/, 'expected a positive integer')
    .transform(Number),
  'log-level': z.enum(['debug', 'info', 'warn', 'error']),
  'watch-timeout': duration
    .optional()
    .transform((ms) => (ms === undefined ? undefined : Math.max(1, Math.round(ms / 1000)))),
  'prometheus-address': optionalText,
  'instance-id': optionalText,
  'allow-file-git-remotes': switchValue,
  'traffic-split-api-version': z.enum(['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']),
  'traefik-api-group': z.string().regex(/^[a-z0-9.-]+$/, 'expected an API group such as traefik.io'),
  'traefik-api-version': z
    .string()
    .regex(/^([a-z0-9.-]+\/)?v[0-9a-z]+$/, 'expected an apiVersion such as traefik.io/v1alpha1')
    .transform((text) => text.slice(text.lastIndexOf('/') + 1)),
  'aws-verify-target-group': notSupported('weight verification'),
  'alb-verify-weight': notSupported('weight verification'),
});

type RawValues = Record<string, string | undefined>;

function readArgv(argv: string[]): Record<string, string | boolean | undefined> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const o of CONFIG_OPTIONS) options[o.flag] = { type: o.boolean ? 'boolean' : 'string' };
  for (const o of CONFIG_OPTIONS.filter((c) => c.boolean)) options[`no-${o.flag}`] = { type: 'boolean' };
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
}

function rawValue(o: ConfigOption, flags: ReturnType<typeof readArgv>, env: RawValues): string | undefined {
  if (o.boolean && flags[`no-${o.flag}`] === true) return 'false';
  const flag = flags[o.flag];
  if (flag !== undefined) return String(flag);
  return env[o.env] ?? o.default;
}

function sourceOf(o: ConfigOption, flags: ReturnType<typeof readArgv>): string {
  const fromFlag = flags[o.flag] !== undefined || flags[`no-${o.flag}`] !== undefined;
  return fromFlag ? `--${o.flag}` : `${o.env} (environment)`;
}

function validate(raw: RawValues, flags: ReturnType<typeof readArgv>): z.output<typeof schema> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    const option = CONFIG_OPTIONS.find((o) => o.flag === issue.path[0]);
    return `${option ? sourceOf(option, flags) : String(issue.path[0])}: ${issue.message}`;
  });
  throw new ConfigError(messages.join('; '));
}

/**
 * Parses argv (without node and script) and the environment into a validated configuration. Each setting
 * comes from its flag, else its environment variable, else its default (see CONFIG_OPTIONS). Unknown flags
 * and invalid values throw a {@link ConfigError} naming the flag or variable; nothing is partially applied.
 */
export function parseControllerFlags(argv: string[], env: RawValues): ControllerFlags {
  const flags = readArgv(argv);
  const raw: RawValues = {};
  for (const o of CONFIG_OPTIONS) raw[o.flag] = rawValue(o, flags, env);
  const v = validate(raw, flags);
  if (v['leader-election-renew-deadline'] >= v['leader-election-lease-duration']) {
    throw new ConfigError('--leader-election-renew-deadline: must be shorter than the lease duration');
  }
  return {
    kubeconfig: v.kubeconfig,
    context: v.context,
    namespace: v.namespace,
    healthHost: v['health-addr'].host,
    healthPort: v['health-addr'].port,
    metricsHost: v['metrics-addr'].host,
    metricsPort: v['metrics-addr'].port,
    leaderElect: v['leader-elect'],
    leaderElectionNamespace: v['leader-election-namespace'],
    leaseDurationMs: v['leader-election-lease-duration'],
    renewDeadlineMs: v['leader-election-renew-deadline'],
    retryPeriodMs: v['leader-election-retry-period'],
    workers: v.workers,
    logLevel: v['log-level'],
    watchTimeoutSeconds: v['watch-timeout'],
    prometheusAddress: v['prometheus-address'],
    allowFileGitRemotes: v['allow-file-git-remotes'],
    instanceId: v['instance-id'],
    trafficSplitApiVersion: v['traffic-split-api-version'],
    traefikApiGroup: v['traefik-api-group'],
    traefikApiVersion: v['traefik-api-version'],
  };
}

/** The controller's namespace and where it came from (for messages). */
export interface ControllerNamespace {
  namespace: string;
  source: string;
}

/**
 * The namespace of the controller's Lease and notification configuration: `--leader-election-namespace`
 * (or POD_NAMESPACE) when set, else the kubeconfig context's namespace (in a cluster, the ServiceAccount's),
 * else `default`, which every cluster has.
 */
export function controllerNamespace(
  flags: Pick<ControllerFlags, 'leaderElectionNamespace'>,
  contextNamespace: string | undefined,
): ControllerNamespace {
  if (flags.leaderElectionNamespace) {
    return {
      namespace: flags.leaderElectionNamespace,
      source: '--leader-election-namespace / POD_NAMESPACE',
    };
  }
  if (contextNamespace) return { namespace: contextNamespace, source: "the kubeconfig context's namespace" };
  return { namespace: 'default', source: 'the default (no namespace in the kubeconfig context)' };
}
