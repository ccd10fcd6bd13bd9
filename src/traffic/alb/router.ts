import { type AlbTrafficRouting, ROUTER_CAPABILITIES } from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import type { KubeObject } from '../../kube/types.js';
import { type DesiredTraffic, stableOnlyTraffic } from '../desired-traffic.js';
import { listOf } from '../json.js';
import type { Ingress } from '../nginx/ingress-types.js';
import {
  combineObserved,
  commitBestEffort,
  type EditTarget,
  getOptional,
  notFoundIssue,
  stagedApply,
  stageEdits,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, StagedApply, TrafficRouter } from '../router.js';
import type { AlbEditSpec } from './actions.js';
import { editAlbIngress, observedAlbIngress } from './ingress.js';

/** What the ALB router needs from the Rollout. */
export interface AlbRouterOptions {
  client: KubeClient;
  rolloutName: string;
  namespace: string;
  alb: AlbTrafficRouting;
  canaryService: string;
  stableService: string;
  managedRoutes?: readonly { name: string }[];
}

/** The Ingresses of `alb` (`ingresses`, else `ingress`), in spec order. */
export function albIngressNames(alb: AlbTrafficRouting): string[] {
  const list = listOf(alb.ingresses);
  if (list.length > 0) return [...list];
  return alb.ingress ? [alb.ingress] : [];
}

/**
 * AWS Load Balancer Controller adapter (`trafficRouting.alb`): edits the annotations (and, for header routes,
 * the paths) of each user-owned Ingress with the pure `editAlbIngress`, writing back (conditional replace)
 * only the Ingresses whose edit differs. Any issue in any Ingress → no write at all (apply). Clean-up leaves
 * the root action at 100% stable (the Ingress's `use-annotation` backend still needs it) and removes the
 * managed header routes. AWS target-group verification is not done (see `--aws-verify-target-group`).
 */
export class AlbTrafficRouter implements TrafficRouter {
  readonly type = 'alb';
  readonly capabilities = ROUTER_CAPABILITIES.alb;

  constructor(private readonly options: AlbRouterOptions) {}

  /** The root action's weights, agreed across all Ingresses; managed routes whose annotations exist. */
  async observe(): Promise<ObservedTraffic> {
    const { client, namespace, alb } = this.options;
    const observed = await Promise.all(
      albIngressNames(alb).map(async (name): Promise<ObservedTraffic> => {
        const ingress = await getOptional<Ingress>(client, Resources.ingresses, namespace, name);
        if (ingress === undefined) {
          const issues = [notFoundIssue('Ingress', namespace, name)];
          return {
            canaryWeight: undefined,
            stableWeight: undefined,
            headerRoutes: [],
            mirrorRoutes: [],
            issues,
          };
        }
        return { ...observedAlbIngress(ingress, this.editSpec()), mirrorRoutes: [], issues: [] };
      }),
    );
    return combineObserved(observed);
  }

  /** Reads and edits every Ingress; a missing one is an `ObjectNotFound` issue. Writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    return stagedApply(await stageEdits(this.options.client, this.targets(), desired, 'issue'));
  }

  /** 100% to the stable Service and the managed header routes removed, Ingress by Ingress; missing ones skipped. */
  async cleanup(): Promise<ApplyResult> {
    return commitBestEffort(
      await stageEdits(this.options.client, this.targets(), stableOnlyTraffic(), 'skip'),
    );
  }

  private editSpec(): AlbEditSpec {
    const { rolloutName, alb, canaryService, stableService, managedRoutes } = this.options;
    const spec: AlbEditSpec = { rolloutName, alb, canaryService, stableService };
    if (managedRoutes !== undefined) spec.managedRoutes = managedRoutes;
    return spec;
  }

  private targets(): EditTarget[] {
    const { alb, namespace } = this.options;
    return albIngressNames(alb).map((name) => ({
      resource: Resources.ingresses,
      kind: 'Ingress',
      namespace,
      name,
      edit: (object, desired) => {
        const result = editAlbIngress(object as Ingress, this.editSpec(), desired);
        return { object: result.object as KubeObject, issues: result.issues };
      },
    }));
  }
}
