import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { formatProblem, lintText } from '../../../src/cli/lint/lint.js';
import { lineOfPath, parseFieldPath } from '../../../src/cli/lint/yaml-lines.js';

describe('field paths', () => {
  it.each([
    ['spec.strategy.canary.steps[2].setWeight', ['spec', 'strategy', 'canary', 'steps', 2, 'setWeight']],
    ['spec.plugins["argoproj-labs/gatewayAPI"].x', ['spec', 'plugins', 'argoproj-labs/gatewayAPI', 'x']],
    ['', []],
    ['.bad', undefined],
    ['a b', undefined],
  ])('%s', (path, expected) => {
    expect(parseFieldPath(path)).toEqual(expected);
  });
});

const TEXT = `# leading comment
spec:
  strategy:
    canary:
      steps:
        - setWeight: 20
        - pause: {}
        - setWeight: 150
  plugins:
    "argoproj-labs/gatewayAPI":
      httpRoute: x
`;

describe('lineOfPath', () => {
  const lines = new LineCounter();
  const doc = parseDocument(TEXT, { lineCounter: lines });
  it.each([
    ['spec.strategy.canary.steps[2].setWeight', 8],
    ['spec.strategy.canary.steps[1]', 7],
    ['spec.strategy.canary.steps[1].pause.duration', 7],
    ['spec.plugins["argoproj-labs/gatewayAPI"].httpRoute', 11],
    ['spec.selector', 2],
    ['', 2],
  ])('%s → line %i', (path, line) => {
    expect(lineOfPath(doc, path, lines)).toBe(line);
  });
});

const MANIFESTS = `apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: "3"
  strategy: {canary: {}}
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: rate
spec:
  metrics:
    - name: errors
      provider:
        prometheus: {address: http://p, query: up}
      successCondition: "result[0] < 1"
      interval: soon
`;

describe('lintText', () => {
  it('checks Rollouts and AnalysisTemplates in a multi-document file, skipping other kinds', () => {
    const { problems, checked } = lintText('m.yaml', MANIFESTS);
    expect(checked).toBe(2);
    expect(problems.map(formatProblem)[0]).toBe(
      'm.yaml:10: spec.replicas: must be a number, got the string "3"',
    );
    expect(problems[1]).toMatchObject({ line: 23, path: 'spec.metrics[0].interval' });
  });

  it('reports YAML syntax errors with their line', () => {
    const { problems } = lintText('bad.yaml', 'kind: Rollout\nspec:\n  a: [1\n');
    expect(problems[0]).toMatchObject({ file: 'bad.yaml', path: 'yaml' });
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('compiles conditions, checks argument tags and web URL schemes, with file and line', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: checks
spec:
  args:
    - name: limit
  metrics:
    - name: syntax
      provider:
        prometheus: {address: http://p, query: up}
      successCondition: "result[0] <"
    - name: with-args
      provider:
        prometheus: {address: http://p, query: up}
      successCondition: "result[0] < {{args.limit}}"
      failureCondition: "result[0] >= {{ args.limit }} && result[0] ≤ 2"
    - name: undeclared
      provider:
        prometheus: {address: "http://p", query: "rate(x[{{args.window}}])"}
    - name: file-url
      provider:
        web: {url: "file:///etc/passwd"}
    - name: templated-url
      provider:
        web: {url: "{{args.limit}}"}
`;
    const { problems } = lintText('t.yaml', text);
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [12, 'spec.metrics[0].successCondition'],
      [17, 'spec.metrics[1].failureCondition'],
      [18, 'spec.metrics[2]'],
      [23, 'spec.metrics[3].provider.web.url'],
    ]);
    expect(problems[1]?.message).toContain('column');
    expect(problems[2]?.message).toContain('args.window');
    expect(problems[3]?.message).toContain('file:');
  });

  it('leaves argument tags to the merged templates when spec.templates pulls others in', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: part}
spec:
  templates: [{templateName: base}]
  metrics:
    - name: m
      provider: {prometheus: {address: "http://p", query: "x{{args.fromBase}}"}}
`;
    expect(lintText('p.yaml', text).problems).toEqual([]);
  });
});

describe('lintText on Experiments', () => {
  it('checks Experiments with the controller validation, with file and line', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Experiment
metadata:
  name: exp
spec:
  duration: soon
  templates:
    - name: canary
      selector: {matchLabels: {app: other}}
      template:
        metadata: {labels: {app: canary}}
        spec: {containers: [{name: c, image: img}]}
    - name: canary
      selector: {}
      template:
        spec: {containers: [{name: c, image: img}]}
`;
    const { problems, checked } = lintText('exp.yaml', text);
    expect(checked).toBe(1);
    expect(problems.map(formatProblem)).toEqual([
      'exp.yaml:13: spec.templates[1].name: duplicate template name "canary"',
      'exp.yaml:9: spec.templates[0].selector: does not match the labels of template.metadata.labels',
      'exp.yaml:14: spec.templates[1].selector: must not be empty (it would select every pod)',
      'exp.yaml:6: spec.duration: must be a duration such as 30s, 5m or 1h, got "soon"',
    ]);
  });
});
