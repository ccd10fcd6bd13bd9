import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  comparisonRows,
  markdownCounts,
  markdownTable,
  type SuiteRun,
  suiteCounts,
} from '../../conformance/report.js';
import { listSuiteTests, SUITES, selectSuites, selectTests } from '../../conformance/suites.js';

const RUNS: SuiteRun[] = [
  {
    suite: 'Canary',
    controller: 'argo',
    seconds: 10,
    results: [
      { test: 'TestA', status: 'pass', seconds: 3 },
      { test: 'TestB', status: 'pass', seconds: 4 },
      { test: 'TestC', status: 'fail', seconds: 5, failure: 'calls the internet' },
    ],
  },
  {
    suite: 'Canary',
    controller: 'vireo',
    seconds: 12,
    results: [
      { test: 'TestA', status: 'pass', seconds: 2 },
      { test: 'TestB', status: 'fail', seconds: 90, failure: 'a | b' },
      { test: 'TestC', status: 'timeout', failure: 'stopped after 900 s' },
    ],
  },
];

describe('conformance report', () => {
  it('counts per suite what passes with each controller and what only Argo passes', () => {
    expect(suiteCounts(comparisonRows(RUNS))).toEqual([
      { suite: 'Canary', tests: 3, argoPass: 2, vireoPass: 1, argoOnly: 1 },
    ]);
  });

  it('prints one row per test with both results and the first failures', () => {
    const table = markdownTable(comparisonRows(RUNS)).split('\n');
    expect(table[2]).toBe('| Canary | TestA | pass 3s | pass 2s |  |');
    expect(table[3]).toBe('| Canary | TestB | pass 4s | FAIL 90s | vireo: a \\| b |');
    expect(table[4]).toBe(
      '| Canary | TestC | FAIL 5s | TIMEOUT | vireo: stopped after 900 s · argo: calls the internet |',
    );
    expect(markdownCounts(suiteCounts(comparisonRows(RUNS)))).toContain('| **all** | 3 | 2 | 1 | 1 |');
  });
});

const e2eDir = mkdtempSync(join(tmpdir(), 'vireo-e2e-src-'));
afterAll(() => rmSync(e2eDir, { recursive: true, force: true }));

describe('suite selection', () => {
  it('lists a suite’s methods from the Go sources through the receiver suite.Run names', () => {
    writeFileSync(
      join(e2eDir, 'canary_test.go'),
      [
        'type CanarySuite struct{ fixtures.E2ESuite }',
        'func TestCanarySuite(t *testing.T) {',
        '\tsuite.Run(t, new(CanarySuite))',
        '}',
        'func (s *CanarySuite) SetupSuite() {}',
        'func (s *CanarySuite) TestOne() {}',
        'func (s *OtherSuite) TestNotMine() {}',
        'func (s *CanarySuite) TestTwo() {}',
      ].join('\n'),
    );
    const canary = SUITES.find((s) => s.name === 'Canary');
    if (!canary) throw new Error('no Canary suite');
    expect(listSuiteTests(e2eDir, canary)).toEqual(['TestOne', 'TestTwo']);
    expect(selectTests(['TestOne', 'TestTwo'], 'Two$')).toEqual(['TestTwo']);
  });

  it('chooses suites by name or Go test function and refuses a pattern that matches none', () => {
    expect(selectSuites('^(Canary|TestRollbackSuite)$').map((s) => s.name)).toEqual([
      'Canary',
      'RollbackWindow',
    ]);
    expect(selectSuites(undefined)).toHaveLength(SUITES.length);
    expect(selectSuites('^(APISIX|AppMesh)$').map((s) => s.goTest)).toEqual([
      'TestAPISIXSuite',
      'TestAppMeshSuite',
    ]);
    expect(() => selectSuites('Nope')).toThrow(/matches no suite/);
  });
});
