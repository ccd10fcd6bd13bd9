import { describe, expect, it } from 'vitest';
import { GIT_EVENT, outcomeRecord } from '../../../src/gitops/record.js';
import { ABORTED_AT, request } from './fixtures.js';

describe('outcomeRecord', () => {
  it('records a new commit and a found one the same way, saying which', () => {
    const committed = outcomeRecord(request(), {
      kind: 'committed',
      sha: 'abc',
      branch: 'main',
      attempts: 2,
    });
    expect(committed).toEqual({
      abortedAt: ABORTED_AT,
      abortId: request().facts.abortId,
      commit: 'abc',
      branch: 'main',
      event: {
        type: 'Normal',
        reason: GIT_EVENT.committed,
        message:
          'Committed abc to file:///repo.git main (kustomization.yaml: registry.example/shop:1.3.0 -> registry.example/shop:1.2.0)',
      },
    });
    const found = outcomeRecord(request(), { kind: 'found', sha: 'abc', branch: 'main' });
    expect(found.commit).toBe('abc');
    expect(found.event.message).toMatch(/^Found abc already on/);
  });

  it('settles an unchanged file without a commit, and a refused one with a Warning and the error', () => {
    expect(outcomeRecord(request(), { kind: 'unchanged', branch: 'main' })).toMatchObject({
      abortedAt: ABORTED_AT,
      branch: 'main',
      event: { type: 'Normal', reason: GIT_EVENT.unchanged },
    });
    const refused = outcomeRecord(request(), { kind: 'refused', message: 'x names 1.4.0' });
    expect(refused).toMatchObject({
      error: 'x names 1.4.0',
      event: { type: 'Warning', reason: GIT_EVENT.failed },
    });
    expect(refused.commit).toBeUndefined();
  });
});
