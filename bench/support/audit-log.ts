import { existsSync, readFileSync } from 'node:fs';
import { CONTROLLER_USER } from '../../harness/component-args.js';
import { pollUntil } from '../../harness/wait.js';

/** One write request as the kube-apiserver audit log records it (level Metadata, ResponseComplete). */
export interface AuditWrite {
  verb: string;
  user: string;
  /** `resource` or `resource/subresource`, e.g. `rollouts/status`. */
  resource: string;
  namespace?: string;
  name?: string;
  code?: number;
  /** `requestReceivedTimestamp`, RFC 3339 with microseconds. */
  at: string;
}

interface RawAuditEvent {
  verb?: string;
  stage?: string;
  user?: { username?: string };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
}

function toWrite(raw: RawAuditEvent): AuditWrite {
  const ref = raw.objectRef ?? {};
  const resource = ref.subresource ? `${ref.resource}/${ref.subresource}` : (ref.resource ?? '?');
  return {
    verb: raw.verb ?? '?',
    user: raw.user?.username ?? '?',
    resource,
    namespace: ref.namespace,
    name: ref.name,
    code: raw.responseStatus?.code,
    at: raw.requestReceivedTimestamp ?? '',
  };
}

/** Reads the JSON-lines audit log of a control plane started with `auditLogPath`. */
export class AuditLog {
  constructor(
    readonly path: string,
    readonly user: string = CONTROLLER_USER,
  ) {}

  /** Every completed write by {@link user} recorded so far, in log order. */
  writes(): AuditWrite[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as RawAuditEvent)
      .filter((raw) => raw.stage === 'ResponseComplete' && raw.user?.username === this.user)
      .map(toWrite);
  }

  /** A position in the log: the number of writes recorded so far. */
  mark(): number {
    return this.writes().length;
  }

  /** The writes recorded after `mark`. */
  since(mark: number): AuditWrite[] {
    return this.writes().slice(mark);
  }

  /**
   * Waits (polling with a deadline) until no new write has appeared for `quietMs`: the controller has
   * finished reacting. Returns the mark at that point.
   */
  async waitQuiet(quietMs: number, timeoutMs: number): Promise<number> {
    let count = this.mark();
    let changedAt = performance.now();
    return pollUntil(
      () => {
        const now = this.mark();
        if (now !== count) {
          count = now;
          changedAt = performance.now();
        }
        return performance.now() - changedAt >= quietMs && now;
      },
      { timeoutMs, intervalMs: 100, description: `${quietMs} ms without controller writes` },
    ).then((n) => Number(n));
  }
}

/** Writes counted by `verb resource`, e.g. `{ 'patch rollouts/status': 2 }`. */
export function tally(writes: readonly AuditWrite[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of writes) {
    const key = `${w.verb} ${w.resource}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** A tally as `patch rollouts/status 2, create events 1` (largest first); `none` when empty. */
export function formatTally(counts: Record<string, number>, digits = 0): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return 'none';
  return entries.map(([key, n]) => `${key} ${n.toFixed(digits)}`).join(', ');
}
