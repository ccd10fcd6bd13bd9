import type { Command } from '@commander-js/extra-typings';
import { Resources, resourcePath } from '../../kube/resources.js';
import { type CliContext, printData } from '../context.js';
import { CliError } from '../errors.js';
import { matchLabelsSelector, type RolloutsApi } from '../kube.js';
import type { CliApp } from '../program.js';
import { mark } from '../timings.js';
import { renderHeader } from '../view/header.js';
import { rolloutInfo } from '../view/rollout-info.js';
import type { RolloutSnapshot } from '../view/snapshot.js';
import { renderTree, rolloutTree } from '../view/tree.js';
import type { WatchTarget } from '../watch.js';
import { watchView } from './frames.js';
import { registerGetExperiment } from './get-experiment.js';

/**
 * Reads everything `get rollout` shows: the Rollout GET and the ReplicaSet and AnalysisRun LISTs go out
 * together, the pod LIST (which needs the Rollout's selector) as soon as the Rollout arrives. Invariant:
 * a failure of the Rollout GET is the one reported, whatever the other requests do.
 */
export async function readSnapshot(
  api: RolloutsApi,
  name: string,
  now: () => Date,
): Promise<RolloutSnapshot> {
  const rolloutRead = api.getRollout(name);
  const replicaSetsRead = api.replicaSets();
  const analysisRunsRead = api.analysisRuns();
  for (const read of [replicaSetsRead, analysisRunsRead]) read.catch(() => undefined);
  const rollout = await rolloutRead;
  const pods = await api.pods(matchLabelsSelector(rollout.spec.selector));
  const [replicaSets, analysisRuns] = await Promise.all([replicaSetsRead, analysisRunsRead]);
  return { rollout, replicaSets, pods, analysisRuns, now: now() };
}

/** The human-readable `get rollout` text: header, a blank line, the tree. */
export function renderGet(snap: RolloutSnapshot, ctx: CliContext): string {
  const info = rolloutInfo(snap);
  return [...renderHeader(info, ctx.paint), '', ...renderTree(rolloutTree(info), ctx.paint)].join('\n');
}

async function printOnce(ctx: CliContext, snap: RolloutSnapshot): Promise<void> {
  if (!(await printData(ctx, rolloutInfo(snap)))) ctx.print(renderGet(snap, ctx));
}

/** What `get --watch` watches: the Rollout itself and every ReplicaSet, pod and AnalysisRun of its namespace. */
export function getWatchTargets(namespace: string, name: string): WatchTarget[] {
  return [
    { path: resourcePath(Resources.rollouts, namespace), query: { fieldSelector: `metadata.name=${name}` } },
    { path: resourcePath(Resources.replicaSets, namespace) },
    { path: resourcePath(Resources.pods, namespace) },
    { path: resourcePath(Resources.analysisRuns, namespace) },
  ];
}

/**
 * `get rollout NAME --watch`: redraws on every change of the Rollout, its ReplicaSets, pods or AnalysisRuns
 * until interrupted (see `watchView`).
 */
async function watchGet(ctx: CliContext, name: string): Promise<number> {
  const { api, kubeConfig } = await ctx.kube();
  return watchView(ctx, kubeConfig, {
    read: () => readSnapshot(api, name, ctx.io.now),
    text: (snap) => renderGet(snap, ctx),
    data: rolloutInfo,
    targets: getWatchTargets(api.namespace, name),
  });
}

/** `get rollout NAME [--watch]`. */
export async function runGet(ctx: CliContext, name: string, watch: boolean): Promise<number> {
  if (watch) return watchGet(ctx, name);
  const { api } = await ctx.kube();
  const snap = await readSnapshot(api, name, ctx.io.now);
  mark('read');
  await printOnce(ctx, snap);
  return 0;
}

/** Registers `get rollout` and `get experiment`. */
export function registerGet(program: Command, app: CliApp): void {
  const get = program
    .command('get')
    .description('show a rollout or an experiment as a tree of ReplicaSets, pods and AnalysisRuns');
  get
    .command('rollout')
    .alias('ro')
    .alias('rollouts')
    .description('show the rollout, its revisions, ReplicaSets, pods and AnalysisRuns')
    .argument('<name>', 'rollout name')
    .option('-w, --watch', 'keep watching and redraw on every change', false)
    .action((name, opts, cmd) => {
      if (name === '') throw new CliError('a rollout name is required');
      return app.run(cmd, (ctx) => runGet(ctx, name, opts.watch));
    });
  registerGetExperiment(get, app);
}
