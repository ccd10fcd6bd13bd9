import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { type CliContext, printData } from '../context.js';
import { CliError } from '../errors.js';
import type { CliApp } from '../program.js';

async function readSource(file: string, readStdin: () => Promise<string>): Promise<string> {
  try {
    return file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * `lint FILE…`: validates every Rollout, AnalysisTemplate and ClusterAnalysisTemplate in the files offline,
 * with the controller's validators. Prints `file:line: field.path: message` per problem and exits 1 when
 * there is any; otherwise `file: ok (N objects)` per file and exit 0. `-` reads stdin.
 */
export async function runLint(
  ctx: CliContext,
  files: readonly string[],
  readStdin: () => Promise<string>,
): Promise<number> {
  if (files.length === 0) throw new CliError('lint needs at least one FILE (or -f FILE)');
  const { lintText, formatProblem } = await import('../lint/lint.js');
  const results = [];
  for (const file of files) {
    const text = await readSource(file, readStdin);
    results.push({ file, ...lintText(file === '-' ? '<stdin>' : file, text) });
  }
  const problems = results.flatMap((r) => r.problems);
  if (await printData(ctx, problems)) return problems.length > 0 ? 1 : 0;
  for (const r of results.filter((x) => x.problems.length === 0)) {
    ctx.print(`${r.file}: ok (${r.checked} object${r.checked === 1 ? '' : 's'})`);
  }
  ctx.print(problems.map(formatProblem));
  return problems.length > 0 ? 1 : 0;
}

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Registers `lint`. */
export function registerLint(program: Command, app: CliApp): void {
  program
    .command('lint')
    .description('validate Rollout and AnalysisTemplate manifests offline, as the controller would')
    .argument('[files...]', 'YAML files (- for stdin)')
    .option('-f, --filename <file>', 'a file to lint (Argo-style flag; may also be given as an argument)')
    .action((files, opts, cmd) =>
      app.run(cmd, (ctx) => runLint(ctx, opts.filename ? [opts.filename, ...files] : files, stdinText)),
    );
}
