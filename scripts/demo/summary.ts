import { join } from 'node:path';
import { repoRoot } from '../../harness/crds.js';
import type { EnvironmentInfo } from '../../harness/environment.js';
import type { DemoResult, ScenarioName } from './scenario.js';

/** What the summary needs. */
export interface SummaryInput {
  result: DemoResult;
  scenario: ScenarioName;
  namespace: string;
  /** The local environment; without it (an existing cluster) there are no "inspect it" lines. */
  info?: EnvironmentInfo;
  controllerLog?: string;
  /** The environment is stopped at the end (--teardown): no "inspect it" lines. */
  teardown?: boolean;
}

/** The closing lines: what happened, the latency from `failureLimit` to stable traffic, how to look and stop. */
export function demoSummary(s: SummaryInput): string[] {
  const { crossedAt, stableBackAt } = s.result.milestones;
  const paused =
    s.scenario === 'pause'
      ? [
          'Paused, not rolled back: the failed analysis sent traffic back to v1.1.0 and kept v1.2.0’s pods (vireo.dev/analysis-failure-action: pause);',
          '  the operator then aborted, and the abort finished as the rollback below.',
        ]
      : [];
  const lines =
    s.scenario !== 'healthy'
      ? [
          ...paused,
          'Result: v1.2.0 was rolled back automatically; v1.1.0 serves 100% of the traffic.',
          crossedAt !== undefined && stableBackAt !== undefined
            ? `  failureLimit crossed → stable traffic 100%: ${stableBackAt - crossedAt} ms (as observed by the demo's watches)`
            : '',
          s.result.rollbackCommit
            ? `  rollback commit: ${s.result.rollbackCommit.sha.slice(0, 8)} "${s.result.rollbackCommit.subject}"`
            : '',
        ]
      : ['Result: v1.2.0 passed its analysis and was promoted to 100% of the traffic.'];
  if (s.teardown || !s.info) return lines.filter(Boolean);
  return [
    ...lines.filter(Boolean),
    '',
    'Inspect it (the environment is still running):',
    `  export KUBECONFIG=${s.info.kubeconfigPath}`,
    `  export PATH=${join(repoRoot, 'bin')}:$PATH`,
    `  kubectl vireo get rollout shop -n ${s.namespace} --watch`,
    `  git --git-dir ${s.result.repo.bareDir} log --stat -3`,
    `  controller log: ${s.controllerLog}`,
    '',
    'Stop everything:  npm run env:down',
  ];
}
