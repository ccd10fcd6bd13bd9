import type { Command } from '@commander-js/extra-typings';
import { type CliContext, printData } from '../context.js';
import type { CliApp } from '../program.js';
import { decorateStatus, renderPlainTable, rolloutRows, rowCells } from '../view/list.js';

/**
 * `list rollouts [-A]`: Argo's columns. A box-drawn table with coloured status on a TTY, kubectl's plain
 * columns when piped, the rows as data with `-o`. Prints `No rollouts found in namespace X.` to stderr when
 * there are none (exit 0).
 */
export async function runList(ctx: CliContext): Promise<number> {
  const { api } = await ctx.kube();
  const all = ctx.opts.allNamespaces;
  const rows = rolloutRows(await api.listRollouts(all));
  if (await printData(ctx, rows)) return 0;
  if (rows.length === 0) {
    ctx.io.err.write(all ? 'No rollouts found.\n' : `No rollouts found in namespace ${api.namespace}.\n`);
    return 0;
  }
  const { head, body } = rowCells(rows, all);
  if (!ctx.tty) {
    ctx.print(renderPlainTable(head, body));
    return 0;
  }
  const { default: Table } = await import('cli-table3');
  const table = new Table({ head: head.map((h) => ctx.paint.bold(h)), style: { head: [], border: [] } });
  table.push(...decorateStatus(body, head.indexOf('STATUS'), ctx.paint));
  ctx.print(table.toString());
  return 0;
}

/** Registers `list rollouts`. */
export function registerList(program: Command, app: CliApp): void {
  const list = program.command('list').description('list rollouts');
  list
    .command('rollouts')
    .alias('rollout')
    .alias('ro')
    .description('list rollouts in the namespace (-A: all namespaces)')
    .action((_opts, cmd) => app.run(cmd, runList));
}
