import { runCli } from './program.js';
import { mark, timingsLine } from './timings.js';

/**
 * The `kubectl-vireo` entry point (bundled to dist/kubectl-vireo.mjs). SIGINT/SIGTERM abort watches so they
 * end cleanly; a second signal exits at once. The exit code is set only after stdout has drained, so piped
 * output is never cut short. `VIREO_CLI_TIMINGS=1` adds one `timings: …` line on stderr (see timings.ts).
 */
async function main(): Promise<void> {
  mark('loaded');
  const aborter = new AbortController();
  const onSignal = () => {
    if (aborter.signal.aborted) process.exit(130);
    aborter.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(process.argv.slice(2), {
    out: process.stdout,
    err: process.stderr,
    env: process.env,
    now: () => new Date(),
    signal: aborter.signal,
  });
  mark('done');
  if (process.env.VIREO_CLI_TIMINGS === '1') process.stderr.write(`${timingsLine()}\n`);
  process.stdout.write('', () => process.exit(code));
}

void main();
