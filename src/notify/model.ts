/** Annotation prefix of Argo's subscriptions: `notifications.argoproj.io/subscribe.<trigger>.<service>`. */
export const SUBSCRIBE_PREFIX = 'notifications.argoproj.io/subscribe.';
/** Annotation holding what was already delivered (notifications-engine's key and JSON shape). */
export const NOTIFIED_ANNOTATION = 'notified.notifications.argoproj.io';
/** Annotation the Git write-back sets on the Rollout once the rollback commit exists (its value: the commit). */
export const GIT_ROLLBACK_ANNOTATION = 'vireo.dev/git-rollback-commit';

/** Argo Rollouts' built-in trigger names Vireo evaluates, plus Vireo's Git rollback trigger. */
export const TRIGGERS = [
  'on-rollout-updated',
  'on-rollout-step-completed',
  'on-rollout-paused',
  'on-rollout-aborted',
  'on-rollout-completed',
  'on-analysis-run-running',
  'on-analysis-run-failed',
  'on-analysis-run-error',
  'on-rollout-git-rollback',
] as const;
/** One of {@link TRIGGERS}. */
export type TriggerName = (typeof TRIGGERS)[number];

/** The Rollout fields notifications read; everything optional, as written by anyone. */
export interface RolloutView {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    annotations?: Record<string, string>;
  };
  spec?: {
    template?: { spec?: { containers?: { name?: string; image?: string }[] } };
    strategy?: { canary?: { steps?: { setWeight?: number }[] } };
  };
  status?: {
    phase?: string;
    message?: string;
    currentPodHash?: string;
    stableRS?: string;
    currentStepIndex?: number;
    abort?: boolean;
    abortedAt?: string;
    pauseConditions?: { reason?: string; startTime?: string }[];
    conditions?: { type?: string; reason?: string; message?: string }[];
    canary?: { weights?: { canary?: { weight?: number }; stable?: { weight?: number } } };
  };
}

/** The AnalysisRun fields notifications read. */
export interface AnalysisRunView {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string; uid?: string; controller?: boolean }[];
  };
  status?: { phase?: string; message?: string };
}

/**
 * One trigger whose condition holds for the observed objects. `onceKey` identifies the occurrence (the
 * same key for every observation of the same occurrence, a new key for a new one), so
 * `(rollout uid, trigger, onceKey)` names the event for good.
 */
export interface TriggeredEvent {
  trigger: TriggerName;
  onceKey: string;
  message: string;
  /** The step the event is about (0-based), for step events. */
  stepIndex?: number;
  analysisRun?: { name: string; phase: string; message?: string };
  gitCommit?: string;
}

/** One destination a Rollout subscribed to: a trigger, a configured service's name and a recipient. */
export interface Subscription {
  trigger: string;
  service: string;
  /** Channel for Slack's API; empty for webhooks. */
  recipient: string;
}
