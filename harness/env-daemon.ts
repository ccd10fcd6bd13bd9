import { readEnvState, writeEnvState } from './env-state.js';
import { type Environment, startEnvironment } from './environment.js';

/**
 * The long-lived process behind `npm run env:up`: starts the environment, records it in the state file
 * and stops everything on SIGTERM/SIGINT. A signal during the start aborts it (whatever started is
 * stopped) and a failed start is recorded with its cause; either way the daemon then exits.
 */
async function main(): Promise<void> {
  let env: Environment | undefined;
  const aborted = new AbortController();
  const shutdown = async (signal: string): Promise<void> => {
    if (!env) {
      aborted.abort(new Error(`the environment start was interrupted (${signal})`));
      return;
    }
    await env.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  try {
    env = await startEnvironment({ verbose: true, signal: aborted.signal });
  } catch (err) {
    writeEnvState({ daemonPid: process.pid, ready: false, error: (err as Error).message, extraPids: [] });
    process.stderr.write(`vireo: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const previous = readEnvState();
  writeEnvState({
    daemonPid: process.pid,
    ready: true,
    info: env.info,
    extraPids: previous?.extraPids ?? [],
  });
  setInterval(() => {}, 1 << 30);
}

void main();
