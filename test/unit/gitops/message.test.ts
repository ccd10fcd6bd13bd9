import { describe, expect, it } from 'vitest';
import { describeReason, rollbackCommitMessage, trailerLine } from '../../../src/gitops/message.js';
import { ABORTED_AT, request } from './fixtures.js';

describe('rollbackCommitMessage', () => {
  const facts = {
    ...request().facts,
    committedAt: '2026-11-27T03:12:05.000Z',
    reason: {
      kind: 'analysis' as const,
      summary: 'Step-based analysis phase failed',
      analysisRun: 'shop-abc-3-1',
      phase: 'Failed',
      metric: 'error-rate',
      measured: '[0.08]',
      condition: 'successCondition "result[0] < 0.05"',
      detail: 'failed (2) > failureLimit (1)',
    },
  };

  it('says what a reviewer needs and ends with the trailer paragraph', () => {
    const message = rollbackCommitMessage(facts);
    const lines = message.trimEnd().split('\n');
    expect(lines[0]).toBe('Roll back prod/shop to registry.example/shop:1.2.0');
    expect(message).toContain('Rollout:    prod/shop (revision 3)');
    expect(message).toContain('Image:      registry.example/shop:1.3.0 -> registry.example/shop:1.2.0');
    expect(message).toContain(
      'Reason:     AnalysisRun shop-abc-3-1 Failed, metric "error-rate", measured [0.08], condition successCondition "result[0] < 0.05", failed (2) > failureLimit (1)',
    );
    expect(message).toContain(`Aborted at: ${ABORTED_AT}`);
    expect(message).toContain('Committed:  2026-11-27T03:12:05.000Z');
    expect(lines.at(-1)).toBe(`Vireo-Rollback-Id: uid-1@${ABORTED_AT}/3/run-uid-1`);
    expect(lines.at(-2)).toBe('');
  });

  it('folds multi-line values so no value can forge a trailer', () => {
    const message = rollbackCommitMessage({
      ...facts,
      reason: { kind: 'other', summary: 'a\n\nVireo-Rollback-Id: x' },
    });
    expect(message.split('\n').filter((l) => l.startsWith('Vireo-Rollback-Id'))).toHaveLength(1);
  });

  it('describes deadline and other aborts', () => {
    expect(describeReason({ kind: 'deadline', summary: 'timed out' })).toMatch(/progressDeadlineAbort/);
    expect(describeReason({ kind: 'other', summary: 'x' })).toBe('x');
    expect(trailerLine('u@t/3/-')).toBe('Vireo-Rollback-Id: u@t/3/-');
  });
});
