import { describe, expect, it } from 'vitest';
import { firstFailure, GoTestOutput } from '../../conformance/go-test-output.js';

const SAMPLE = `=== RUN   TestCanarySuite
time="2026-12-07T02:10:00Z" level=info msg="Deleting e2e-test-name=TestA"
=== RUN   TestCanarySuite/TestA
time="2026-12-07T02:10:01Z" level=info msg="Rollout created"
=== RUN   TestCanarySuite/TestA/sub-step
    --- PASS: TestCanarySuite/TestA/sub-step (0.50s)
    --- PASS: TestCanarySuite/TestA (12.34s)
=== RUN   TestCanarySuite/TestB
time="2026-12-07T02:10:20Z" level=info msg="Waiting for condition"
    common.go:203: Could not find ReplicaSet with revision: 2
time="2026-12-07T02:10:21Z" level=error msg="later error"
    --- FAIL: TestCanarySuite/TestB (1.00s)
=== RUN   TestCanarySuite/TestC
    canary_test.go:88:
        \tError Trace:\t/go/canary_test.go:88
        \tError:      \tNot equal:
        \t            \texpected: 2
        \t            \tactual  : 1
        \tTest:       \tTestCanarySuite/TestC
        \tMessages:   \treplicas
    --- FAIL: TestCanarySuite/TestC (3.00s)
=== RUN   TestCanarySuite/TestD
time="2026-12-07T02:11:00Z" level=error msg="kubectl apply of Rollout bad failed: The Rollout \\"bad\\" is invalid"
    --- FAIL: TestCanarySuite/TestD (0.20s)
=== RUN   TestCanarySuite/TestE
    --- SKIP: TestCanarySuite/TestE (0.00s)
=== RUN   TestCanarySuite/TestF
time="2026-12-07T02:12:00Z" level=info msg="waiting"
`;

describe('GoTestOutput', () => {
  it('reads each method of the suite with its verdict, time and first failure', () => {
    const parser = new GoTestOutput('TestCanarySuite');
    for (const chunk of SAMPLE.match(/[\s\S]{1,37}/g) ?? []) parser.push(chunk);
    parser.end();
    expect(parser.results()).toEqual([
      { test: 'TestA', status: 'pass', seconds: 12.34 },
      { test: 'TestB', status: 'fail', seconds: 1, failure: 'Could not find ReplicaSet with revision: 2' },
      { test: 'TestC', status: 'fail', seconds: 3, failure: 'Not equal: expected: 2 actual : 1 replicas' },
      {
        test: 'TestD',
        status: 'fail',
        seconds: 0.2,
        failure: 'kubectl apply of Rollout bad failed: The Rollout "bad" is invalid',
      },
      { test: 'TestE', status: 'skip', seconds: 0 },
    ]);
    expect(parser.current).toBe('TestF');
  });

  it('records the unfinished method when the runner stops the binary', () => {
    const parser = new GoTestOutput('TestCanarySuite');
    parser.push(SAMPLE);
    expect(parser.interrupt('timeout', 'stopped after 900 s')).toBe('TestF');
    expect(parser.results().at(-1)).toEqual({
      test: 'TestF',
      status: 'timeout',
      failure: 'stopped after 900 s',
    });
    expect(parser.current).toBeUndefined();
  });

  it('reads test2json framing (^V-marked lines)', () => {
    const parser = new GoTestOutput('TestCanarySuite');
    parser.push(
      '\u0016=== RUN   TestCanarySuite/TestA\nlog line\n\u0016--- PASS: TestCanarySuite/TestA (2.00s)\n',
    );
    expect(parser.results()).toEqual([{ test: 'TestA', status: 'pass', seconds: 2 }]);
  });

  it('adds the failed Rollout’s status message the fixture printed', () => {
    const parser = new GoTestOutput('TestCanarySuite');
    parser.push(
      [
        '=== RUN   TestCanarySuite/TestA',
        '    common.go:167: Could not find ReplicaSet with revision: 1',
        'Name:            dynamic-stable-scale',
        'Message:         InvalidSpec: trafficRouting.alb is not supported',
        '--- FAIL: TestCanarySuite/TestA (2.00s)',
        '',
      ].join('\n'),
    );
    expect(parser.results()[0]?.failure).toBe(
      'Could not find ReplicaSet with revision: 1 [rollout: InvalidSpec: trafficRouting.alb is not supported]',
    );
  });

  it('ignores other suites and the suite line itself', () => {
    const parser = new GoTestOutput('TestIstioSuite');
    parser.push(SAMPLE);
    parser.end();
    expect(parser.results()).toEqual([]);
  });
});

describe('firstFailure', () => {
  it('takes a panic when nothing else explains the failure', () => {
    expect(firstFailure(['panic: runtime error: index out of range [recovered]'])).toBe(
      'panic: runtime error: index out of range [recovered]',
    );
  });

  it('shortens long messages to one line', () => {
    const message = firstFailure([`    when.go:555: ${'x'.repeat(500)}`]);
    expect(message?.length).toBe(400);
  });
});
