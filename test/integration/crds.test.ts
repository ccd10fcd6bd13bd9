import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRollout } from '../../src/api/index.js';
import { adminKubeConfig, clusterInfo } from './support/cluster.js';
import { applyServerSide, createNamespace, deleteNamespace, parseManifests } from './support/objects.js';

const repoRoot = join(import.meta.dirname, '..', '..');

type Obj = KubernetesObject & Record<string, unknown>;
/** A manifest edited freely by the tests below. */
// biome-ignore lint/suspicious/noExplicitAny: manifests are edited freely; the API server is what is under test
type Loose = Record<string, any>;

function readManifests(relative: string): Obj[] {
  return parseManifests(readFileSync(join(repoRoot, relative), 'utf8')) as Obj[];
}

function inNamespace(objects: Obj[], namespace: string): Obj[] {
  return objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
}

function exampleFiles(): string[] {
  return readdirSync(join(repoRoot, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `examples/${f}`);
}

/**
 * Installs crds/ through its kustomization with kubectl server-side apply. Not through
 * @kubernetes/client-node: its typed serializer drops every `x-kubernetes-*` key of a CRD schema
 * reached through `properties` (it reads `x_kubernetes_int_or_string`, not the JSON name), which turns
 * int-or-string fields into a 422 and silently loses preserve-unknown-fields and CEL rules.
 */
function installCrdsWithKubectl(): void {
  const { kubectlPath, kubeconfigPath } = clusterInfo();
  const args = ['--kubeconfig', kubeconfigPath, 'apply', '--server-side', '--force-conflicts'];
  execFileSync(kubectlPath, [...args, '--field-manager=vireo-test', '-k', join(repoRoot, 'crds')], {
    stdio: 'pipe',
  });
}

async function waitEstablished(kc: KubeConfig, names: string[]): Promise<void> {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + 30_000;
  for (const name of names) {
    for (;;) {
      const crd = await ext.readCustomResourceDefinition({ name });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * How the API server answers a create (POST) of `object`: `undefined` if it stored it, else the status
 * code and message. Create, not server-side apply: apply reports type mismatches as a 500 from building
 * the typed patch, whereas create runs the CRD's OpenAPI validation and answers 422 Invalid. With
 * `update`, the object is server-side applied over an existing one (for transition rules).
 */
async function rejection(
  kc: KubeConfig,
  object: Obj,
  update = false,
): Promise<{ code: number; body: string } | undefined> {
  try {
    const api = KubernetesObjectApi.makeApiClient(kc);
    if (update)
      await api.patch(object, undefined, undefined, 'vireo-test', true, PatchStrategy.ServerSideApply);
    else await api.create(object);
    return undefined;
  } catch (err) {
    const e = err as { code?: number; body?: unknown };
    return { code: e.code ?? 0, body: typeof e.body === 'string' ? e.body : JSON.stringify(e.body) };
  }
}

function rollout(namespace: string, name: string, edit: (spec: Loose) => void = () => {}): Obj {
  const [base] = readManifests('examples/canary-basic.yaml').filter((o) => o.kind === 'Rollout');
  const copy = structuredClone(base) as Obj & { spec: Loose };
  edit(copy.spec);
  return { ...copy, metadata: { name, namespace } };
}

describe('CRDs on the real API server', () => {
  let kc: KubeConfig;
  let namespace: string;

  beforeAll(async () => {
    kc = adminKubeConfig();
    installCrdsWithKubectl();
    const names = readdirSync(join(repoRoot, 'crds'))
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .flatMap((f) => readManifests(`crds/${f}`))
      .map((c) => c.metadata?.name ?? '');
    await waitEstablished(kc, names);
    namespace = await createNamespace(kc, 'crds');
  });

  afterAll(async () => {
    if (namespace) await deleteNamespace(kc, namespace);
  });

  it('stores the Rollout CRD with int-or-string, preserve-unknown and CEL intact', () => {
    const { kubectlPath, kubeconfigPath } = clusterInfo();
    const out = execFileSync(
      kubectlPath,
      ['--kubeconfig', kubeconfigPath, 'get', 'crd', 'rollouts.argoproj.io', '-o', 'json'],
      {
        encoding: 'utf8',
      },
    );
    const spec = JSON.parse(out).spec.versions[0].schema.openAPIV3Schema.properties.spec as Loose;
    expect(spec.properties.strategy.properties.canary.properties.maxSurge['x-kubernetes-int-or-string']).toBe(
      true,
    );
    expect(spec.properties.template['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(spec.properties.selector['x-kubernetes-validations']).toHaveLength(1);
  });

  describe.each(exampleFiles())('%s', (file) => {
    it('applies in a fresh namespace and round-trips', async () => {
      const ns = await createNamespace(kc, 'example');
      try {
        const objects = inNamespace(readManifests(file), ns);
        const applied = await applyServerSide(kc, objects);
        expect(applied).toHaveLength(objects.length);
        const api = KubernetesObjectApi.makeApiClient(kc);
        for (const obj of objects.filter((o) => o.kind === 'Rollout')) {
          const metadata = { name: obj.metadata?.name ?? '', namespace: ns };
          const stored = (await api.read({ apiVersion: obj.apiVersion, kind: obj.kind, metadata })) as Obj;
          expect(stored.spec).toEqual(obj.spec);
          expect(checkRollout(stored).issues).toEqual([]);
        }
      } finally {
        await deleteNamespace(kc, ns);
      }
    });
  });

  it('serves the scale subresource of a Rollout', async () => {
    await applyServerSide(kc, [rollout(namespace, 'scalable')]);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const ref = {
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'rollouts',
      name: 'scalable',
    };
    const scale = (await custom.getNamespacedCustomObjectScale(ref)) as { spec?: { replicas?: number } };
    expect(scale.spec?.replicas).toBe(5);
  });

  it.each([
    [
      'setWeight as a string',
      (s: Loose) => {
        s.strategy.canary.steps[0].setWeight = 'twenty';
      },
      'setWeight',
    ],
    [
      'replicas as an object',
      (s: Loose) => {
        s.replicas = { count: 3 };
      },
      'spec.replicas',
    ],
    [
      'maxSurge as a boolean',
      (s: Loose) => {
        s.strategy.canary.maxSurge = true;
      },
      'maxSurge',
    ],
    [
      'pause duration as a float',
      (s: Loose) => {
        s.strategy.canary.steps[1].pause = { duration: 1.5 };
      },
      'duration',
    ],
    [
      'steps as an object',
      (s: Loose) => {
        s.strategy.canary.steps = { setWeight: 10 };
      },
      'steps',
    ],
    [
      'missing strategy',
      (s: Loose) => {
        delete s.strategy;
      },
      'strategy',
    ],
  ])('rejects a Rollout with %s', async (_name, edit, field) => {
    const result = await rejection(kc, rollout(namespace, 'malformed', edit));
    expect(result?.code).toBe(422);
    expect(result?.body).toContain(field);
  });

  it('rejects an AnalysisTemplate metric without provider', async () => {
    const template: Obj = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'no-provider', namespace },
      spec: { metrics: [{ name: 'm', interval: '1m' }] },
    };
    const result = await rejection(kc, template);
    expect(result?.code).toBe(422);
    expect(result?.body).toContain('provider');
  });

  it('makes spec.selector immutable', async () => {
    await applyServerSide(kc, [rollout(namespace, 'immutable')]);
    const changed = rollout(namespace, 'immutable', (s: Loose) => {
      s.selector = { matchLabels: { app: 'other' } };
      s.template.metadata.labels = { app: 'other' };
    });
    const result = await rejection(kc, changed, true);
    expect(result?.code).toBe(422);
    expect(result?.body).toContain('spec.selector is immutable');
  });

  it('accepts the rendered kustomize prod overlay', async () => {
    const out = execFileSync(
      clusterInfo().kubectlPath,
      ['kustomize', join(repoRoot, 'examples/kustomize/overlays/prod')],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const objects = inNamespace(parseManifests(out) as Obj[], namespace);
    const ro = objects.find((o) => o.kind === 'Rollout') as Obj & { spec: Loose };
    const container = ro.spec.template.spec.containers[0];
    expect(ro.spec.replicas).toBe(6);
    expect(container.image).toBe('registry.example.com/prod/shop:1.3.7');
    expect(container.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { memory: '1Gi' },
    });
    expect(container.envFrom[0].configMapRef.name).toMatch(/^shop-config-[a-z0-9]{10}$/);
    expect(checkRollout(ro).issues).toEqual([]);
    const applied = await applyServerSide(kc, objects);
    expect(applied.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Rollout', 'Service', 'Service']);
  });
});
