import { type AppMeshTrafficRouting, ROUTER_CAPABILITIES } from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import type { KubeObject } from '../../kube/types.js';
import { type DesiredTraffic, stableOnlyTraffic } from '../desired-traffic.js';
import {
  commitBestEffort,
  type EditTarget,
  getOptional,
  type MissingObject,
  notFoundIssue,
  type StagedEdits,
  stagedApply,
  stageEdits,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, RouteIssue, StagedApply, TrafficRouter } from '../router.js';
import type { AppMeshRef, AppMeshVirtualService } from './types.js';
import {
  editVirtualNode,
  type VirtualNode,
  type VirtualNodeEdit,
  virtualNodeHashes,
} from './virtual-node.js';
import {
  editVirtualRouter,
  observedRouterWeights,
  type VirtualRouter,
  type VirtualRouterEditSpec,
} from './virtual-router.js';

/** What the App Mesh router needs from the Rollout. */
export interface AppMeshRouterOptions {
  client: KubeClient;
  rolloutName: string;
  namespace: string;
  appMesh: AppMeshTrafficRouting;
}

/** The VirtualRouter a VirtualService routes through, or the issue that it names none. */
type RouterLookup = { ref: Required<AppMeshRef> } | { issues: RouteIssue[] };

const NO_TRAFFIC: ObservedTraffic = {
  canaryWeight: undefined,
  stableWeight: undefined,
  headerRoutes: [],
  mirrorRoutes: [],
  issues: [],
};

/**
 * AWS App Mesh adapter (`trafficRouting.appMesh`, Argo's router): follows the VirtualService to its
 * VirtualRouter and re-weights the routes' weighted targets (`editVirtualRouter`), after giving the stable and
 * canary VirtualNodes their ReplicaSets' pod-template hashes in `spec.podSelector.matchLabels` and the
 * `managed-by-rollouts` annotation (`editVirtualNode`), nodes first so the canary node selects canary pods
 * before it gets traffic. Every write is a conditional replace of an object whose edit differs. Clean-up: 100%
 * stable, the stable node's hash key and both annotations removed (the canary node keeps its hash: two nodes
 * with one selector are refused by App Mesh).
 */
export class AppMeshTrafficRouter implements TrafficRouter {
  readonly type = 'appMesh';
  readonly capabilities = ROUTER_CAPABILITIES.appMesh;

  constructor(private readonly options: AppMeshRouterOptions) {}

  /** The weights of the first re-weighted route; a missing VirtualService or VirtualRouter is an issue. */
  async observe(): Promise<ObservedTraffic> {
    const lookup = await this.lookupRouter();
    if ('issues' in lookup) return { ...NO_TRAFFIC, issues: lookup.issues };
    const { client } = this.options;
    const { name, namespace } = lookup.ref;
    const router = await getOptional<VirtualRouter>(client, Resources.appMeshVirtualRouters, namespace, name);
    if (router === undefined)
      return { ...NO_TRAFFIC, issues: [notFoundIssue('VirtualRouter', namespace, name)] };
    return { ...NO_TRAFFIC, ...observedRouterWeights(router, this.routerSpec()) };
  }

  /** Reads the VirtualService, VirtualRouter and both VirtualNodes and stages their edits; writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    const { stable, canary } = virtualNodeHashes(desired);
    const manager = this.options.rolloutName;
    const nodes = {
      stable: { podHash: stable, managedBy: manager },
      canary: { podHash: canary, managedBy: manager },
    };
    return stagedApply(await this.stage(desired, nodes, 'issue'));
  }

  /** 100% stable; the stable node's hash key and both nodes' annotations removed; missing objects skipped. */
  async cleanup(): Promise<ApplyResult> {
    const nodes = { stable: { podHash: null, managedBy: null }, canary: { managedBy: null } };
    return commitBestEffort(await this.stage(stableOnlyTraffic(), nodes, 'skip'));
  }

  private async stage(
    desired: DesiredTraffic,
    nodes: { stable: VirtualNodeEdit; canary: VirtualNodeEdit },
    missing: MissingObject,
  ): Promise<StagedEdits> {
    const group = this.options.appMesh.virtualNodeGroup;
    const targets = [
      this.nodeTarget(group?.stableVirtualNodeRef.name ?? '', nodes.stable),
      this.nodeTarget(group?.canaryVirtualNodeRef.name ?? '', nodes.canary),
    ];
    const lookup = await this.lookupRouter();
    if ('ref' in lookup) targets.push(this.routerTarget(lookup.ref));
    const staged = await stageEdits(this.options.client, targets, desired, missing);
    if ('issues' in lookup && missing === 'issue') staged.issues.unshift(...lookup.issues);
    return staged;
  }

  private routerSpec(): VirtualRouterEditSpec {
    const { appMesh, namespace } = this.options;
    const spec: VirtualRouterEditSpec = {
      namespace,
      canaryVirtualNode: appMesh.virtualNodeGroup?.canaryVirtualNodeRef.name ?? '',
      stableVirtualNode: appMesh.virtualNodeGroup?.stableVirtualNodeRef.name ?? '',
    };
    if (appMesh.virtualService?.routes !== undefined) spec.routes = appMesh.virtualService.routes;
    return spec;
  }

  private async lookupRouter(): Promise<RouterLookup> {
    const { client, namespace } = this.options;
    const name = this.options.appMesh.virtualService?.name ?? '';
    const service = await getOptional<AppMeshVirtualService>(
      client,
      Resources.appMeshVirtualServices,
      namespace,
      name,
    );
    if (service === undefined) return { issues: [notFoundIssue('VirtualService', namespace, name)] };
    const ref = service.spec?.provider?.virtualRouter?.virtualRouterRef;
    if (ref?.name === undefined || ref.name === '') {
      const message = `App Mesh VirtualService "${name}" is not associated with a VirtualRouter (spec.provider.virtualRouter)`;
      const object = { kind: 'VirtualService', name, namespace };
      return {
        issues: [
          { reason: 'NoHttpRoute', object, path: 'spec.provider.virtualRouter.virtualRouterRef', message },
        ],
      };
    }
    return { ref: { name: ref.name, namespace: ref.namespace || namespace } };
  }

  private routerTarget(ref: Required<AppMeshRef>): EditTarget {
    return {
      resource: Resources.appMeshVirtualRouters,
      kind: 'VirtualRouter',
      namespace: ref.namespace,
      name: ref.name,
      edit: (object, desired) => {
        const result = editVirtualRouter(object as VirtualRouter, this.routerSpec(), desired);
        return { object: result.object as KubeObject, issues: result.issues };
      },
    };
  }

  private nodeTarget(name: string, edit: VirtualNodeEdit): EditTarget {
    return {
      resource: Resources.appMeshVirtualNodes,
      kind: 'VirtualNode',
      namespace: this.options.namespace,
      name,
      edit: (object) => ({ object: editVirtualNode(object as VirtualNode, edit) as KubeObject, issues: [] }),
    };
  }
}
