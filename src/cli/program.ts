import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { registerDashboard } from '../dashboard/command.js';
import { registerAbort } from './commands/abort.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerGet } from './commands/get.js';
import { registerLint } from './commands/lint.js';
import { registerList } from './commands/list.js';
import { registerPause } from './commands/pause.js';
import { registerPromote } from './commands/promote.js';
import { registerRestart } from './commands/restart.js';
import { registerResume } from './commands/resume.js';
import { registerRetry } from './commands/retry.js';
import { registerSetImage } from './commands/set-image.js';
import { registerSkipCurrentStep } from './commands/skip-current-step.js';
import { registerStatus } from './commands/status.js';
import { registerUndo } from './commands/undo.js';
import { registerVersion } from './commands/version.js';
import {
  type CliContext,
  type CliIO,
  createContext,
  type GlobalOptions,
  type OutputFormat,
} from './context.js';
import { toCliError } from './errors.js';
import { mark } from './timings.js';

/** Anything whose options merge with its parents' (every commander command). */
export interface OptionsSource {
  optsWithGlobals(): object;
}

/** What verbs register against: `run` builds the context from the global flags and records the exit code. */
export interface CliApp {
  run(cmd: OptionsSource, verb: (ctx: CliContext) => Promise<number>): Promise<void>;
}

/** The global flags out of commander's merged options (`--no-color` arrives as `color: false`). */
export function globalOptions(raw: Record<string, unknown>): GlobalOptions {
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  const output = text('output') as OutputFormat | undefined;
  return {
    ...(text('kubeconfig') ? { kubeconfig: text('kubeconfig') } : {}),
    ...(text('context') ? { context: text('context') } : {}),
    ...(text('namespace') ? { namespace: text('namespace') } : {}),
    allNamespaces: raw.allNamespaces === true,
    ...(output ? { output } : {}),
    color: raw.color !== false,
  };
}

function addGlobalFlags(program: Command): Command {
  return program
    .option('--kubeconfig <path>', 'path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <namespace>', "namespace (default: the context's, else default)")
    .option('-A, --all-namespaces', 'across all namespaces (list)', false)
    .addOption(new Option('-o, --output <format>', 'print data for scripts').choices(['json', 'yaml']))
    .option('--no-color', 'never colour the output') as unknown as Command;
}

const REGISTER = [
  registerGet,
  registerList,
  registerPromote,
  registerAbort,
  registerRetry,
  registerPause,
  registerResume,
  registerSkipCurrentStep,
  registerSetImage,
  registerUndo,
  registerRestart,
  registerStatus,
  registerLint,
  registerAnalyze,
  registerDashboard,
  registerVersion,
];

/** The `kubectl vireo` command tree; parse errors are thrown (exitOverride), output goes to `io`. */
export function buildProgram(io: CliIO, app: CliApp): Command {
  const program = addGlobalFlags(new Command('kubectl vireo'))
    .description('Vireo progressive delivery: watch, promote, abort and retry Argo-compatible Rollouts')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });
  for (const register of REGISTER) register(program, app);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

/**
 * Runs one invocation and returns its exit code. Invariant: every failure is reported as a single
 * `error: …` line on stderr (commander's usage errors in its own words), never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const app: CliApp = {
    run: async (cmd, verb) => {
      mark('parsed');
      const ctx = createContext(io, globalOptions(cmd.optsWithGlobals() as Record<string, unknown>));
      try {
        exitCode = await verb(ctx);
      } catch (err) {
        const e = toCliError(err);
        io.err.write(`error: ${e.message}\n`);
        exitCode = e.exitCode;
      }
    },
  };
  try {
    await buildProgram(io, app).parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' ? 0 : err.exitCode;
    io.err.write(`error: ${toCliError(err).message}\n`);
    return 1;
  }
  return exitCode;
}
