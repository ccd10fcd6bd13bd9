import type { SmiTrafficRouting } from '../../api/index.js';
import type { DesiredTraffic } from '../desired-traffic.js';
import { isRecord, listOf } from '../json.js';

/** The TrafficSplit API versions Vireo writes (Argo: v1alpha1–v1alpha3; v1alpha4 is what smi-sdk-go's CRD serves). */
export const TRAFFIC_SPLIT_VERSIONS = ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'] as const;
export type TrafficSplitVersion = (typeof TRAFFIC_SPLIT_VERSIONS)[number];

/** One backend of a TrafficSplit: v1alpha1 weighs with a quantity string, later versions with an integer. */
export interface TrafficSplitBackend {
  service?: string;
  weight?: number | string;
  [key: string]: unknown;
}

/** A `split.smi-spec.io` TrafficSplit as read or written; unknown fields are kept. */
export interface TrafficSplit {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  spec?: { service?: string; backends?: TrafficSplitBackend[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** What the TrafficSplit edit needs from the Rollout. */
export interface TrafficSplitSpec {
  rolloutName: string;
  smi: SmiTrafficRouting;
  canaryService: string;
  stableService: string;
  version: TrafficSplitVersion;
}

/** The TrafficSplit's name: `trafficSplitName`, else the Rollout's name. */
export function trafficSplitName(rolloutName: string, smi: SmiTrafficRouting): string {
  return smi.trafficSplitName || rolloutName;
}

function weightValue(version: TrafficSplitVersion, weight: number): number | string {
  return version === 'v1alpha1' ? String(weight) : weight;
}

/**
 * The `spec.service` and `spec.backends` Argo writes: the root Service (`rootService`, default
 * `stableService`); backends canary, then each experiment Service, then stable with what is left
 * (`stableWeight` minus the experiment weights). v1alpha1 weights are quantity strings (`"20"`), later
 * versions integers.
 */
export function splitSpec(
  spec: TrafficSplitSpec,
  desired: DesiredTraffic,
): { service: string; backends: TrafficSplitBackend[] } {
  const experiments = desired.experimentWeights ?? [];
  const taken = experiments.reduce((sum, e) => sum + e.weight, 0);
  const backend = (service: string, weight: number) => ({
    service,
    weight: weightValue(spec.version, weight),
  });
  return {
    service: spec.smi.rootService || spec.stableService,
    backends: [
      backend(spec.canaryService, desired.canaryWeight),
      ...experiments.map((e) => backend(e.serviceName, e.weight)),
      backend(spec.stableService, desired.stableWeight - taken),
    ],
  };
}

/**
 * The TrafficSplit to write: `current` (or a new one named `trafficSplitName` in `namespace`) with
 * `spec.service` and `spec.backends` from `splitSpec`; every other field (`spec.matches`, labels,
 * annotations…) kept. Owner references are the adapter's. Pure.
 */
export function editTrafficSplit(
  current: TrafficSplit | undefined,
  spec: TrafficSplitSpec,
  desired: DesiredTraffic,
  namespace: string,
): TrafficSplit {
  const base: TrafficSplit = current ?? {
    apiVersion: `split.smi-spec.io/${spec.version}`,
    kind: 'TrafficSplit',
    metadata: { name: trafficSplitName(spec.rolloutName, spec.smi), namespace },
  };
  return { ...base, spec: { ...base.spec, ...splitSpec(spec, desired) } };
}

function weightNumber(weight: unknown): number | undefined {
  const value = typeof weight === 'string' && weight.trim() !== '' ? Number(weight) : weight;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The canary and stable weights a TrafficSplit carries (by backend Service); undefined when absent. */
export function observedSplitWeights(
  split: TrafficSplit,
  spec: Pick<TrafficSplitSpec, 'canaryService' | 'stableService'>,
): { canaryWeight: number | undefined; stableWeight: number | undefined } {
  const backends = listOf(split.spec?.backends).filter(isRecord);
  const weightOf = (service: string) => weightNumber(backends.find((b) => b.service === service)?.weight);
  return { canaryWeight: weightOf(spec.canaryService), stableWeight: weightOf(spec.stableService) };
}
