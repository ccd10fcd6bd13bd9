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
    help: "the controller's namespace: its Lease vireo-controller-lock and notification configuration (default: the kubeconfig context's namespace, in a cluster the pod's, else default)",
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
    flag: 'traffic-split-api-version',
    env: 'VIREO_TRAFFIC_SPLIT_API_VERSION',
    default: 'v1alpha1',
    help: "SMI TrafficSplit version Vireo reads and writes (Argo's flag): v1alpha1, v1alpha2, v1alpha3 or v1alpha4",
  },
  {
    flag: 'traefik-api-group',
    env: 'VIREO_TRAEFIK_API_GROUP',
    default: 'traefik.io',
    help: "API group of TraefikServices (Argo's flag; traefik.containo.us for Traefik v2)",
  },
  {
    flag: 'traefik-api-version',
    env: 'VIREO_TRAEFIK_API_VERSION',
    default: 'traefik.io/v1alpha1',
    help: "apiVersion of TraefikServices (Argo's flag; the part after the last / is the version)",
  },
  {
    flag: 'aws-verify-target-group',
    env: 'VIREO_AWS_VERIFY_TARGET_GROUP',
    default: 'false',
    boolean: true,
    help: "Argo's ALB target-group verification through the AWS API: not supported, refused when set",
  },
  {
    flag: 'alb-verify-weight',
    env: 'VIREO_ALB_VERIFY_WEIGHT',
    default: 'false',
    boolean: true,
    help: 'deprecated name of --aws-verify-target-group (Argo); refused when set',
  },
  {
    flag: 'allow-file-git-remotes',
    env: 'VIREO_ALLOW_FILE_GIT_REMOTES',
    default: 'false',
    boolean: true,
    help: 'accept file:// and http://127.0.0.1 remotes for Git write-back of rollbacks (tests, demo)',
  },
];
