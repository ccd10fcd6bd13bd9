import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, type Finding } from '../../../scripts/architecture/check.js';
import { loadTree, runArchitectureCheck } from '../../../scripts/check-architecture.js';

const FIXTURE = join(import.meta.dirname, 'fixture');
const errorsOf = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');
const file = (path: string, text: string) => ({ path, text });

describe('the architecture check of npm run lint (scripts/check-architecture.ts)', () => {
  it('fails on the planted fixture: a planner file importing the kube client, an adapter and the clock', () => {
    const lines: string[] = [];
    expect(runArchitectureCheck(FIXTURE, (line) => lines.push(line))).toBe(1);
    const errors = errorsOf(checkArchitecture(loadTree(FIXTURE)));
    expect(errors.map((f) => [f.path, f.line, f.rule])).toEqual([
      ['src/rollout/plan/imports-kube-client.ts', 1, 'purity'],
      ['src/rollout/plan/imports-kube-client.ts', 2, 'layer'],
      ['src/rollout/plan/imports-kube-client.ts', 10, 'purity'],
    ]);
    expect(errors[0]?.message).toBe('pure core module imports @kubernetes/client-node');
    expect(errors[1]?.message).toMatch(/^core module imports adapter module src\/kube\/client\.ts/);
    expect(lines.at(-1)).toBe('architecture: 3 errors, 0 warnings');
  });

  it.each([
    ['src/api/x.ts', "import { readFileSync } from 'node:fs';", 'purity'],
    ['src/traffic/istio/edit.ts', "import { clock } from '../../util/clock.js';", 'purity'],
    ['src/analysis/core/x.ts', 'export const t = setTimeout(() => {}, 1);', 'purity'],
    ['src/rollout/core/x.ts', 'export const env = process.env.HOME;', 'purity'],
    ['src/rollout/core/x.ts', "import { plan } from '../reconcile/reconciler.js';", 'layer'],
    ['src/analysis/reconcile/x.ts', "import { r } from '../../rollout/reconcile/reconciler.js';", 'layer'],
    ['src/traffic/x.ts', "import { p } from '../rollout/plan/traffic.js';", 'layer'],
    ['src/rollout/reconcile/x.ts', "import { r } from '../../traffic/create-routers.js';", 'layer'],
    ['src/cli/x.ts', "import { w } from '../rollout/reconcile/workload-watch.js';", 'layer'],
    ['src/util/x.ts', "import { a } from '../api/index.js';", 'layer'],
    ['src/cli/kube.ts', "import { WORKLOAD_RESOURCES } from '../kube/client.js';", 'layer'],
    ['src/cli/view/x.ts', "export { Watch } from '@kubernetes/client-node';", 'layer'],
    ['src/newfeature/x.ts', 'export const x = 1;', 'unmapped'],
    ['scripts/long.ts', 'export const x = 1;\n'.repeat(501), 'max-lines'],
  ])('refuses %s: %s (%s)', (path, text, rule) => {
    expect(errorsOf(checkArchitecture([file(path, text)])).map((f) => f.rule)).toEqual([rule]);
  });

  it.each([
    ['src/rollout/plan/x.ts', "import { c } from '../../traffic/desired-traffic.js';"],
    ['src/rollout/reconcile/x.ts', "import { k } from '../../kube/client.js';"],
    ['src/compose.ts', "import { r } from './traffic/create-routers.js';"],
    ['src/rollout/core/x.ts', 'export const at = (ms: number) => new Date(ms);'],
    ['src/cli/kube.ts', "import type { KubeClient } from '../kube/client.js';"],
    ['src/cli/connect.ts', "export const load = () => import('../kube/client.js');"],
    ['src/cli/watch-client.ts', "export { Watch } from '@kubernetes/client-node';"],
  ])('allows %s: %s', (path, text) => {
    expect(errorsOf(checkArchitecture([file(path, text)]))).toEqual([]);
  });

  it('warns, without failing, above 300 lines', () => {
    const findings = checkArchitecture([file('test/long.ts', 'export const x = 1;\n'.repeat(301))]);
    expect(findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'max-lines']]);
  });
});
