import type { Command } from '@commander-js/extra-typings';
import type { CliContext } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import type { CliApp } from '../cli/program.js';

/** The flags of `kubectl vireo dashboard`. */
export interface DashboardFlags {
  address: string;
  port: string;
  open: boolean;
  inCluster: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

function portOf(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new CliError(`invalid --port "${text}": use a number from 0 to 65535`);
  }
  return Number(text);
}

async function namespaceOf(ctx: CliContext, inCluster: boolean): Promise<string> {
  if (ctx.opts.namespace !== undefined) return ctx.opts.namespace;
  if (inCluster) return ctx.io.env.POD_NAMESPACE || 'default';
  return (await ctx.kube()).api.namespace;
}

/**
 * `dashboard`: serves the web UI until interrupted (the server is loaded on demand, so other verbs never
 * load it). Prints the URL and whose rights it uses.
 */
export async function runDashboard(ctx: CliContext, flags: DashboardFlags): Promise<number> {
  const port = portOf(flags.port);
  if ((flags.tlsCertFile === undefined) !== (flags.tlsKeyFile === undefined)) {
    throw new CliError('--tls-cert-file and --tls-key-file go together');
  }
  const namespace = await namespaceOf(ctx, flags.inCluster);
  const { startDashboard, openBrowser } = await import('./server/start.js');
  const running = await startDashboard({
    address: flags.address,
    port,
    namespace,
    inCluster: flags.inCluster,
    ...(ctx.opts.kubeconfig ? { kubeconfig: ctx.opts.kubeconfig } : {}),
    ...(ctx.opts.context ? { context: ctx.opts.context } : {}),
    ...(flags.tlsCertFile ? { tlsCertFile: flags.tlsCertFile, tlsKeyFile: flags.tlsKeyFile } : {}),
    env: ctx.io.env,
  }).catch((err: Error) => {
    throw new CliError(`cannot start the dashboard: ${err.message}`);
  });
  const rights = running.mode === 'local' ? "your kubeconfig's credentials" : 'bearer tokens (TokenReview)';
  ctx.print(`Vireo dashboard (${running.mode} mode, ${rights}): ${running.url}`);
  if (flags.open) openBrowser(running.url);
  await new Promise<void>((resolve) => {
    if (ctx.io.signal.aborted) resolve();
    ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await running.close();
  return 0;
}

/** Registers `dashboard`. */
export function registerDashboard(program: Command, app: CliApp): void {
  program
    .command('dashboard')
    .description('serve a web dashboard of the rollouts: live views, analysis charts and actions')
    .option('--address <address>', 'address to listen on (local mode: loopback only)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '3100')
    .option('--open', 'open the dashboard in the browser', false)
    .option(
      '--in-cluster',
      'serve others: require bearer tokens, authorize each action (deploy/dashboard/)',
      false,
    )
    .option('--tls-cert-file <path>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key-file <path>', 'the key of --tls-cert-file (PEM)')
    .action((opts, cmd) => app.run(cmd, (ctx) => runDashboard(ctx, opts)));
}
