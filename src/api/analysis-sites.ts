import type { AnalysisTemplateRef, RolloutAnalysis, RolloutAnalysisArg } from './analysis-ref.js';
import type { FieldPath } from './issues.js';
import type { Rollout } from './rollout.js';

/** Where a Rollout asks for an AnalysisRun: Argo's template types, plus the analyses of an experiment step. */
export type AnalysisSiteKind = 'prePromotion' | 'postPromotion' | 'step' | 'background' | 'experiment';

/** One template reference of an analysis site, with the path of the reference in the Rollout. */
export interface SiteTemplateRef extends AnalysisTemplateRef {
  path: FieldPath;
}

/**
 * One place in a Rollout spec that creates AnalysisRuns: what the run is built from (templates, arguments,
 * dry-run and retention rules) and where it is written (`path`: the `RolloutAnalysis`, or the experiment
 * step's `analyses[j]`).
 */
export interface AnalysisSite {
  kind: AnalysisSiteKind;
  path: FieldPath;
  refs: SiteTemplateRef[];
  args: readonly RolloutAnalysisArg[];
  dryRun: RolloutAnalysis['dryRun'];
  measurementRetention: RolloutAnalysis['measurementRetention'];
}

function site(kind: AnalysisSiteKind, path: FieldPath, analysis: RolloutAnalysis): AnalysisSite {
  return {
    kind,
    path,
    refs: (analysis.templates ?? []).map((ref, i) => ({ ...ref, path: [...path, 'templates', i] })),
    args: analysis.args ?? [],
    dryRun: analysis.dryRun,
    measurementRetention: analysis.measurementRetention,
  };
}

function canarySites(rollout: Rollout): AnalysisSite[] {
  const canary = rollout.spec.strategy.canary;
  if (canary === undefined) return [];
  const path: FieldPath = ['spec', 'strategy', 'canary'];
  const sites: AnalysisSite[] = [];
  (canary.steps ?? []).forEach((step, i) => {
    if (step.analysis) sites.push(site('step', [...path, 'steps', i, 'analysis'], step.analysis));
    const experiment = step.experiment;
    (experiment?.analyses ?? []).forEach((analysis, j) => {
      const at: FieldPath = [...path, 'steps', i, 'experiment', 'analyses', j];
      const { templateName, clusterScope } = analysis;
      const ref = { templateName, ...(clusterScope === undefined ? {} : { clusterScope }), path: at };
      const args = analysis.args ?? [];
      const dryRun = experiment?.dryRun;
      sites.push({
        kind: 'experiment',
        path: at,
        refs: [ref],
        args,
        dryRun,
        measurementRetention: undefined,
      });
    });
  });
  if (canary.analysis) sites.push(site('background', [...path, 'analysis'], canary.analysis));
  return sites;
}

/**
 * Every analysis a (parsed) Rollout may run, in Argo's order of `getReferencedRolloutAnalyses`: blue-green
 * pre- then post-promotion; canary steps in order (an experiment step's analyses in theirs), then background.
 */
export function analysisSitesOf(rollout: Rollout): AnalysisSite[] {
  const blueGreen = rollout.spec.strategy.blueGreen;
  if (blueGreen === undefined) return canarySites(rollout);
  const path: FieldPath = ['spec', 'strategy', 'blueGreen'];
  const sites: AnalysisSite[] = [];
  if (blueGreen.prePromotionAnalysis) {
    sites.push(site('prePromotion', [...path, 'prePromotionAnalysis'], blueGreen.prePromotionAnalysis));
  }
  if (blueGreen.postPromotionAnalysis) {
    sites.push(site('postPromotion', [...path, 'postPromotionAnalysis'], blueGreen.postPromotionAnalysis));
  }
  return sites;
}
