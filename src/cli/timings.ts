const marks: [string, number][] = [];

/** Records that the invocation reached `phase`, at milliseconds since the process started. */
export function mark(phase: string): void {
  marks.push([phase, performance.now()]);
}

/**
 * The recorded phases as one line, `timings: loaded=61.2 connected=70.3 … cpu=85.0` (ms since process
 * start, in the order reached; `cpu` is the process's user + system CPU time so far, which machine load
 * disturbs less than wall time); what `VIREO_CLI_TIMINGS=1` prints on stderr for the bench's breakdown.
 */
export function timingsLine(): string {
  const { user, system } = process.cpuUsage();
  const phases = marks.map(([phase, ms]) => `${phase}=${ms.toFixed(1)}`);
  return `timings: ${[...phases, `cpu=${((user + system) / 1000).toFixed(1)}`].join(' ')}`;
}
