import { readFileSync, writeFileSync } from 'node:fs';

/** Memory and CPU of one Linux process, from `/proc/<pid>/status` and `/proc/<pid>/stat`. */
export interface ProcStats {
  /** Resident set size now (VmRSS), MB. */
  rssMB: number;
  /** Peak resident set size since start or the last {@link resetPeakRss} (VmHWM), MB. */
  peakRssMB: number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
}

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ: 100 on every Linux architecture Node runs on). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** A `Vm…:  1234 kB` field of `/proc/<pid>/status` in MB; NaN when absent. */
export function statusFieldMB(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? (Number(m[1]) * 1024) / 1e6 : Number.NaN;
}

/**
 * utime + stime of a `/proc/<pid>/stat` line, in seconds. Fields are counted after the `)` that closes the
 * command name (which may itself contain spaces and parentheses): utime is field 14, stime field 15.
 */
export function cpuSecondsOfStat(stat: string): number {
  const rest = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** The current stats of `pid`; throws if the process is gone. */
export function readProcStats(pid: number): ProcStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return {
    rssMB: statusFieldMB(status, 'VmRSS'),
    peakRssMB: statusFieldMB(status, 'VmHWM'),
    cpuSeconds: cpuSecondsOfStat(stat),
  };
}

/** Resets the kernel's peak RSS (VmHWM) of `pid` to its current RSS; false when not permitted. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples a process's RSS every `intervalMs` between {@link start} and {@link stop}, so a phase's peak is
 * known even where VmHWM cannot be reset; the kernel's VmHWM (reset at start when permitted) is also read.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private sampledPeak = 0;
  private startCpu = 0;
  private hwmReset = false;

  constructor(
    readonly pid: number,
    readonly intervalMs = 250,
  ) {}

  /** Begins a phase: resets VmHWM if allowed, notes the CPU time, and samples from now on. */
  start(): void {
    this.hwmReset = resetPeakRss(this.pid);
    const now = readProcStats(this.pid);
    this.startCpu = now.cpuSeconds;
    this.sampledPeak = now.rssMB;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    try {
      this.sampledPeak = Math.max(this.sampledPeak, readProcStats(this.pid).rssMB);
    } catch {
      this.stopTimer();
    }
  }

  /** The current stats, or (the process has exited, e.g. a replica that lost its Lease) the sampled ones. */
  private lastStats(): ProcStats {
    try {
      return readProcStats(this.pid);
    } catch {
      return { rssMB: this.sampledPeak, peakRssMB: this.sampledPeak, cpuSeconds: this.startCpu };
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Ends the phase: its peak RSS (VmHWM when it was reset at the start, else the sampled peak), the RSS at
   * the end, and the CPU seconds spent during the phase.
   */
  stop(): { peakRssMB: number; rssMB: number; cpuSeconds: number; peakSource: 'VmHWM' | 'sampled' } {
    this.sample();
    this.stopTimer();
    const now = this.lastStats();
    const peak = this.hwmReset ? Math.max(now.peakRssMB, this.sampledPeak) : this.sampledPeak;
    return {
      peakRssMB: peak,
      rssMB: now.rssMB,
      cpuSeconds: now.cpuSeconds - this.startCpu,
      peakSource: this.hwmReset ? 'VmHWM' : 'sampled',
    };
  }
}
