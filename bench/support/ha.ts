import { CoordinationV1Api } from '@kubernetes/client-node';
import { pollUntil } from '../../harness/wait.js';
import { formatTally } from './audit-log.js';
import type { BenchEnv, BenchReplica } from './bench-env.js';
import { readProcStats } from './proc-stats.js';
import type { BenchResult } from './report.js';
import {
  countsSince,
  filterWrites,
  type RequestCounts,
  readRequestCounts,
  totalRequests,
} from './request-kinds.js';

/** The Lease the controller replicas elect their leader on (`main.ts`: LEASE_NAME, no instance id). */
const LEASE = 'vireo-controller-lock';

/** The pid in a Lease holder identity `<hostname>_<pid>` (main.ts); NaN when it has none. */
export function holderPid(identity: string | undefined): number {
  return Number((identity ?? '').split('_').at(-1) || Number.NaN);
}

/**
 * The replica holding the Lease in the bench namespace, and the others (waits, with a deadline, for a
 * holder that is one of the replicas). Invariant: with one replica it returns it without reading a Lease.
 */
export async function electedReplicas(
  b: BenchEnv,
): Promise<{ leader: BenchReplica; standbys: BenchReplica[] }> {
  if (b.replicas.length === 1) return { leader: b.replicas[0] as BenchReplica, standbys: [] };
  const leases = b.kc.makeApiClient(CoordinationV1Api);
  const leader = await pollUntil(
    async () => {
      const lease = await leases.readNamespacedLease({ name: LEASE, namespace: b.namespace });
      const pid = holderPid(lease.spec?.holderIdentity);
      return b.replicas.find((r) => r.process.process.pid === pid);
    },
    { timeoutMs: 60_000, intervalMs: 250, description: 'a leader among the controller replicas' },
  );
  return { leader, standbys: b.replicas.filter((r) => r !== leader) };
}

/** Request counts of every standby now, to diff against at the end of a size. */
export function standbyCounts(standbys: readonly BenchReplica[]): RequestCounts[] {
  return standbys.map((s) => (s.requestCountsPath ? readRequestCounts(s.requestCountsPath) : {}));
}

/**
 * One row per standby: its API writes since `before` (goal 0: only the leader acts; Lease writes of a
 * standby would mean it took over), its other requests and its RSS.
 */
export function standbyRows(
  n: number,
  standbys: readonly BenchReplica[],
  before: RequestCounts[],
): BenchResult[] {
  return standbys.map((s, i) => {
    const since = countsSince(
      before[i] ?? {},
      s.requestCountsPath ? readRequestCounts(s.requestCountsPath) : {},
    );
    const writes = totalRequests(filterWrites(since));
    const rss = s.process.process.pid ? readProcStats(s.process.process.pid).rssMB.toFixed(0) : '?';
    return {
      name: `N=${n} standby replica writes (create + update + idle)`,
      p50: writes,
      p99: writes,
      unit: 'writes',
      goal: 'p99 = 0',
      notes: `standby RSS ${rss} MB; its requests: ${formatTally(since) || 'none'}`,
    };
  });
}
