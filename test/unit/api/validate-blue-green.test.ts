import { describe, expect, it } from 'vitest';
import { validateBlueGreen } from '../../../src/api/validate-blue-green.js';

const path = ['spec', 'strategy', 'blueGreen'];

describe('validateBlueGreen', () => {
  it('accepts a complete strategy', () => {
    const analysis = { templates: [{ templateName: 'smoke' }] };
    const bg = {
      activeService: 'a',
      previewService: 'p',
      previewReplicaCount: 1,
      autoPromotionSeconds: 30,
      prePromotionAnalysis: analysis,
      postPromotionAnalysis: analysis,
    };
    expect(validateBlueGreen(bg, path)).toEqual([]);
  });

  it('names the field of each mistake', () => {
    const bg = { activeService: 'a', previewService: 'a', previewReplicaCount: 0, scaleDownDelaySeconds: -1 };
    expect(validateBlueGreen(bg, path).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'spec.strategy.blueGreen.previewService: must differ from activeService',
      'spec.strategy.blueGreen.previewReplicaCount: must be at least 1, got 0',
      'spec.strategy.blueGreen.scaleDownDelaySeconds: must not be negative, got -1',
    ]);
  });
});
