import { describe, expect, it } from 'vitest';
import { resolveExperimentArg } from '../../../src/experiment/core/plan-analysis.js';
import { anExperiment, aTemplate, T0, World } from './world.js';

const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function runningWorld(spec = {}) {
  const world = new World(
    anExperiment({ duration: '30s', analyses: [{ name: 'check', templateName: 'tpl' }], ...spec }),
  );
  world.pass(); // ReplicaSets created, Pending
  world.available().advance(1).pass(); // templates Running, availableAt stamped
  world.advance(1).pass(); // the analysis run is created
  return world;
}

describe('Experiment core: a successful experiment (Argo semantics)', () => {
  it('creates a ReplicaSet per template named <experiment>-<template>, labelled with the hash, and is Pending', () => {
    const world = new World(anExperiment()).pass();
    expect(world.status.phase).toBe('Pending');
    const creates = world.actions.filter((a) => a.kind === 'createReplicaSet');
    expect(creates.map((a) => a.kind === 'createReplicaSet' && a.replicaSet.metadata?.name)).toEqual([
      'exp-baseline',
      'exp-canary',
    ]);
    const rs = creates[0]?.kind === 'createReplicaSet' ? creates[0].replicaSet : undefined;
    const hash = rs?.metadata?.labels?.['rollouts-pod-template-hash'];
    expect(hash).toBeTruthy();
    expect(rs?.metadata).toMatchObject({
      labels: { app: 'baseline', 'rollouts-pod-template-hash': hash },
      annotations: {
        'experiment.argoproj.io/name': 'exp',
        'experiment.argoproj.io/template-name': 'baseline',
      },
      ownerReferences: [{ kind: 'Experiment', name: 'exp', uid: 'exp-uid', controller: true }],
    });
    expect(rs?.spec?.selector?.matchLabels).toEqual({ app: 'baseline', 'rollouts-pod-template-hash': hash });
    expect(rs?.spec?.replicas).toBe(1);
    expect(world.template('baseline')).toMatchObject({ status: 'Progressing', lastTransitionTime: iso(0) });
    expect(world.reasons()).toContain('ExperimentPending');
  });

  it('runs once every template is available, then creates the analysis run with resolved arguments', () => {
    const world = new World(
      anExperiment({
        duration: '30s',
        analyses: [
          {
            name: 'check',
            templateName: 'tpl',
            args: [
              { name: 'hash', value: '{{ templates.canary.podTemplateHash }}' },
              { name: 'rs', value: '{{templates.baseline.replicaset.name}}' },
              { name: 'from', value: '{{experiment.availableAt}}' },
              { name: 'to', value: '{{experiment.finishedAt}}' },
              { name: 'secret', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            ],
          },
        ],
      }),
    );
    world.pass().available().advance(1).pass();
    expect(world.status).toMatchObject({ phase: 'Running', availableAt: iso(1) });
    expect(world.status.analysisRuns).toEqual([{ name: 'check' }]);
    world.advance(1).pass();
    expect(world.analysis('check')).toEqual({ name: 'check', phase: 'Pending', analysisRun: 'exp-check' });
    const run = world.runs['exp-check'];
    expect(run?.args).toEqual([
      { name: 'hash', value: world.replicaSets.canary?.podTemplateHash },
      { name: 'rs', value: 'exp-baseline' },
      { name: 'from', value: iso(1) },
      { name: 'to', value: iso(31) },
      { name: 'secret' },
    ]);
  });

  it('is Successful once the duration passed and the analysis succeeded, then scales down after the delay', () => {
    const world = runningWorld();
    world.finishRun('exp-check', 'Running').advance(1).pass();
    expect(world.analysis('check')?.phase).toBe('Running');
    world.finishRun('exp-check', 'Successful').advance(1).pass();
    expect(world.status.phase).toBe('Running');
    expect(world.requeueAfterMs).toBe(27_001);
    world.advance(28).pass();
    expect(world.template('baseline')?.status).toBe('Successful');
    expect(world.status.phase).toBe('Successful');
    expect(world.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ExperimentCompleted' }),
    );
    world.advance(1).pass();
    expect(world.replicaSets.baseline).toMatchObject({ replicas: 1, scaleDownDeadline: iso(63) });
    expect(world.requeueAfterMs).toBe(30_001);
    world.advance(31).pass();
    expect(world.replicaSets.baseline?.replicas).toBe(0);
    expect(world.status.phase).toBe('Successful');
    expect(world.reasons()).toEqual(
      expect.arrayContaining([
        'ExperimentPending',
        'ExperimentRunning',
        'ExperimentSuccessful',
        'TemplateRunning',
        'TemplateSuccessful',
        'AnalysisRunSuccessful',
      ]),
    );
  });

  it('sets the Progressing conditions as Argo does', () => {
    const world = new World(anExperiment({ duration: '30s' })).pass();
    expect(world.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: 'Experiment "exp" is progressing.',
      }),
    ]);
    world.available().advance(1).pass().advance(1).pass();
    expect(world.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: 'Experiment "exp" is running.',
      }),
    ]);
  });

  it('is Successful as soon as every required analysis succeeded, without a duration', () => {
    const world = runningWorld({
      duration: undefined,
      analyses: [{ name: 'check', templateName: 'tpl', requiredForCompletion: true }],
    });
    world.finishRun('exp-check', 'Successful').advance(1).pass();
    expect(world.status).toMatchObject({ phase: 'Successful', message: 'Required AnalysisRuns completed' });
  });

  it('keeps running without a duration when no analysis is required', () => {
    const world = runningWorld({ duration: undefined });
    world.finishRun('exp-check', 'Successful').advance(100).pass();
    expect(world.status.phase).toBe('Running');
  });
});

describe('Experiment core: failures', () => {
  it('fails with the analysis message, terminating its other runs and scaling down', () => {
    const world = runningWorld({
      analyses: [
        { name: 'check', templateName: 'tpl' },
        { name: 'other', templateName: 'tpl' },
      ],
    });
    world.finishRun('exp-check', 'Failed', 'Metric "m" assessed Failed').advance(1).pass();
    expect(world.status).toMatchObject({ phase: 'Failed', message: 'Metric "m" assessed Failed' });
    world.advance(1).pass();
    expect(world.runs['exp-other']?.terminate).toBe(true);
    expect(world.reasons()).toContain('AnalysisRunFailed');
    expect(world.replicaSets.canary?.scaleDownDeadline).toBe(iso(34));
    world.advance(31).pass();
    expect(world.replicaSets.canary?.replicas).toBe(0);
    expect(world.status.phase).toBe('Failed');
  });

  it('fails a template that never becomes available within progressDeadlineSeconds', () => {
    const world = new World(anExperiment({ progressDeadlineSeconds: 60 })).pass();
    world.available('baseline').advance(30).pass();
    expect(world.requeueAfterMs).toBe(30_001);
    world.advance(31).pass();
    expect(world.template('canary')).toMatchObject({
      status: 'Failed',
      message: "Template 'canary' exceeded its progressDeadlineSeconds (60)",
    });
    expect(world.status).toMatchObject({
      phase: 'Failed',
      message: "Template 'canary' exceeded its progressDeadlineSeconds (60)",
    });
  });

  it('is an Error when an analysis template is missing before the Experiment is available', () => {
    const world = new World(anExperiment({ analyses: [{ name: 'check', templateName: 'nope' }] }));
    world.missingTemplates = { check: 'analysistemplate.argoproj.io "nope" not found' };
    world.pass().pass();
    expect(world.status).toMatchObject({
      phase: 'Error',
      message: `AnalysisTemplate verification failed for analysis 'check': analysistemplate.argoproj.io "nope" not found`,
    });
  });

  it('records an action the API refused as the entry Error (amended)', () => {
    const world = new World(anExperiment());
    world.amendments = [
      { kind: 'template', name: 'canary', status: 'Error', message: 'Failed to create ReplicaSet' },
    ];
    world.pass();
    expect(world.template('canary')).toMatchObject({
      status: 'Error',
      message: 'Failed to create ReplicaSet',
    });
    world.pass();
    expect(world.status.phase).toBe('Error');
  });

  it('terminates on spec.terminate: templates Successful, runs stopped, Successful', () => {
    const world = runningWorld();
    world.experiment = { ...world.experiment, spec: { ...world.experiment.spec, terminate: true } };
    world.advance(1).pass();
    expect(world.runs['exp-check']?.terminate).toBe(true);
    expect(world.template('canary')?.status).toBe('Successful');
    expect(world.status.phase).toBe('Successful');
  });
});

describe('Experiment core: template Services', () => {
  it('creates the Service once the ReplicaSet exists, and deletes it when no pod is left', () => {
    const world = new World(
      anExperiment({
        duration: '5s',
        scaleDownDelaySeconds: 0,
        templates: [aTemplate('canary', { service: {} })],
      }),
    );
    world.pass().pass();
    const create = world.actions.find((a) => a.kind === 'createService');
    expect(create?.kind === 'createService' && create.service).toMatchObject({
      metadata: { name: 'exp-canary', annotations: { 'experiment.argoproj.io/template-name': 'canary' } },
      spec: {
        selector: { app: 'canary', 'rollouts-pod-template-hash': world.replicaSets.canary?.podTemplateHash },
        ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
      },
    });
    expect(world.template('canary')).toMatchObject({
      serviceName: 'exp-canary',
      podTemplateHash: world.replicaSets.canary?.podTemplateHash,
    });
    world.available().advance(1).pass().advance(6).pass();
    expect(world.status.phase).toBe('Successful');
    world.advance(1).pass();
    expect(world.replicaSets.canary?.replicas).toBe(0);
    const scaled = world.replicaSets.canary;
    if (!scaled) throw new Error('no canary ReplicaSet');
    world.replicaSets.canary = {
      ...scaled,
      availableReplicas: 0,
      statusReplicas: 0,
      readyReplicas: 0,
    };
    world.advance(1).pass();
    expect(world.services.canary).toBeUndefined();
    expect(world.template('canary')?.serviceName).toBeUndefined();
  });

  it('is an Error when the Service name is taken by an object it does not own', () => {
    const world = new World(
      anExperiment({ templates: [aTemplate('canary', { service: { name: 'taken' } })] }),
    );
    world.pass();
    world.services.canary = { name: 'taken', owned: false };
    world.pass();
    expect(world.template('canary')).toMatchObject({
      status: 'Error',
      message:
        "Failed to create Service taken for template 'canary': service taken already exists and is not owned by experiment template canary",
    });
  });
});

describe('experiment argument placeholders', () => {
  it('replaces known tags and refuses unknown ones, as fasttemplate does in Argo', () => {
    const values = new Map([['experiment.availableAt', 'T']]);
    expect(resolveExperimentArg('at {{ experiment.availableAt }}!', values)).toEqual({
      ok: true,
      value: 'at T!',
    });
    expect(resolveExperimentArg('{{templates.x.podTemplateHash}}', values)).toEqual({
      ok: false,
      error: 'failed to resolve {{templates.x.podTemplateHash}}',
    });
  });
});
