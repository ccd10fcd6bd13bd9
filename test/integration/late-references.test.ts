import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { clusterInfo } from './support/cluster.js';
import { type EngineEnv, kubectl, type RolloutObject, startEngine } from './support/rollouts.js';

/**
 * Issue 18, "references that appear later are never re-checked", on the real control plane through the
 * controller running as the deploy/ ServiceAccount. Argo's `examples/rollout-bluegreen.yaml` holds the
 * Rollout first and its two Services after it, the order `kubectl apply -f` (and a GitOps sync without
 * waves) creates them in. A Rollout applied before what it names is `InvalidSpec` with the field path and
 * creates nothing; once the objects are applied, the watch of that kind enqueues the Rollout and it becomes
 * Healthy. The figure is how long after `kubectl apply` returned the condition cleared; Argo's backstop
 * re-check (and Vireo's) is 20 s, so a clear well under that is the watch's doing.
 */

let env: EngineEnv;
let dir: string;
const timings: { scenario: string; clearedMs: number }[] = [];

/** The head of a manifest of `kind` `name` with `spec.replicas`, as a user writes it. */
function manifest(apiVersion: string, kind: string, name: string, replicas: number, rest: string): string {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
${rest}`;
}

/** `spec.selector` and `spec.template` of app `name` (one container `app`), indented under `spec:`. */
function podTemplate(name: string, tag: string): string {
  return `  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: registry.example/${name}:${tag}
`;
}

/** The shape of Argo's blue-green example (written here as YAML a user would), with a name of our own. */
function blueGreenRollout(name: string, preAnalysis?: string): string {
  const pre = preAnalysis
    ? `
      prePromotionAnalysis:
        templates:
        - templateName: ${preAnalysis}`
    : '';
  return manifest(
    'argoproj.io/v1alpha1',
    'Rollout',
    name,
    2,
    `  revisionHistoryLimit: 2
${podTemplate(name, 'blue')}  strategy:
    blueGreen:
      activeService: ${name}-active
      previewService: ${name}-preview
      autoPromotionEnabled: false${pre}
`,
  );
}

function service(name: string, app: string): string {
  return `kind: Service
apiVersion: v1
metadata:
  name: ${name}
spec:
  selector:
    app: ${app}
  ports:
  - protocol: TCP
    port: 80
    targetPort: 8080
`;
}

const servicesOf = (name: string) => [service(`${name}-active`, name), service(`${name}-preview`, name)];

/** A canary Rollout routed through Istio VirtualService `name` (route `primary`), Services `name-stable/-canary`. */
function istioRollout(name: string): string {
  return manifest(
    'argoproj.io/v1alpha1',
    'Rollout',
    name,
    2,
    `${podTemplate(name, '1')}  strategy:
    canary:
      canaryService: ${name}-canary
      stableService: ${name}-stable
      trafficRouting:
        istio:
          virtualService:
            name: ${name}
            routes:
            - primary
      steps:
      - setWeight: 20
      - pause: {}
`,
  );
}

function virtualService(name: string): string {
  return `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ${name}
spec:
  hosts:
  - ${name}
  http:
  - name: primary
    route:
    - destination:
        host: ${name}-stable
      weight: 100
    - destination:
        host: ${name}-canary
      weight: 0
`;
}

/** A Rollout taking its pod template from Deployment `name` (`workloadRef`). */
function workloadRefRollout(name: string): string {
  return manifest(
    'argoproj.io/v1alpha1',
    'Rollout',
    name,
    2,
    `  selector:
    matchLabels:
      app: ${name}
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  strategy:
    canary:
      steps:
      - setWeight: 50
      - pause: {}
`,
  );
}

const deployment = (name: string) => manifest('apps/v1', 'Deployment', name, 0, podTemplate(name, '1'));

function analysisTemplate(name: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: ${name}
spec:
  metrics:
  - name: error-rate
    count: 1
    successCondition: result[0] < 1
    provider:
      prometheus:
        address: ${clusterInfo().prometheusUrl}
        query: vector(0)
`;
}

/** `kubectl apply -f` of one file holding `documents` in order, as a user applies a manifest. */
async function apply(file: string, documents: string[]): Promise<void> {
  const path = join(dir, file);
  writeFileSync(path, documents.join('---\n'));
  await kubectl(['-n', env.namespace, 'apply', '-f', path]);
}

const invalidSpec = (r: RolloutObject) =>
  r.status?.conditions?.find((c) => c.type === 'InvalidSpec' && c.status === 'True');

async function heldInvalid(name: string, message: RegExp): Promise<void> {
  const r = await env.api.waitFor(name, 'InvalidSpec', (ro) => invalidSpec(ro) !== undefined);
  expect(invalidSpec(r)?.message).toMatch(message);
  expect(r.status?.phase).toBe('Degraded');
  expect(await env.api.replicaSets(name), 'nothing created while a reference is missing').toEqual([]);
}

/** Applies `documents`, then times how long until `InvalidSpec` is gone (polled every 25 ms). */
async function clearsAfterApplying(scenario: string, name: string, documents: string[]): Promise<void> {
  await apply(`${scenario.replace(/[^a-z]+/g, '-')}.yaml`, documents);
  const appliedAt = performance.now();
  await pollUntil(async () => invalidSpec(await env.api.get(name)) === undefined, {
    timeoutMs: 60_000,
    intervalMs: 25,
    description: `${name}: InvalidSpec cleared`,
  });
  const clearedMs = Math.round(performance.now() - appliedAt);
  timings.push({ scenario, clearedMs });
  expect(clearedMs, 'cleared by the watch of the applied objects, not the 20 s re-check').toBeLessThan(
    10_000,
  );
}

/** Waits until `name` is Healthy and its Service `service` (if any) selects the stable ReplicaSet's pods. */
async function healthyBehindItsService(name: string, service = `${name}-active`): Promise<void> {
  const r = await env.api.waitFor(name, 'Healthy', (ro) => ro.status?.phase === 'Healthy');
  expect(r.status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
  if (service === '') return;
  const core = env.kc.makeApiClient(CoreV1Api);
  const selected = await core.readNamespacedService({ namespace: env.namespace, name: service });
  expect(selected.spec?.selector?.['rollouts-pod-template-hash']).toBe(r.status?.stableRS);
}

beforeAll(async () => {
  env = await startEngine('late-refs');
  dir = mkdtempSync(join(tmpdir(), 'vireo-late-refs-'));
});

afterAll(async () => {
  if (timings.length > 0)
    console.log(`late references, ms after kubectl apply:\n${JSON.stringify(timings, null, 1)}`);
  rmSync(dir, { recursive: true, force: true });
  await env?.stop();
});

describe('a Rollout applied before the objects it names', () => {
  it("Argo's blue-green example in its own order, in one kubectl apply: Healthy", async () => {
    const name = 'bg-example';
    await apply('example.yaml', [blueGreenRollout(name), ...servicesOf(name)]);
    await healthyBehindItsService(name);
  });

  it('its Services applied after the Rollout was found InvalidSpec: the Rollout leaves InvalidSpec', async () => {
    const name = 'bg-late-services';
    await apply('rollout.yaml', [blueGreenRollout(name)]);
    await heldInvalid(
      name,
      new RegExp(
        `^spec\\.strategy\\.blueGreen\\.activeService: Invalid value: "${name}-active": service "${name}-active" not found`,
      ),
    );
    await clearsAfterApplying('blue-green Services applied later', name, servicesOf(name));
    await healthyBehindItsService(name);
  });

  it('a missing pre-promotion AnalysisTemplate is InvalidSpec until it is applied', async () => {
    const name = 'bg-late-template';
    const template = `${name}-smoke`;
    await apply('rollout-with-analysis.yaml', [blueGreenRollout(name, template), ...servicesOf(name)]);
    await heldInvalid(
      name,
      new RegExp(
        `^spec\\.strategy\\.blueGreen\\.prePromotionAnalysis\\.templates: Invalid value: "${template}": AnalysisTemplate '${template}' not found$`,
      ),
    );
    await clearsAfterApplying('pre-promotion AnalysisTemplate applied later', name, [
      analysisTemplate(template),
    ]);
    await healthyBehindItsService(name);
  });

  it('its Services and Istio VirtualService applied after the Rollout: the Rollout leaves InvalidSpec', async () => {
    const name = 'istio-late';
    await apply('istio-rollout.yaml', [istioRollout(name)]);
    await heldInvalid(name, /^spec\.strategy\.canary\.(canaryService|stableService|trafficRouting)/);
    const routed = [service(`${name}-stable`, name), service(`${name}-canary`, name), virtualService(name)];
    await clearsAfterApplying('canary Services and VirtualService applied later', name, routed);
    await healthyBehindItsService(name, `${name}-stable`);
  });

  it('its workloadRef Deployment applied after the Rollout: the Rollout leaves InvalidSpec', async () => {
    const name = 'workload-late';
    await apply('workload-rollout.yaml', [workloadRefRollout(name)]);
    await heldInvalid(name, /^spec\.workloadRef\.name: /);
    await clearsAfterApplying('workloadRef Deployment applied later', name, [deployment(name)]);
    await healthyBehindItsService(name, '');
  });
});
