import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseSimpleYaml, Unsupported } from '../../../src/cli/simple-yaml.js';

const KUBECTL_STYLE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PQ==
    server: https://127.0.0.1:6443
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    namespace: shop   # the team's namespace
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    token: "abc.def\\"ghi"
    tokenFile: '/var/run/it''s'
    insecure: true
    port: 6443
    empty:
`;

const INDENTED_SEQUENCES = `# written by hand
---
clusters:
  - name: a
    cluster:
      server: https://a.example:443
  -   name: b
      cluster: {}
users: []
`;

describe('parseSimpleYaml reads what kubectl writes exactly as the yaml package does', () => {
  it.each([
    ['kubectl style', KUBECTL_STYLE],
    ['indented sequences', INDENTED_SEQUENCES],
    ['empty', ''],
  ])('%s', (_, text) => {
    expect(parseSimpleYaml(text)).toEqual(parse(text));
  });

  it.each([
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['a unicode escape', 'a: "\\u00e9"\n'],
    ['YAML 1.1 booleans', 'a: True\n'],
    ['an octal-looking number', 'a: 0o17\n'],
    ['a nested sequence', 'a:\n- - 1\n'],
    ['a __proto__ key', '__proto__: 1\n'],
  ])('refuses %s instead of guessing', (_, text) => {
    expect(() => parseSimpleYaml(text)).toThrow(Unsupported);
  });

  const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.stringMatching(/^[a-z][a-z0-9:/.#-]{0,12}$/),
    fc.constantFrom('https://127.0.0.1:6443', 'null', 'true', '1', ''),
  );
  const leaf = fc.oneof(text, fc.boolean(), fc.integer(), fc.constant(null));
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('map'), tie('seq')),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    seq: fc.array(tie('node'), { maxLength: 3 }),
  }));

  it('either agrees with the yaml package or refuses (property)', () => {
    let agreed = 0;
    fc.assert(
      fc.property(tree.map, fc.integer({ min: 2, max: 4 }), fc.boolean(), (doc, indent, indentSeq) => {
        const source = stringify(doc, { indent, indentSeq });
        try {
          expect(parseSimpleYaml(source)).toEqual(parse(source));
          agreed++;
        } catch (err) {
          if (!(err instanceof Unsupported)) throw err;
        }
      }),
      { numRuns: 100 },
    );
    expect(agreed).toBeGreaterThan(30);
  }, 30_000);
});
