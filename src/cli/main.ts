import { runCli } from './program.js';

/**
 * The `kubectl-vireo` entry point (bundled to dist/kubectl-vireo.mjs). SIGINT/SIGTERM abort watches so they
 * end cleanly; a second signal exits at once. The exit code is set only after stdout has drained, so piped
 * output is never cut short.
 */
async function main(): Promise<void> {
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
  process.stdout.write('', () => process.exit(code));
}

void main();
