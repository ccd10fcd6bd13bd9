import type { Pki } from './pki.js';

/** Ports and paths one control plane uses; all ports are on 127.0.0.1. */
export interface ControlPlaneLayout {
  dir: string;
  etcdDataDir: string;
  etcdPort: number;
  etcdPeerPort: number;
  apiserverPort: number;
  controllerManagerPort: number;
  schedulerPort: number;
  kwokPort: number;
  kubeconfigPath: string;
  kwokConfigPath: string;
  pki: Pki;
  /** kube-apiserver audit logging, when requested (default off). */
  audit?: AuditLayout;
  /** Extra kube-apiserver flags (e.g. `--watch-cache-sizes=replicasets.apps#0`), kept across restarts. */
  apiserverExtraArgs?: string[];
}

/** Where the audit policy and the JSON audit log of one control plane live. */
export interface AuditLayout {
  policyPath: string;
  logPath: string;
}

/** The controller's ServiceAccount user, as the API server names it in audit events. */
export const CONTROLLER_USER = 'system:serviceaccount:vireo-system:vireo-controller';

/**
 * Requests on a resource the audit log records whoever makes them, e.g. `{ group: 'apps', resource:
 * 'replicasets' }`: its deletions by default, or the `verbs` given.
 */
export interface AuditedResource {
  group: string;
  resource: string;
  verbs?: string[];
}

/**
 * An audit policy that records writes (create, update, patch, delete, deletecollection) by `users`, and
 * the requests of `resources` by anyone (the garbage collector, the namespace controller, a test), at
 * level Metadata, once per request (at ResponseComplete), and nothing else.
 */
export function auditPolicyYaml(
  users: readonly string[] = [CONTROLLER_USER],
  resources: readonly AuditedResource[] = [],
): string {
  const resourceRules = resources.flatMap(({ group, resource, verbs = ['delete', 'deletecollection'] }) => [
    '  - level: Metadata',
    `    verbs: [${verbs.join(', ')}]`,
    `    resources: [{ group: ${JSON.stringify(group)}, resources: [${JSON.stringify(resource)}] }]`,
  ]);
  return [
    'apiVersion: audit.k8s.io/v1',
    'kind: Policy',
    'omitStages: [RequestReceived, ResponseStarted]',
    'rules:',
    '  - level: Metadata',
    `    users: [${users.map((u) => JSON.stringify(u)).join(', ')}]`,
    '    verbs: [create, update, patch, delete, deletecollection]',
    ...resourceRules,
    '  - level: None',
    '',
  ].join('\n');
}

function auditArgs(audit: AuditLayout | undefined): string[] {
  if (!audit) return [];
  return [
    `--audit-policy-file=${audit.policyPath}`,
    `--audit-log-path=${audit.logPath}`,
    '--audit-log-format=json',
    '--audit-log-mode=blocking',
  ];
}

/** etcd flags: loopback only, no fsync (test data is disposable). */
export function etcdArgs(l: ControlPlaneLayout): string[] {
  const client = `http://127.0.0.1:${l.etcdPort}`;
  const peer = `http://127.0.0.1:${l.etcdPeerPort}`;
  return [
    '--name=vireo',
    `--data-dir=${l.etcdDataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=vireo=${peer}`,
    '--unsafe-no-fsync=true',
    '--quota-backend-bytes=4294967296',
    '--auto-compaction-retention=1',
    '--log-level=warn',
  ];
}

/** kube-apiserver flags: RBAC on, client-certificate auth, service-account token signing, loopback only. */
export function apiserverArgs(l: ControlPlaneLayout): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${l.etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${l.apiserverPort}`,
    `--tls-cert-file=${l.pki.serverCert}`,
    `--tls-private-key-file=${l.pki.serverKey}`,
    `--client-ca-file=${l.pki.caCert}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${l.pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${l.pki.serviceAccountKey}`,
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    '--endpoint-reconciler-type=none',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    '--v=0',
    ...auditArgs(l.audit),
    ...(l.apiserverExtraArgs ?? []),
  ];
}

function delegatedAuth(l: ControlPlaneLayout): string[] {
  return [
    `--kubeconfig=${l.kubeconfigPath}`,
    `--authentication-kubeconfig=${l.kubeconfigPath}`,
    `--authorization-kubeconfig=${l.kubeconfigPath}`,
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
    '--authentication-skip-lookup=true',
    `--tls-cert-file=${l.pki.serverCert}`,
    `--tls-private-key-file=${l.pki.serverKey}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=false',
  ];
}

/** kube-controller-manager flags: the built-in controllers (ReplicaSet, GC, namespace, SA tokens). */
export function controllerManagerArgs(l: ControlPlaneLayout): string[] {
  return [
    ...delegatedAuth(l),
    `--secure-port=${l.controllerManagerPort}`,
    `--service-account-private-key-file=${l.pki.serviceAccountKey}`,
    `--root-ca-file=${l.pki.caCert}`,
    '--use-service-account-credentials=false',
    '--kube-api-qps=200',
    '--kube-api-burst=400',
    '--concurrent-replicaset-syncs=10',
    '--concurrent-namespace-syncs=10',
  ];
}

/** kube-scheduler flags. */
export function schedulerArgs(l: ControlPlaneLayout): string[] {
  return [...delegatedAuth(l), `--secure-port=${l.schedulerPort}`];
}

/** The annotation of the Nodes the harness's kwok plays the kubelet for (all Nodes the harness and bench create). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node=fake';

/**
 * kwok flags: fake kubelets for the Nodes annotated {@link KWOK_NODE_ANNOTATION}, behaviour from Vireo's
 * Stage file. Other Nodes (e.g. the fake Nodes of a demo run against this cluster) are left to others.
 */
export function kwokArgs(l: ControlPlaneLayout): string[] {
  return [
    `--kubeconfig=${l.kubeconfigPath}`,
    `--config=${l.kwokConfigPath}`,
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}`,
    `--server-address=127.0.0.1:${l.kwokPort}`,
    `--tls-cert-file=${l.pki.serverCert}`,
    `--tls-private-key-file=${l.pki.serverKey}`,
    '--node-ip=127.0.0.1',
    '--node-lease-duration-seconds=40',
  ];
}
