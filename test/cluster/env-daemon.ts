import { readEnvState, writeEnvState } from './env-state.js';
import { type Environment, startEnvironment } from './environment.js';

/**
 * The long-lived process behind `npm run env:up`: starts the environment, records it in the
 * state file and stops everything on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let env: Environment | undefined;
  const shutdown = async (): Promise<void> => {
    await env?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  try {
    env = await startEnvironment({ verbose: true });
  } catch (err) {
    writeEnvState({ daemonPid: process.pid, ready: false, error: (err as Error).message, extraPids: [] });
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
