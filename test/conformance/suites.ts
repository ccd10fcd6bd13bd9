import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One testify suite of Argo Rollouts' e2e package. */
export interface Suite {
  /** Short name used by `--suite` and in the table. */
  name: string;
  /** The Go test function that runs it. */
  goTest: string;
}

/**
 * The suites `npm run conformance` runs by default (issue 18's list, and issue 20's AWS, APISIX and App Mesh
 * suites, whose CRDs the environment installs: the AWS suite's ALB tests check the Ingress annotations only;
 * those needing E2E_ALB_INGESS_ANNOTATIONS, a real load balancer, skip). Argo's SMI suites detect SMI by
 * listing TrafficSplits v1alpha1, which no upstream `apiextensions.k8s.io/v1` CRD serves, so they would skip
 * on both controllers; step plugins are not offered.
 */
export const SUITES: readonly Suite[] = [
  { name: 'Functional', goTest: 'TestFunctionalSuite' },
  { name: 'Canary', goTest: 'TestCanarySuite' },
  { name: 'Analysis', goTest: 'TestAnalysisSuite' },
  { name: 'BlueGreen', goTest: 'TestBlueGreenSuite' },
  { name: 'Istio', goTest: 'TestIstioSuite' },
  { name: 'RollbackWindow', goTest: 'TestRollbackSuite' },
  { name: 'HeaderRouting', goTest: 'TestHeaderRoutingSuite' },
  { name: 'MirrorRoute', goTest: 'TestMirrorRouteSuite' },
  { name: 'Experiment', goTest: 'TestExperimentSuite' },
  { name: 'AWS', goTest: 'TestAWSSuite' },
  { name: 'APISIX', goTest: 'TestAPISIXSuite' },
  { name: 'AppMesh', goTest: 'TestAppMeshSuite' },
];

/** The suites whose name or Go test function matches `pattern` (all when it is undefined). */
export function selectSuites(pattern: string | undefined): Suite[] {
  if (!pattern) return [...SUITES];
  const re = new RegExp(pattern);
  const chosen = SUITES.filter((s) => re.test(s.name) || re.test(s.goTest));
  if (chosen.length === 0) {
    throw new Error(`--suite ${pattern} matches no suite (known: ${SUITES.map((s) => s.name).join(', ')})`);
  }
  return chosen;
}

/**
 * The test methods of `suite`, in source order, read from the e2e package's Go files: the receiver type is
 * the one `suite.Run(t, new(X))` names inside `goTest`, its methods are `func (s *X) TestY(`.
 */
export function listSuiteTests(e2eDir: string, suite: Suite): string[] {
  const sources = readdirSync(e2eDir)
    .filter((f) => f.endsWith('_test.go'))
    .sort()
    .map((f) => readFileSync(join(e2eDir, f), 'utf8'));
  const runner = new RegExp(
    `func ${suite.goTest}\\(t \\*testing\\.T\\) \\{\\s*suite\\.Run\\(t, new\\((\\w+)\\)\\)`,
  );
  const receiver = sources.map((src) => src.match(runner)?.[1]).find(Boolean);
  if (!receiver) throw new Error(`${suite.goTest} not found in ${e2eDir}`);
  const method = new RegExp(`^func \\(\\w+ \\*${receiver}\\) (Test\\w+)\\(`, 'gm');
  return sources.flatMap((src) => [...src.matchAll(method)].map((m) => m[1] ?? ''));
}

/** The tests of `suite` whose method name matches `pattern` (all when undefined). */
export function selectTests(tests: readonly string[], pattern: string | undefined): string[] {
  if (!pattern) return [...tests];
  const re = new RegExp(pattern);
  return tests.filter((t) => re.test(t));
}
