import type { Command } from '@commander-js/extra-typings';
import { type CliContext, printData } from '../context.js';
import type { CliApp } from '../program.js';

declare const VIREO_VERSION: string | undefined;
declare const VIREO_COMMIT: string | undefined;

/** The version the bundle was built as (`dev` when run from source) and the commit, when known. */
export function buildInfo(): { version: string; commit: string; node: string } {
  return {
    version: typeof VIREO_VERSION === 'string' ? VIREO_VERSION : 'dev',
    commit: typeof VIREO_COMMIT === 'string' ? VIREO_COMMIT : 'unknown',
    node: process.version,
  };
}

/** `version`: `kubectl-vireo v0.1.0 (commit abc1234, node v20.20.2)`, or the same fields with `-o`. */
export async function runVersion(ctx: CliContext): Promise<number> {
  const info = buildInfo();
  if (await printData(ctx, info)) return 0;
  ctx.print(`kubectl-vireo v${info.version} (commit ${info.commit}, node ${info.node})`);
  return 0;
}

/** Registers `version`. */
export function registerVersion(program: Command, app: CliApp): void {
  program
    .command('version')
    .description('print the plugin version')
    .action((_opts, cmd) => app.run(cmd, runVersion));
}
