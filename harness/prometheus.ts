import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { getHttp } from './probes.js';
import { ComponentStartError, ManagedProcess } from './processes.js';
import { StartupScope } from './startup.js';
import { pollUntil } from './wait.js';

/** A Prometheus server run by the harness on its own port and data directory. */
export interface PrometheusServer {
  url: string;
  port: number;
  /** Drop `<name>.json` file_sd target files here; Prometheus picks them up within ~1 s. */
  targetsDir: string;
  process: ManagedProcess;
  /** Stops Prometheus and removes its data directory; idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after a stop), keeping targets. */
  restart(): Promise<void>;
}

/** Where Debian's package installs the server binary; PROMETHEUS_BINARY overrides it. */
export function prometheusBinary(): string {
  return process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus';
}

function configYaml(targetsDir: string, port: number): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    '  - job_name: prometheus',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${port}']`,
    '  - job_name: vireo-test',
    '    file_sd_configs:',
    `      - files: ['${targetsDir}/*.json', '${targetsDir}/*.yaml']`,
    '        refresh_interval: 1s',
    '',
  ].join('\n');
}

/** Writes a file_sd target file: `targets` are host:port strings on loopback, `labels` are added to every series. */
export function writeScrapeTargets(
  targetsDir: string,
  name: string,
  targets: string[],
  labels: Record<string, string> = {},
): void {
  const path = join(targetsDir, `${name}.json`);
  writeFileSync(`${path}.tmp`, JSON.stringify([{ targets, labels }]));
  renameSync(`${path}.tmp`, path);
}

function prometheusArgs(dir: string, port: number): string[] {
  return [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=2h',
    '--log.level=warn',
  ];
}

function launchPrometheus(dir: string, port: number, scope?: StartupScope): ManagedProcess {
  const logPath = join(dir, 'prometheus.log');
  const args = prometheusArgs(dir, port);
  if (scope) return scope.launch('prometheus', prometheusBinary(), args, logPath);
  return new ManagedProcess('prometheus', prometheusBinary(), args, logPath);
}

async function waitReady(proc: ManagedProcess, url: string, signal?: AbortSignal): Promise<void> {
  await pollUntil(
    async () => {
      if (!proc.running) throw new ComponentStartError(proc, 'exited');
      return (await getHttp(`${url}/-/ready`).catch(() => ({ status: 0 }))).status === 200;
    },
    { timeoutMs: 30_000, description: 'Prometheus to become ready', signal },
  ).catch((err: Error) => {
    if (signal?.aborted || err instanceof ComponentStartError) throw err;
    throw new ComponentStartError(proc, err.message);
  });
}

/**
 * Starts Prometheus with a 1 s scrape interval and a file_sd directory; waits until /-/ready answers.
 * Within `startScope` (shared with the control plane), its exit aborts the whole start, and theirs this one.
 */
export async function startPrometheus(dir: string, startScope?: StartupScope): Promise<PrometheusServer> {
  const scope = startScope ?? new StartupScope();
  const targetsDir = join(dir, 'targets');
  mkdirSync(targetsDir, { recursive: true });
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), configYaml(targetsDir, port));
  const url = `http://127.0.0.1:${port}`;
  const server: PrometheusServer = {
    url,
    port,
    targetsDir,
    process: launchPrometheus(dir, port, scope),
    async stop() {
      await server.process.stop();
    },
    async restart() {
      await server.process.stop();
      server.process = launchPrometheus(dir, port);
      await waitReady(server.process, url);
    },
  };
  try {
    await waitReady(server.process, url, scope.signal);
  } catch (err) {
    await server.process.stop();
    throw scope.signal.aborted ? scope.signal.reason : err;
  }
  if (!startScope) scope.settle();
  return server;
}
