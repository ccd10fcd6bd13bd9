import type { Experiment, ExperimentSpec } from '../../../src/api/index.js';
import type {
  DraftAmendment,
  ExperimentAction,
  ExperimentEvent,
  ExperimentRunView,
  TemplateReplicaSetView,
  TemplateServiceView,
} from '../../../src/experiment/core/model.js';
import { servicePorts } from '../../../src/experiment/core/objects.js';
import { amendDraft, concludeExperiment, draftExperiment } from '../../../src/experiment/core/plan.js';

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A template with `replicas` pods labelled app=<name>. */
export function aTemplate(name: string, extra: Partial<ExperimentSpec['templates'][number]> = {}) {
  return {
    name,
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [{ name: 'c', image: `img:${name}`, ports: [{ name: 'http', containerPort: 8080 }] }],
      },
    },
    ...extra,
  };
}

/** An Experiment named `exp` in `ns` with the given spec. */
export function anExperiment(
  spec: Partial<ExperimentSpec> = {},
  labels?: Record<string, string>,
): Experiment {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'exp', namespace: 'ns', uid: 'exp-uid', ...(labels ? { labels } : {}) },
    spec: { templates: [aTemplate('baseline'), aTemplate('canary')], ...spec },
  };
}

/**
 * A small simulated cluster for the pure Experiment core: actions change ReplicaSets, Services and runs
 * the way the API server would, `available()` plays the ReplicaSet controller and kubelet, and each
 * `pass()` plans from what it holds at `now`, like one reconcile.
 */
export class World {
  replicaSets: Record<string, TemplateReplicaSetView> = {};
  services: Record<string, TemplateServiceView> = {};
  runs: Record<string, ExperimentRunView & { args?: unknown; labels?: unknown }> = {};
  missingTemplates: Record<string, string> = {};
  events: ExperimentEvent[] = [];
  actions: ExperimentAction[] = [];
  amendments: DraftAmendment[] = [];
  requeueAfterMs: number | undefined;
  nowMs = T0;

  constructor(public experiment: Experiment) {}

  advance(seconds: number): this {
    this.nowMs += seconds * 1000;
    return this;
  }

  /** Every ReplicaSet's pods become available (or only `names`). */
  available(...names: string[]): this {
    for (const [template, rs] of Object.entries(this.replicaSets)) {
      if (names.length > 0 && !names.includes(template)) continue;
      this.replicaSets[template] = {
        ...rs,
        statusReplicas: rs.replicas,
        readyReplicas: rs.replicas,
        availableReplicas: rs.replicas,
      };
    }
    return this;
  }

  finishRun(name: string, phase: string, message?: string): this {
    const run = this.runs[name];
    if (!run) throw new Error(`no run ${name}`);
    this.runs[name] = { ...run, phase, ...(message ? { message } : {}) };
    return this;
  }

  private apply(action: ExperimentAction): void {
    switch (action.kind) {
      case 'createReplicaSet': {
        const rs = action.replicaSet;
        const labels = rs.metadata?.labels ?? {};
        this.replicaSets[action.template] = {
          name: rs.metadata?.name ?? '',
          replicas: rs.spec?.replicas ?? 1,
          statusReplicas: 0,
          readyReplicas: 0,
          availableReplicas: 0,
          labels,
          podTemplateHash: labels['rollouts-pod-template-hash'],
          ports: servicePorts(rs.spec?.template),
        };
        return;
      }
      case 'scaleReplicaSet': {
        const rs = this.replicaSets[action.template];
        if (rs) this.replicaSets[action.template] = { ...rs, replicas: action.replicas };
        return;
      }
      case 'setScaleDownDeadline': {
        const rs = this.replicaSets[action.template];
        if (!rs) return;
        const { scaleDownDeadline: _d, ...rest } = rs;
        this.replicaSets[action.template] =
          action.deadline === null ? rest : { ...rest, scaleDownDeadline: action.deadline };
        return;
      }
      case 'createService':
        this.services[action.template] = { name: action.service.metadata?.name ?? '', owned: true };
        return;
      case 'deleteService':
        delete this.services[action.template];
        return;
      case 'createAnalysisRun':
        this.runs[action.name] = {
          name: action.name,
          terminate: false,
          args: action.args,
          labels: action.metadata.labels,
        };
        return;
      case 'terminateAnalysisRun': {
        const run = this.runs[action.name];
        if (run) this.runs[action.name] = { ...run, terminate: true };
        return;
      }
    }
  }

  /** One reconcile: plan from the world, apply the actions (and `amendments`), record the status. */
  pass(): this {
    const snapshot = {
      experiment: this.experiment,
      replicaSets: { ...this.replicaSets },
      services: { ...this.services },
      runs: { ...this.runs },
      missingTemplates: { ...this.missingTemplates },
      now: new Date(this.nowMs),
    };
    const draft = draftExperiment(snapshot);
    this.actions = draft.actions;
    for (const action of draft.actions) this.apply(action);
    const outcome = concludeExperiment(snapshot, amendDraft(draft, this.amendments));
    this.amendments = [];
    this.experiment = { ...this.experiment, status: outcome.status };
    this.events.push(...outcome.events);
    this.requeueAfterMs = outcome.requeueAfterMs;
    return this;
  }

  get status() {
    return this.experiment.status ?? {};
  }

  template(name: string) {
    return this.status.templateStatuses?.find((t) => t.name === name);
  }

  analysis(name: string) {
    return this.status.analysisRuns?.find((a) => a.name === name);
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}
