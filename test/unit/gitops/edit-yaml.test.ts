import { describe, expect, it } from 'vitest';
import { parseFieldPath, rollBackImage } from '../../../src/gitops/edit-yaml.js';

const FROM = 'registry.example/shop:1.3.0';
const TO = 'registry.example/shop:1.2.0';

const kustomization = `# the shop overlay
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - rollout.yaml # the Rollout
images:
  - name: other
    newTag: "9.9"
  - name: registry.example/shop # bumped by CI
    newTag: "1.3.0"
`;

describe('rollBackImage: kustomize images entry', () => {
  it('sets newTag and keeps every comment, quote and other entry', () => {
    const out = rollBackImage(
      kustomization,
      { kind: 'kustomize', imageName: 'registry.example/shop' },
      FROM,
      TO,
    );
    expect(out).toEqual({
      kind: 'changed',
      found: FROM,
      content: kustomization.replace('"1.3.0"', '"1.2.0"'),
    });
  });

  it('is unchanged when the entry already names the stable image', () => {
    const text = kustomization.replace('"1.3.0"', '"1.2.0"');
    expect(rollBackImage(text, { kind: 'kustomize', imageName: 'registry.example/shop' }, FROM, TO)).toEqual({
      kind: 'unchanged',
    });
  });

  it('refuses (conflict) when someone already moved the entry to a third version', () => {
    const text = kustomization.replace('"1.3.0"', '"1.4.0"');
    expect(rollBackImage(text, { kind: 'kustomize', imageName: 'registry.example/shop' }, FROM, TO)).toEqual({
      kind: 'conflict',
      found: 'registry.example/shop:1.4.0',
    });
  });

  it('replaces a digest with a tag, and keeps newName in step when the entry renames', () => {
    const text = 'images:\n  - name: shop\n    newName: registry.example/shop\n    digest: sha256:aaa\n';
    const out = rollBackImage(
      text,
      { kind: 'kustomize', imageName: 'shop' },
      'registry.example/shop@sha256:aaa',
      TO,
    );
    expect(out).toMatchObject({ kind: 'changed' });
    if (out.kind === 'changed')
      expect(out.content).toBe(
        'images:\n  - name: shop\n    newName: registry.example/shop\n    newTag: 1.2.0\n',
      );
  });

  it('names the missing entry', () => {
    expect(rollBackImage(kustomization, { kind: 'kustomize', imageName: 'nope' }, FROM, TO)).toEqual({
      kind: 'invalid',
      message: 'no images entry named "nope"',
    });
  });

  it('reports invalid YAML instead of throwing', () => {
    const out = rollBackImage('images: [\n', { kind: 'kustomize', imageName: 'x' }, FROM, TO);
    expect(out.kind).toBe('invalid');
  });
});

describe('rollBackImage: field path', () => {
  const manifest = `apiVersion: v1
kind: ConfigMap
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
spec:
  template:
    spec:
      containers:
        - name: sidecar
          image: proxy:1
        - name: app
          image: 'registry.example/shop:1.3.0' # keep me
`;

  it('edits the first document where the path resolves, keeping quotes and comments', () => {
    const out = rollBackImage(
      manifest,
      { kind: 'field', path: 'spec.template.spec.containers[name=app].image' },
      FROM,
      TO,
    );
    expect(out).toEqual({
      kind: 'changed',
      found: FROM,
      content: manifest.replace('shop:1.3.0', 'shop:1.2.0'),
    });
  });

  it('accepts numeric indexes', () => {
    const out = rollBackImage(
      manifest,
      { kind: 'field', path: 'spec.template.spec.containers[1].image' },
      FROM,
      TO,
    );
    expect(out.kind).toBe('changed');
  });

  it('refuses a path that resolves nowhere', () => {
    const out = rollBackImage(
      manifest,
      { kind: 'field', path: 'spec.template.spec.containers[name=x].image' },
      FROM,
      TO,
    );
    expect(out.kind).toBe('invalid');
  });
});

describe('parseFieldPath', () => {
  it('parses keys, indexes and matches', () => {
    expect(parseFieldPath('a.b[0].c[name=app].image')).toEqual([
      { kind: 'key', key: 'a' },
      { kind: 'key', key: 'b' },
      { kind: 'index', index: 0 },
      { kind: 'key', key: 'c' },
      { kind: 'match', key: 'name', value: 'app' },
      { kind: 'key', key: 'image' },
    ]);
  });

  it('rejects malformed paths', () => {
    expect(parseFieldPath('')).toBeUndefined();
    expect(parseFieldPath('.a')).toBeUndefined();
    expect(parseFieldPath('a[')).toBeUndefined();
  });
});
