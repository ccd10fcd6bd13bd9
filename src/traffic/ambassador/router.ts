import { isDeepStrictEqual } from 'node:util';
import { type AmbassadorTrafficRouting, ROUTER_CAPABILITIES } from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { KubeObject, OwnerReference } from '../../kube/types.js';
import { DEFAULT_MAX_TRAFFIC_WEIGHT, type DesiredTraffic } from '../desired-traffic.js';
import {
  combineObserved,
  commitBestEffort,
  conditionalReplace,
  getOptional,
  notFoundIssue,
  type StagedEdits,
  stagedApply,
  type Write,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, StagedApply, TrafficRouter } from '../router.js';
import { buildCanaryMapping, canaryMappingName, canaryMappingWeight, type Mapping } from './mapping.js';

/** The Rollout that owns the canary Mappings (its uid goes into their ownerReferences). */
export interface MappingOwner {
  name: string;
  namespace: string;
  uid: string;
}

/** What the Ambassador router needs from the Rollout. */
export interface AmbassadorRouterOptions {
  client: KubeClient;
  rollout: MappingOwner;
  ambassador: AmbassadorTrafficRouting;
  canaryService: string;
  stableService: string;
}

const RESOURCE = Resources.ambassadorMappings;

function ownerReference(rollout: MappingOwner): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: rollout.name,
    uid: rollout.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Ambassador adapter (`trafficRouting.ambassador`, Argo's router): for every listed Mapping, a canary Mapping
 * `<mapping>-canary` (the pure `buildCanaryMapping`) carries the canary weight; the base Mapping, which must
 * not define a weight, keeps the rest. The canary Mapping is created (owned by the Rollout) when the canary
 * weight turns positive, its spec replaced (conditionally) when it differs, and deleted at weight 0 and on
 * clean-up. A canary Mapping that already exists is adopted, as Argo does.
 */
export class AmbassadorTrafficRouter implements TrafficRouter {
  readonly type = 'ambassador';
  readonly capabilities = ROUTER_CAPABILITIES.ambassador;

  constructor(private readonly options: AmbassadorRouterOptions) {}

  /** The canary Mappings' weights (0 when absent), agreed across all; a missing base Mapping is an issue. */
  async observe(): Promise<ObservedTraffic> {
    const { client, rollout } = this.options;
    const observed = await Promise.all(
      this.options.ambassador.mappings.map(async (name): Promise<ObservedTraffic> => {
        const [base, canary] = await Promise.all([
          getOptional<Mapping>(client, RESOURCE, rollout.namespace, name),
          getOptional<Mapping>(client, RESOURCE, rollout.namespace, canaryMappingName(name)),
        ]);
        const issues = base === undefined ? [notFoundIssue('Mapping', rollout.namespace, name)] : [];
        const canaryWeight = canaryMappingWeight(canary);
        const stableWeight = DEFAULT_MAX_TRAFFIC_WEIGHT - canaryWeight;
        return { canaryWeight, stableWeight, headerRoutes: [], mirrorRoutes: [], issues };
      }),
    );
    return combineObserved(observed);
  }

  /** Reads every base and canary Mapping and stages the creates, replaces and deletes; writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    const staged = await Promise.all(this.options.ambassador.mappings.map((n) => this.stageOne(n, desired)));
    return stagedApply({ issues: staged.flatMap((s) => s.issues), writes: staged.flatMap((s) => s.writes) });
  }

  /** Deletes every canary Mapping (all traffic back to the base Mappings); missing ones are skipped. */
  async cleanup(): Promise<ApplyResult> {
    const { client, rollout } = this.options;
    const writes: Write[] = [];
    for (const name of this.options.ambassador.mappings) {
      const canary = await getOptional<Mapping>(client, RESOURCE, rollout.namespace, canaryMappingName(name));
      if (canary !== undefined) writes.push(this.deletion(canary));
    }
    return commitBestEffort({ issues: [], writes });
  }

  private async stageOne(baseName: string, desired: DesiredTraffic): Promise<StagedEdits> {
    const { client, rollout } = this.options;
    const namespace = rollout.namespace;
    const [base, current] = await Promise.all([
      getOptional<Mapping>(client, RESOURCE, namespace, baseName),
      getOptional<Mapping>(client, RESOURCE, namespace, canaryMappingName(baseName)),
    ]);
    if (base === undefined) return { issues: [notFoundIssue('Mapping', namespace, baseName)], writes: [] };
    const built = buildCanaryMapping(base, this.options, desired);
    if (built.issues.length > 0) return { issues: built.issues, writes: [] };
    const wanted = built.object;
    if (wanted === undefined)
      return { issues: [], writes: current === undefined ? [] : [this.deletion(current)] };
    if (current === undefined) {
      const body = {
        ...wanted,
        metadata: { ...wanted.metadata, ownerReferences: [ownerReference(rollout)] },
      };
      return {
        issues: [],
        writes: [() => client.create(RESOURCE, namespace, body as KubeObject).then(() => {})],
      };
    }
    if (isDeepStrictEqual(current.spec, wanted.spec)) return { issues: [], writes: [] };
    const target = { resource: RESOURCE, kind: 'Mapping', namespace, name: canaryMappingName(baseName) };
    const replaced = { ...current, spec: wanted.spec } as KubeObject;
    return { issues: [], writes: [conditionalReplace(client, target, replaced)] };
  }

  /** Deletes `canary` if it is still the object read (uid precondition); already gone is fine. */
  private deletion(canary: Mapping): Write {
    const { client, rollout } = this.options;
    const ref = { namespace: rollout.namespace, name: canary.metadata?.name ?? '' };
    const uid = typeof canary.metadata?.uid === 'string' ? canary.metadata.uid : undefined;
    return () =>
      client
        .delete(RESOURCE, ref, uid === undefined ? {} : { preconditions: { uid } })
        .catch((err: unknown) => {
          if (!isApiError(err, 'NotFound')) throw err;
        });
  }
}
