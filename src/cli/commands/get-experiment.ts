import type { Command } from '@commander-js/extra-typings';
import { Resources, resourcePath } from '../../kube/resources.js';
import { type CliContext, printData } from '../context.js';
import { CliError } from '../errors.js';
import type { RolloutsApi } from '../kube.js';
import type { CliApp } from '../program.js';
import { type ExperimentSnapshot, experimentInfo } from '../view/experiment-info.js';
import { renderExperimentHeader } from '../view/header.js';
import { experimentTree, renderTree } from '../view/tree.js';
import type { WatchTarget } from '../watch.js';
import { watchView } from './frames.js';

/** Reads everything `get experiment` shows; the Experiment GET's failure is the one reported. */
export async function readExperimentSnapshot(
  api: RolloutsApi,
  name: string,
  now: () => Date,
): Promise<ExperimentSnapshot> {
  const experimentRead = api.getExperiment(name);
  const others = Promise.all([api.replicaSets(), api.pods(''), api.analysisRuns()]);
  others.catch(() => undefined);
  const experiment = await experimentRead;
  const [replicaSets, pods, analysisRuns] = await others;
  return { experiment, replicaSets, pods, analysisRuns, now: now() };
}

/** The human-readable `get experiment` text: header, a blank line, the tree. */
export function renderGetExperiment(snap: ExperimentSnapshot, ctx: CliContext): string {
  const info = experimentInfo(snap);
  return [
    ...renderExperimentHeader(info, ctx.paint),
    '',
    ...renderTree(experimentTree(info), ctx.paint),
  ].join('\n');
}

function watchTargets(namespace: string, name: string): WatchTarget[] {
  return [
    {
      path: resourcePath(Resources.experiments, namespace),
      query: { fieldSelector: `metadata.name=${name}` },
    },
    { path: resourcePath(Resources.replicaSets, namespace) },
    { path: resourcePath(Resources.pods, namespace) },
    { path: resourcePath(Resources.analysisRuns, namespace) },
  ];
}

async function watchExperiment(ctx: CliContext, name: string): Promise<number> {
  const { api, kubeConfig } = await ctx.kube();
  return watchView(ctx, kubeConfig, {
    read: () => readExperimentSnapshot(api, name, ctx.io.now),
    text: (snap) => renderGetExperiment(snap, ctx),
    data: experimentInfo,
    targets: watchTargets(api.namespace, name),
  });
}

/** `get experiment NAME [--watch]`: the Experiment, its ReplicaSets, pods and AnalysisRuns, as Argo's plugin shows them. */
export async function runGetExperiment(ctx: CliContext, name: string, watch: boolean): Promise<number> {
  if (watch) return watchExperiment(ctx, name);
  const { api } = await ctx.kube();
  const snap = await readExperimentSnapshot(api, name, ctx.io.now);
  if (!(await printData(ctx, experimentInfo(snap)))) ctx.print(renderGetExperiment(snap, ctx));
  return 0;
}

/** Registers `get experiment` (aliases `exp`, `experiments`) under `get`. */
export function registerGetExperiment(get: Command, app: CliApp): void {
  get
    .command('experiment')
    .alias('exp')
    .alias('experiments')
    .description('show an experiment, its ReplicaSets, pods and AnalysisRuns')
    .argument('<name>', 'experiment name')
    .option('-w, --watch', 'keep watching and redraw on every change', false)
    .action((name, opts, cmd) => {
      if (name === '') throw new CliError('an experiment name is required');
      return app.run(cmd, (ctx) => runGetExperiment(ctx, name, opts.watch));
    });
}
