import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Container, Service } from 'kubernetes-types/core/v1.js';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';
import { createNamespace, deleteNamespace, parseManifests } from './support/objects.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const FIELD_MANAGER = 'vireo-deploy-test';

/** What the controller does today (deploy/rbac.yaml); every later feature extends this explicitly. */
const CLUSTER_RULES: PolicyRule[] = [
  {
    apiGroups: ['argoproj.io'],
    resources: ['rollouts', 'analysistemplates', 'clusteranalysistemplates', 'analysisruns', 'experiments'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['argoproj.io'],
    resources: ['rollouts/status', 'analysisruns/status', 'experiments/status'],
    verbs: ['patch'],
  },
  { apiGroups: ['argoproj.io'], resources: ['experiments'], verbs: ['create', 'patch', 'delete'] },
  {
    apiGroups: ['apps'],
    resources: ['replicasets'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
  },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [''], resources: ['podtemplates'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'patch', 'delete'] },
  {
    apiGroups: [''],
    resources: ['services'],
    verbs: ['get', 'list', 'watch', 'patch', 'create', 'delete'],
  },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
  { apiGroups: ['argoproj.io'], resources: ['analysisruns'], verbs: ['create', 'patch', 'delete'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
  {
    apiGroups: ['networking.istio.io'],
    resources: ['virtualservices', 'destinationrules'],
    verbs: ['get', 'list', 'watch', 'update'],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['httproutes'],
    verbs: ['get', 'list', 'watch', 'update'],
  },
  {
    apiGroups: ['getambassador.io'],
    resources: ['mappings'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
  },
  { apiGroups: ['appmesh.k8s.aws'], resources: ['virtualservices'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['appmesh.k8s.aws'],
    resources: ['virtualrouters', 'virtualnodes'],
    verbs: ['get', 'list', 'watch', 'update'],
  },
  {
    apiGroups: ['apisix.apache.org'],
    resources: ['apisixroutes'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
  },
  {
    apiGroups: ['split.smi-spec.io'],
    resources: ['trafficsplits'],
    verbs: ['get', 'list', 'watch', 'create', 'update'],
  },
  {
    apiGroups: ['traefik.io', 'traefik.containo.us'],
    resources: ['traefikservices'],
    verbs: ['get', 'list', 'watch', 'update'],
  },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['patch'] },
];

/** Notifications: the one ConfigMap they read, in the controller's namespace only (a Role). */
const NOTIFICATION_CONFIG_RULES: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: ['argo-rollouts-notification-configmap'],
    verbs: ['get'],
  },
];

/** The namespaced Role: the same rules without the cluster-scoped ClusterAnalysisTemplates. */
const NAMESPACED_RULES: PolicyRule[] = [
  ...CLUSTER_RULES.map((rule) => ({
    ...rule,
    resources: rule.resources?.filter((r) => r !== 'clusteranalysistemplates'),
  })),
  ...NOTIFICATION_CONFIG_RULES,
];

/** Runs kubectl against the test cluster; throws with its stderr unless it exits 0. */
function kubectl(args: string[], input?: string): { stdout: string; stderr: string } {
  const { kubectlPath, kubeconfigPath } = clusterInfo();
  const result = spawnSync(kubectlPath, ['--kubeconfig', kubeconfigPath, ...args], {
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** `kubectl kustomize dir`, parsed. */
function render(dir: string): KubernetesObject[] {
  return parseManifests(kubectl(['kustomize', dir]).stdout);
}

/** `render(dir)` once, on first use (inside a test, where clusterInfo() is available). */
function rendered(dir: string): () => KubernetesObject[] {
  let objects: KubernetesObject[] | undefined;
  return () => {
    objects ??= render(join(repoRoot, dir));
    return objects;
  };
}

/** JSON documents in one YAML stream (JSON is YAML), for `kubectl apply -f -`. */
function stream(objects: KubernetesObject[]): string {
  return objects.map((o) => JSON.stringify(o)).join('\n---\n');
}

/** Server-side apply as a dry run: the API server validates and admits, nothing is stored. Returns stderr. */
function dryRunApply(objects: KubernetesObject[]): string {
  const args = ['apply', '--server-side', '--dry-run=server', `--field-manager=${FIELD_MANAGER}`, '-f', '-'];
  return kubectl(args, stream(objects)).stderr;
}

function applyForReal(objects: KubernetesObject[], fieldManager: string): void {
  kubectl(
    ['apply', '--server-side', '--force-conflicts', `--field-manager=${fieldManager}`, '-f', '-'],
    stream(objects),
  );
}

function kinds(objects: KubernetesObject[]): string[] {
  return objects.map((o) => o.kind ?? '').sort();
}

function ofKind<T>(objects: KubernetesObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

function rulesOf(objects: KubernetesObject[]): PolicyRule[] {
  return objects
    .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
    .flatMap((o) => (o as KubernetesObject & { rules?: PolicyRule[] }).rules ?? []);
}

function controllerOf(objects: KubernetesObject[]): { deployment: Deployment; container: Container } {
  const [deployment] = ofKind<Deployment>(objects, 'Deployment');
  const container = deployment?.spec?.template.spec?.containers.find((c) => c.name === 'controller');
  if (!deployment || !container)
    throw new Error('no vireo-controller Deployment with a controller container');
  return { deployment, container };
}

/** The container port number a probe or Service names (`health`, `metrics`) or gives directly. */
function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** Renders deploy/namespaced through an overlay that installs it into `namespace`. */
function renderNamespacedInto(namespace: string): KubernetesObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'vireo-deploy-'));
  try {
    const base = relative(dir, join(repoRoot, 'deploy', 'namespaced'));
    writeFileSync(join(dir, 'kustomization.yaml'), `namespace: ${namespace}\nresources:\n  - ${base}\n`);
    return render(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('install manifests (deploy/)', () => {
  let kc: KubeConfig;
  let namespace: string;
  const cluster = rendered('deploy');
  const namespaced = rendered('deploy/namespaced');

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'deploy');
    kubectl(['label', 'namespace', namespace, 'pod-security.kubernetes.io/warn=restricted']);
  });

  afterAll(async () => {
    if (namespace) await deleteNamespace(kc, namespace);
  });

  it('renders the cluster-wide install', () => {
    expect(kinds(cluster())).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      ...Array<string>(5).fill('CustomResourceDefinition'),
      'Deployment',
      'Namespace',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('applies the cluster-wide install (CRDs and namespace for real, the rest as a server dry run)', () => {
    const objects = cluster();
    const clusterScoped = new Set(['CustomResourceDefinition', 'Namespace']);
    applyForReal(ofKind(objects, 'CustomResourceDefinition'), 'vireo-test');
    applyForReal(ofKind(objects, 'Namespace'), FIELD_MANAGER);
    const rest = objects.filter((o) => !clusterScoped.has(o.kind ?? ''));
    const warnings = dryRunApply(rest);
    expect(warnings).not.toMatch(/PodSecurity|[Ww]arning/);
  });

  it('renders the namespaced install without cluster-scoped objects', () => {
    const objects = namespaced();
    expect(kinds(objects)).toEqual(['Deployment', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
    expect(new Set(objects.map((o) => o.metadata?.namespace))).toEqual(new Set(['apps']));
  });

  it('applies the namespaced install into a namespace as a server dry run', () => {
    const objects = renderNamespacedInto(namespace);
    expect(new Set(objects.map((o) => o.metadata?.namespace))).toEqual(new Set([namespace]));
    const [binding] = ofKind<{ subjects: { namespace?: string }[] }>(objects, 'RoleBinding');
    expect(binding?.subjects.map((s) => s.namespace)).toEqual([namespace]);
    const warnings = dryRunApply(objects);
    expect(warnings).not.toMatch(/PodSecurity|[Ww]arning/);
  });

  it('grants no wildcard in any (Cluster)Role', () => {
    const rules = [...rulesOf(cluster()), ...rulesOf(namespaced())];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const fields = [rule.apiGroups, rule.resources, rule.verbs, rule.nonResourceURLs];
      expect(
        fields.flat().filter((v) => v?.includes('*')),
        JSON.stringify(rule),
      ).toEqual([]);
    }
  });

  it('grants exactly what the controller uses today, cluster-wide and in the namespaced Role', () => {
    expect(rulesOf(ofKind(cluster(), 'ClusterRole'))).toEqual(CLUSTER_RULES);
    expect(rulesOf(ofKind(cluster(), 'Role'))).toEqual(NOTIFICATION_CONFIG_RULES);
    expect(new Set(ofKind<KubernetesObject>(cluster(), 'Role').map((r) => r.metadata?.namespace))).toEqual(
      new Set(['vireo-system']),
    );
    expect(rulesOf(namespaced())).toEqual(NAMESPACED_RULES);
    const [role] = ofKind<{ metadata: { name: string } }>(namespaced(), 'Role');
    const [binding] = ofKind<{ roleRef: { kind: string; name: string } }>(namespaced(), 'RoleBinding');
    expect(binding?.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: role?.metadata.name,
    });
  });

  it.each([
    ['deploy/', cluster],
    ['deploy/namespaced', namespaced],
  ])(
    '%s runs the controller non-root, read-only, with probes on :8080 and metrics on :8090',
    (_dir, build) => {
      const { deployment, container } = controllerOf(build());
      const pod = deployment.spec?.template.spec;
      expect(pod?.serviceAccountName).toBe('vireo-controller');
      expect(pod?.securityContext?.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(portNumber(container, container.readinessProbe?.httpGet?.port)).toBe(8080);
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(portNumber(container, container.livenessProbe?.httpGet?.port)).toBe(8080);
      expect(portNumber(container, 'metrics')).toBe(8090);
    },
  );

  it.each([
    ['deploy/', cluster],
    ['deploy/namespaced', namespaced],
  ])('%s exposes the metrics port with a Service on 8090', (_dir, build) => {
    const objects = build();
    const { deployment, container } = controllerOf(objects);
    const [service] = ofKind<Service>(objects, 'Service');
    const port = service?.spec?.ports?.find((p) => p.name === 'metrics');
    expect(port?.port).toBe(8090);
    expect(portNumber(container, port?.targetPort)).toBe(8090);
    expect(deployment.spec?.template.metadata?.labels).toMatchObject(service?.spec?.selector ?? { none: '' });
  });

  it('watches only its own namespace in the namespaced install', () => {
    const { container } = controllerOf(namespaced());
    expect(container.args).toContain('--namespace=$(POD_NAMESPACE)');
    expect(container.env).toContainEqual({
      name: 'POD_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    });
    expect(controllerOf(cluster()).container.args?.some((a) => a.startsWith('--namespace'))).toBe(false);
  });
});
