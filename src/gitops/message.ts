/**
 * Trailer key whose value, the abort's identity (`<rollout uid>@<abortedAt>/<revision>/<AnalysisRun uid or ->`,
 * see `abortIdentity`), names the abort a commit rolls back.
 */
export const ROLLBACK_TRAILER = 'Vireo-Rollback-Id';

/** Why the rollout was aborted, as a reviewer needs it. */
export interface AbortReason {
  kind: 'analysis' | 'deadline' | 'other';
  /** The Rollout's own words (`Progressing` condition message). */
  summary: string;
  analysisRun?: string;
  phase?: string;
  metric?: string;
  /** The value of the metric's failing measurement. */
  measured?: string;
  /** The metric's successCondition / failureCondition. */
  condition?: string;
  /** The metric's or run's message (e.g. `failed (2) > failureLimit (1)`). */
  detail?: string;
}

/** Everything the commit message says. */
export interface RollbackFacts {
  namespace: string;
  rollout: string;
  uid: string;
  /** The abort's identity, written as the trailer. */
  abortId: string;
  revision?: string;
  fromImage: string;
  toImage: string;
  abortedAt: string;
  committedAt: string;
  path: string;
  reason: AbortReason;
}

/** The trailer line a rollback commit carries; the same abort always yields the same line. */
export function trailerLine(abortId: string): string {
  return `${ROLLBACK_TRAILER}: ${abortId}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A single-line reason: the run, metric, measured value and condition when known, else the summary. */
export function describeReason(reason: AbortReason): string {
  if (reason.kind === 'deadline')
    return `progress deadline exceeded (progressDeadlineAbort): ${reason.summary}`;
  if (reason.kind !== 'analysis' || reason.analysisRun === undefined) return reason.summary;
  const parts = [`AnalysisRun ${reason.analysisRun} ${reason.phase ?? 'Failed'}`];
  if (reason.metric !== undefined) parts.push(`metric "${reason.metric}"`);
  if (reason.measured !== undefined) parts.push(`measured ${reason.measured}`);
  if (reason.condition !== undefined) parts.push(`condition ${reason.condition}`);
  if (reason.detail !== undefined) parts.push(reason.detail);
  return parts.join(', ');
}

/**
 * The commit message: a subject naming the rollout and the stable image, a body a reviewer can act on
 * (rollout, namespace, from → to, reason, times, file) and, as the last paragraph, the trailer that makes
 * the commit findable so one abort never yields two commits. Every value is folded onto one line.
 */
export function rollbackCommitMessage(facts: RollbackFacts): string {
  const revision = facts.revision ? ` (revision ${facts.revision})` : '';
  return [
    oneLine(`Roll back ${facts.namespace}/${facts.rollout} to ${facts.toImage}`),
    '',
    oneLine(
      `Vireo aborted the update of Rollout ${facts.rollout}${revision} in namespace ${facts.namespace} ` +
        'automatically and restored the stable image in the cluster. This commit makes Git agree, so the ' +
        'next sync does not roll the failed image out again.',
    ),
    '',
    `Rollout:    ${oneLine(`${facts.namespace}/${facts.rollout}${revision}`)}`,
    `Image:      ${oneLine(`${facts.fromImage} -> ${facts.toImage}`)}`,
    `Reason:     ${oneLine(describeReason(facts.reason))}`,
    `Aborted at: ${oneLine(facts.abortedAt)}`,
    `Committed:  ${oneLine(facts.committedAt)}`,
    `File:       ${oneLine(facts.path)}`,
    '',
    trailerLine(facts.abortId),
    '',
  ].join('\n');
}
