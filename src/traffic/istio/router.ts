import { type IstioTrafficRouting, ROUTER_CAPABILITIES } from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import type { KubeObject } from '../../kube/types.js';
import { type DesiredTraffic, stableOnlyTraffic } from '../desired-traffic.js';
import {
  combineObserved,
  commitBestEffort,
  type EditTarget,
  getOptional,
  notFoundIssue,
  stagedApply,
  stageEdits,
} from '../object-edits.js';
import type { ApplyResult, CleanupOptions, ObservedTraffic, StagedApply, TrafficRouter } from '../router.js';
import { editDestinationRule } from './destination-rule.js';
import type { DestinationRule, VirtualService } from './types.js';
import {
  editVirtualService,
  observeVirtualService,
  type VirtualServiceEditSpec,
  type VirtualServiceRef,
  virtualServiceRefs,
} from './virtual-service.js';

/** What the Istio router needs from the Rollout. */
export interface IstioRouterOptions {
  client: KubeClient;
  rolloutName: string;
  /** The Rollout's namespace: home of the DestinationRule and of VirtualServices named without `.namespace`. */
  namespace: string;
  istio: IstioTrafficRouting;
  canaryService?: string;
  stableService?: string;
  managedRoutes?: readonly { name: string }[];
}

/**
 * Istio adapter: reads the Rollout's VirtualServices (and DestinationRule), edits them with the pure
 * `editVirtualService`/`editDestinationRule`, and writes back only the objects whose edit differs, each
 * with a conditional replace. Order on apply: DestinationRule (pod hashes) before VirtualService weights,
 * as Argo's UpdateHash-then-SetWeight; on clean-up the weights go to stable first, then the hash labels
 * are removed. Any issue in any of its objects → no write at all (apply).
 */
export class IstioTrafficRouter implements TrafficRouter {
  readonly type = 'istio';
  readonly capabilities = ROUTER_CAPABILITIES.istio;

  constructor(private readonly options: IstioRouterOptions) {}

  /** Weights of the first split route, agreed across all VirtualServices (else undefined). */
  async observe(): Promise<ObservedTraffic> {
    const { client, istio, namespace } = this.options;
    const refs = virtualServiceRefs(istio, namespace);
    const observed = await Promise.all(
      refs.map(async (ref): Promise<ObservedTraffic> => {
        const vs = await getOptional<VirtualService>(
          client,
          Resources.virtualServices,
          ref.namespace,
          ref.name,
        );
        if (vs !== undefined) return observeVirtualService(vs, this.editSpec(ref));
        const issues = [notFoundIssue('VirtualService', ref.namespace, ref.name)];
        return {
          canaryWeight: undefined,
          stableWeight: undefined,
          headerRoutes: [],
          mirrorRoutes: [],
          issues,
        };
      }),
    );
    return combineObserved(observed);
  }

  /** Reads and edits every object; a missing object is an `ObjectNotFound` issue. Writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    return stagedApply(await stageEdits(this.options.client, this.targets('apply'), desired, 'issue'));
  }

  /**
   * 100% stable, managed routes removed, pod-hash labels removed from the subsets, the destinations and
   * subsets of the retired Experiment Services removed; missing objects skipped.
   */
  async cleanup(options: CleanupOptions = {}): Promise<ApplyResult> {
    const desired = stableOnlyTraffic(undefined, options.retiredExperimentServices);
    const edits = await stageEdits(this.options.client, this.targets('cleanup'), desired, 'skip');
    return commitBestEffort(edits);
  }

  private editSpec(ref: VirtualServiceRef): VirtualServiceEditSpec {
    const { istio, canaryService, stableService, managedRoutes } = this.options;
    const spec: VirtualServiceEditSpec = { virtualService: ref.spec };
    if (istio.destinationRule !== undefined) spec.destinationRule = istio.destinationRule;
    else {
      if (canaryService !== undefined) spec.canaryService = canaryService;
      if (stableService !== undefined) spec.stableService = stableService;
    }
    if (managedRoutes !== undefined) spec.managedRoutes = managedRoutes;
    return spec;
  }

  private targets(mode: 'apply' | 'cleanup'): EditTarget[] {
    const { istio, namespace } = this.options;
    const virtualServices = virtualServiceRefs(istio, namespace).map(
      (ref): EditTarget => ({
        resource: Resources.virtualServices,
        kind: 'VirtualService',
        namespace: ref.namespace,
        name: ref.name,
        edit: (object, desired) => editVirtualService(object as VirtualService, this.editSpec(ref), desired),
      }),
    );
    const rule = this.destinationRuleTarget();
    if (rule === undefined) return virtualServices;
    return mode === 'apply' ? [rule, ...virtualServices] : [...virtualServices, rule];
  }

  private destinationRuleTarget(): EditTarget | undefined {
    const { istio, namespace, rolloutName } = this.options;
    const ref = istio.destinationRule;
    if (ref === undefined) return undefined;
    return {
      resource: Resources.destinationRules,
      kind: 'DestinationRule',
      namespace,
      name: ref.name,
      edit: (object, desired) => {
        const result = editDestinationRule(object as DestinationRule, ref, desired, {
          managedBy: rolloutName,
        });
        return { object: result.object as KubeObject, issues: result.issues };
      },
    };
  }
}
