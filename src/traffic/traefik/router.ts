import { ROUTER_CAPABILITIES, type TraefikTrafficRouting } from '../../api/index.js';
import { type KubeClient, Resources, type ResourceType } from '../../kube/client.js';
import type { KubeObject } from '../../kube/types.js';
import { type DesiredTraffic, stableOnlyTraffic } from '../desired-traffic.js';
import {
  commitBestEffort,
  type EditTarget,
  getOptional,
  notFoundIssue,
  stagedApply,
  stageEdits,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, StagedApply, TrafficRouter } from '../router.js';
import { editTraefikService, observedTraefikWeights, type TraefikService } from './traefik-service.js';

/** What the Traefik router needs from the Rollout and the controller's settings. */
export interface TraefikRouterOptions {
  client: KubeClient;
  namespace: string;
  traefik: TraefikTrafficRouting;
  canaryService: string;
  stableService: string;
  /** The TraefikService collection (`--traefik-api-group`/`--traefik-api-version`; default Argo's traefik.io/v1alpha1). */
  resource?: ResourceType;
}

/**
 * Traefik adapter (`trafficRouting.traefik`): edits the weights of the canary and stable entries of the
 * user-owned TraefikService `weightedTraefikServiceName` with the pure `editTraefikService`, writing back
 * (conditional replace) only when they differ. Clean-up sends all traffic to the stable entry.
 */
export class TraefikTrafficRouter implements TrafficRouter {
  readonly type = 'traefik';
  readonly capabilities = ROUTER_CAPABILITIES.traefik;

  constructor(private readonly options: TraefikRouterOptions) {}

  /** The weights of the canary and stable entries; a missing TraefikService is an `ObjectNotFound` issue. */
  async observe(): Promise<ObservedTraffic> {
    const { client, namespace, traefik } = this.options;
    const name = traefik.weightedTraefikServiceName;
    const ts = await getOptional<TraefikService & KubeObject>(client, this.resource(), namespace, name);
    const none = { headerRoutes: [], mirrorRoutes: [] };
    if (ts === undefined) {
      const issues = [notFoundIssue('TraefikService', namespace, name)];
      return { canaryWeight: undefined, stableWeight: undefined, ...none, issues };
    }
    return { ...observedTraefikWeights(ts, this.options), ...none, issues: [] };
  }

  /** Reads and edits the TraefikService; a missing one is an `ObjectNotFound` issue. Writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    return stagedApply(await stageEdits(this.options.client, this.targets(), desired, 'issue'));
  }

  /** 100% to the stable entry; a missing TraefikService is skipped. */
  async cleanup(): Promise<ApplyResult> {
    return commitBestEffort(
      await stageEdits(this.options.client, this.targets(), stableOnlyTraffic(), 'skip'),
    );
  }

  private resource(): ResourceType {
    return this.options.resource ?? Resources.traefikServices;
  }

  private targets(): EditTarget[] {
    const { namespace, traefik, canaryService, stableService } = this.options;
    const target: EditTarget = {
      resource: this.resource(),
      kind: 'TraefikService',
      namespace,
      name: traefik.weightedTraefikServiceName,
      edit: (object, desired) => {
        const result = editTraefikService(
          object as TraefikService,
          { canaryService, stableService },
          desired,
        );
        return { object: result.object as KubeObject, issues: result.issues };
      },
    };
    return [target];
  }
}
