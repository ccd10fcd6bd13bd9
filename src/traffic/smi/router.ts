import { isDeepStrictEqual } from 'node:util';
import { ROUTER_CAPABILITIES, type SmiTrafficRouting } from '../../api/index.js';
import { type KubeClient, Resources, type ResourceType } from '../../kube/client.js';
import type { KubeObject, OwnerReference } from '../../kube/types.js';
import { type DesiredTraffic, stableOnlyTraffic } from '../desired-traffic.js';
import {
  commitBestEffort,
  conditionalReplace,
  getOptional,
  type StagedEdits,
  stagedApply,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, RouteIssue, StagedApply, TrafficRouter } from '../router.js';
import {
  editTrafficSplit,
  observedSplitWeights,
  type TrafficSplit,
  type TrafficSplitSpec,
  type TrafficSplitVersion,
  trafficSplitName,
} from './traffic-split.js';

/** What the SMI router needs from the Rollout and the controller's settings. */
export interface SmiRouterOptions {
  client: KubeClient;
  rollout: { name: string; namespace: string; uid: string };
  smi: SmiTrafficRouting;
  canaryService: string;
  stableService: string;
  /** The TrafficSplit collection (`--traffic-split-api-version`; default Argo's v1alpha1). */
  resource?: ResourceType;
}

function versionOf(resource: ResourceType): TrafficSplitVersion {
  return resource.version as TrafficSplitVersion;
}

function controlledBy(split: TrafficSplit, uid: string): boolean {
  const refs = (split.metadata?.ownerReferences ?? []) as readonly OwnerReference[];
  return refs.some((r) => r.controller === true && r.uid === uid);
}

/**
 * SMI adapter (`trafficRouting.smi`): one TrafficSplit per Rollout (`trafficSplitName`, default the
 * Rollout's name), created with the Rollout as its controller (so it is garbage-collected with it) and
 * then edited in place (conditional replace) only when its service or backends differ. A same-named
 * TrafficSplit the Rollout does not control is a `NotControlled` issue and never touched. Clean-up sends
 * all traffic to the stable Service and keeps the TrafficSplit (deleting it would hand the root Service's
 * traffic to whatever it selects).
 */
export class SmiTrafficRouter implements TrafficRouter {
  readonly type = 'smi';
  readonly capabilities = ROUTER_CAPABILITIES.smi;

  constructor(private readonly options: SmiRouterOptions) {}

  /** The backend weights of the TrafficSplit (undefined before it exists). */
  async observe(): Promise<ObservedTraffic> {
    const split = await this.read();
    const weights =
      split === undefined
        ? { canaryWeight: undefined, stableWeight: undefined }
        : observedSplitWeights(split, this.spec());
    return { ...weights, headerRoutes: [], mirrorRoutes: [], issues: [] };
  }

  /** Reads the TrafficSplit and stages its create or replace; writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    return stagedApply(await this.stage(desired, 'create'));
  }

  /** All traffic to the stable Service, when the TrafficSplit exists and this Rollout controls it. */
  async cleanup(): Promise<ApplyResult> {
    return commitBestEffort(await this.stage(stableOnlyTraffic(), 'skip'));
  }

  private resource(): ResourceType {
    return this.options.resource ?? Resources.trafficSplits;
  }

  private spec(): TrafficSplitSpec {
    const { rollout, smi, canaryService, stableService } = this.options;
    return {
      rolloutName: rollout.name,
      smi,
      canaryService,
      stableService,
      version: versionOf(this.resource()),
    };
  }

  private name(): string {
    return trafficSplitName(this.options.rollout.name, this.options.smi);
  }

  private read(): Promise<TrafficSplit | undefined> {
    const { client, rollout } = this.options;
    return getOptional<TrafficSplit & KubeObject>(client, this.resource(), rollout.namespace, this.name());
  }

  private async stage(desired: DesiredTraffic, missing: 'create' | 'skip'): Promise<StagedEdits> {
    const { client, rollout } = this.options;
    const current = await this.read();
    const wanted = editTrafficSplit(current, this.spec(), desired, rollout.namespace);
    if (current === undefined) {
      if (missing === 'skip') return { issues: [], writes: [] };
      const created = {
        ...wanted,
        metadata: { ...wanted.metadata, ownerReferences: [this.ownerReference()] },
      };
      const write = () =>
        client.create(this.resource(), rollout.namespace, created as KubeObject).then(() => {});
      return { issues: [], writes: [write] };
    }
    if (!controlledBy(current, rollout.uid)) return { issues: [this.notControlled()], writes: [] };
    if (isDeepStrictEqual(current.spec, wanted.spec)) return { issues: [], writes: [] };
    const target = {
      resource: this.resource(),
      kind: 'TrafficSplit',
      namespace: rollout.namespace,
      name: this.name(),
    };
    return { issues: [], writes: [conditionalReplace(client, target, wanted as KubeObject)] };
  }

  private ownerReference(): OwnerReference {
    const { name, uid } = this.options.rollout;
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name,
      uid,
      controller: true,
      blockOwnerDeletion: true,
    };
  }

  private notControlled(): RouteIssue {
    const { rollout } = this.options;
    return {
      reason: 'NotControlled',
      object: { kind: 'TrafficSplit', name: this.name(), namespace: rollout.namespace },
      path: 'metadata.ownerReferences',
      message: `TrafficSplit "${this.name()}" exists but is not controlled by Rollout "${rollout.name}"; delete or rename it`,
    };
  }
}
