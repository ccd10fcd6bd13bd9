import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  crdDocuments,
  matchFiles,
  moduleVersion,
  UPSTREAM_CRDS,
  upstreamCrdFiles,
} from '../../../harness/upstream-crds.js';
import { cacheDir, pinnedVersions } from '../../../harness/versions.js';

const dir = mkdtempSync(join(tmpdir(), 'vireo-crd-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upstream CRDs', () => {
  it('pins every source in versions.env and keeps at least what the routers and Argo e2e need', () => {
    for (const source of UPSTREAM_CRDS) expect(moduleVersion(source)).toMatch(/@v\d+\.\d+\.\d+$/);
    const names = UPSTREAM_CRDS.flatMap((s) => s.crds);
    for (const needed of [
      'virtualservices.networking.istio.io',
      'destinationrules.networking.istio.io',
      'gateways.networking.istio.io',
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
    ]) {
      expect(names).toContain(needed);
    }
  });

  it('caches each CRD as <cache>/crds/<module>@<version>/<name>.yaml', () => {
    const v = pinnedVersions();
    const expected = join(
      cacheDir(),
      'crds',
      `istio.io/api@${v.ISTIO_API_VERSION}`,
      'virtualservices.networking.istio.io.yaml',
    );
    expect(upstreamCrdFiles()).toContain(expected);
  });

  it('matches files by a * in the last path segment only, sorted', () => {
    mkdirSync(join(dir, 'config', 'crd', 'standard'), { recursive: true });
    for (const f of ['b_routes.yaml', 'a_gateways.yaml', 'notes.md']) {
      writeFileSync(join(dir, 'config', 'crd', 'standard', f), '');
    }
    expect(matchFiles(dir, 'config/crd/standard/*.yaml').map((f) => f.slice(dir.length + 1))).toEqual([
      'config/crd/standard/a_gateways.yaml',
      'config/crd/standard/b_routes.yaml',
    ]);
    expect(matchFiles(dir, 'config/crd/standard/notes.md')).toHaveLength(1);
    expect(matchFiles(dir, 'missing/*.yaml')).toEqual([]);
  });

  it('picks the CustomResourceDefinition documents out of a multi-document file, verbatim', () => {
    const text = [
      '# generated',
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: a.example.com',
      'spec: {group: example.com}',
      '---',
      'apiVersion: admissionregistration.k8s.io/v1',
      'kind: ValidatingAdmissionPolicy',
      'metadata: {name: safe-upgrades}',
      '---',
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: b.example.com}',
      '',
    ].join('\n');
    const docs = crdDocuments(text);
    expect([...docs.keys()]).toEqual(['a.example.com', 'b.example.com']);
    expect(docs.get('a.example.com')).toContain('spec: {group: example.com}');
    expect(docs.get('b.example.com')).toContain('metadata: {name: b.example.com}');
    expect(docs.get('b.example.com')).not.toContain('ValidatingAdmissionPolicy');
  });
});
