/** One configuration setting: its flag, its environment variable, its default and what it means. */
export interface ConfigOption {
  /** Flag name without the leading dashes. */
  flag: string;
  /** Environment variable read when the flag is absent. */
  env: string;
  /** Default as text; undefined when the setting is optional. */
  default?: string;
  /** Whether the flag is a switch (`--flag` / `--no-flag`) rather than `--flag=value`. */
  boolean?: boolean;
  help: string;
}

/**
 * Every setting of the controller. A flag wins over its environment variable, which wins over the default;
 * docs/configuration.md documents exactly these rows (a unit test keeps them in step).
 */
export const CONFIG_OPTIONS: readonly ConfigOption[] = [
  {
    flag: 'kubeconfig',
    env: 'VIREO_KUBECONFIG',
    help: 'kubeconfig file; default in-cluster, then $KUBECONFIG or ~/.kube/config',
  },
  { flag: 'context', env: 'VIREO_CONTEXT', help: 'kubeconfig context to use' },
  { flag: 'namespace', env: 'VIREO_NAMESPACE', help: 'watch only this namespace (default: all)' },
  { flag: 'health-addr', env: 'VIREO_HEALTH_ADDR', default: '0.0.0.0:8080', help: '/healthz and /readyz' },
  { flag: 'metrics-addr', env: 'VIREO_METRICS_ADDR', default: '0.0.0.0:8090', help: 'Prometheus /metrics' },
  { flag: 'leader-elect', env: 'VIREO_LEADER_ELECT', default: 'true', boolean: true, help: 'elect a leader' },
  {
    flag: 'leader-election-namespace',
    env: 'POD_NAMESPACE',
    default: 'vireo-system',
    help: 'namespace of the Lease vireo-controller-lock',
  },
  {
    flag: 'leader-election-lease-duration',
    env: 'VIREO_LEASE_DURATION',
    default: '15s',
    help: 'Lease duration',
  },
  {
    flag: 'leader-election-renew-deadline',
    env: 'VIREO_RENEW_DEADLINE',
    default: '10s',
    help: 'leader renew deadline',
  },
  {
    flag: 'leader-election-retry-period',
    env: 'VIREO_RETRY_PERIOD',
    default: '2s',
    help: 'Lease retry period',
  },
  { flag: 'workers', env: 'VIREO_WORKERS', default: '4', help: 'concurrent reconciles per controller' },
  { flag: 'log-level', env: 'VIREO_LOG_LEVEL', default: 'info', help: 'debug, info, warn or error' },
  {
    flag: 'watch-timeout',
    env: 'VIREO_WATCH_TIMEOUT',
    help: 'server-side timeout of each watch (default random 5–10 min); a watch silent twice as long is re-opened',
  },
  {
    flag: 'instance-id',
    env: 'VIREO_INSTANCE_ID',
    help: "reconcile only Rollouts labelled argo-rollouts.argoproj.io/controller-instance-id=<id> (Argo's sharding)",
  },
  {
    flag: 'prometheus-address',
    env: 'ARGO_ROLLOUTS_PROMETHEUS_ADDRESS',
    help: 'default Prometheus address for metrics without one',
  },
  {
    flag: 'allow-file-git-remotes',
    env: 'VIREO_ALLOW_FILE_GIT_REMOTES',
    default: 'false',
    boolean: true,
    help: 'accept file:// and http://127.0.0.1 remotes for Git write-back of rollbacks (tests, demo)',
  },
];
