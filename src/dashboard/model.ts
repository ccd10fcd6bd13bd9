/**
 * The JSON the dashboard server sends and the browser UI renders. Type-only: the UI bundle imports this
 * file for its types and nothing else, so no server code (zod, client-node) reaches the browser.
 */
import type { RolloutInfo } from '../cli/view/rollout-info.js';

export type { AnalysisRunInfo, MetricInfo } from '../cli/view/analysis-info.js';
export type { PodInfo, ReplicaSetInfo, RevisionInfo, RolloutInfo } from '../cli/view/rollout-info.js';

/** One row of the Rollout list. `step`/`setWeight` are `-` where they do not apply (as `list rollouts`). */
export interface RolloutRowView {
  namespace: string;
  name: string;
  strategy: 'Canary' | 'BlueGreen';
  phase: string;
  message: string;
  step: string;
  setWeight: string;
  ready: string;
  desired: number;
  images: string[];
  age: string;
}

/** The list page: rows sorted by name; `error` when the user may not list Rollouts here. */
export interface ListView {
  namespace: string;
  rows: RolloutRowView[];
  error?: string;
}

/** One canary step with where the Rollout is: `done`, `current` or `next`. */
export interface StepView {
  index: number;
  text: string;
  state: 'done' | 'current' | 'next';
}

/** Traffic split of one router (or `replicas` without traffic routing), each weight 0–100. */
export interface WeightView {
  router: string;
  canary: number;
  stable: number;
  /** Experiment and other weights the router also carries. */
  additional: number;
  verified?: boolean;
}

/** A threshold line drawn on a metric chart, taken from a simple `result OP number` comparison. */
export interface ThresholdView {
  value: number;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  /** Whether it comes from the success or the failure condition. */
  of: 'success' | 'failure';
}

/** One measurement: its numeric value (when the value is a number or a one-number list) and phase. */
export interface PointView {
  at: string;
  value?: number;
  text: string;
  phase: string;
  message?: string;
}

/** A metric of an AnalysisRun: every measured value against its conditions and limits. */
export interface MetricChartView {
  name: string;
  phase: string;
  message?: string;
  successCondition?: string;
  failureCondition?: string;
  thresholds: ThresholdView[];
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  failed: number;
  inconclusive: number;
  errors: number;
  successful: number;
  points: PointView[];
}

/** An AnalysisRun with a chart per metric; `revision` ties it to the ReplicaSet tree. */
export interface AnalysisRunView {
  name: string;
  type?: string;
  phase: string;
  message?: string;
  revision: number;
  age: string;
  metrics: MetricChartView[];
}

/** A Kubernetes Event about the Rollout. */
export interface EventView {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen: string;
  age: string;
}

/** The Git write-back record Vireo keeps in the Rollout's annotations (docs/gitops.md). */
export interface GitView {
  repo: string;
  commit?: string;
  branch?: string;
  abortedAt?: string;
  error?: string;
}

/** Notification subscriptions and what was delivered (`notified.notifications.argoproj.io`). */
export interface NotificationsView {
  subscriptions: { trigger: string; service: string; recipient: string }[];
  delivered: { key: string; at: string }[];
}

/** Names of the user actions the dashboard offers (the plugin's verbs). */
export type ActionName =
  | 'promote'
  | 'promote-full'
  | 'abort'
  | 'retry'
  | 'pause'
  | 'resume'
  | 'restart'
  | 'set-image'
  | 'undo';

/** The Rollout page. `denied` names the sections the user may not read (section → sentence). */
export interface RolloutPageView {
  info: RolloutInfo;
  steps: StepView[];
  weights: WeightView[];
  analysisRuns: AnalysisRunView[];
  events: EventView[];
  containers: string[];
  git?: GitView;
  notifications?: NotificationsView;
  denied: Record<string, string>;
}

/** What the page learns once at start: the mode, the user, the namespace and the write token. */
export interface SessionView {
  mode: 'local' | 'in-cluster';
  user: string;
  namespace: string;
  csrfToken: string;
}

/** The answer to an action: `ok` with the plugin's message, or the refusal in words. */
export interface ActionResult {
  ok: boolean;
  message: string;
}
