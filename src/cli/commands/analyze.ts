import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { type CliContext, printData } from '../context.js';
import { CliError } from '../errors.js';
import type { CliApp } from '../program.js';

/** Exit code when the replayed run would have made the Rollout abort. */
export const ABORT_EXIT_CODE = 2;

/** The flags of `analyze`. */
export interface AnalyzeFlags {
  template: string;
  from: string;
  args: string[];
  prometheus?: string;
  interval: string;
}

/**
 * `analyze --template FILE --from 2h [--args k=v]…`: replays the template's metrics over the past window
 * against Prometheus and prints, per metric, a chart and the measurements that would have failed, then
 * whether the run would have aborted. Exit 0 when it would not have aborted, `ABORT_EXIT_CODE` when it
 * would, 1 on an error. `-o json|yaml` prints the report.
 */
export async function runAnalyze(ctx: CliContext, flags: AnalyzeFlags): Promise<number> {
  let text: string;
  try {
    text = await readFile(flags.template, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read ${flags.template}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  const { analyze } = await import('../analyze/analyze.js');
  const { renderReport } = await import('../analyze/report.js');
  const { report, metrics } = await analyze({
    file: flags.template,
    text,
    from: flags.from,
    args: flags.args,
    ...(flags.prometheus ? { prometheus: flags.prometheus } : {}),
    interval: flags.interval,
    env: ctx.io.env,
    now: ctx.io.now(),
    signal: ctx.io.signal,
  });
  const code = report.verdict.aborted ? ABORT_EXIT_CODE : 0;
  if (await printData(ctx, report)) return code;
  ctx.print(renderReport(report, metrics, ctx.paint));
  return code;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Registers `analyze`. */
export function registerAnalyze(program: Command, app: CliApp): void {
  program
    .command('analyze')
    .description(
      'replay an AnalysisTemplate over past Prometheus data: which measurements fail, would it abort',
    )
    .requiredOption('--template <file>', 'the AnalysisTemplate (or ClusterAnalysisTemplate) YAML file')
    .option('--from <duration>', 'how far back to start, e.g. 2h or 30m', '1h')
    .option('--args <name=value>', 'a template argument (repeat for several)', collect, [] as string[])
    .option(
      '--prometheus <url>',
      "Prometheus to query instead of each metric's address (e.g. a port-forward)",
    )
    .option('--interval <duration>', 'spacing for metrics that have no interval', '1m')
    .action((opts, cmd) => app.run(cmd, (ctx) => runAnalyze(ctx, opts)));
}
