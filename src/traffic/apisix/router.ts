import { isDeepStrictEqual } from 'node:util';
import { type ApisixTrafficRouting, ROUTER_CAPABILITIES } from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { KubeObject, OwnerReference } from '../../kube/types.js';
import { type DesiredTraffic, stableOnlyTraffic } from '../desired-traffic.js';
import { listOf } from '../json.js';
import {
  conditionalReplace,
  type EditTarget,
  getOptional,
  notFoundIssue,
  type StagedEdits,
  stagedApply,
  stageEdits,
  type Write,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, RouteIssue, StagedApply, TrafficRouter } from '../router.js';
import { type ApisixRouteEditSpec, editApisixRoute, observedApisixWeights } from './apisix-route.js';
import { buildHeaderRoute } from './header-route.js';
import type { ApisixRoute } from './types.js';

/** The Rollout that owns the header-route ApisixRoutes (its uid goes into their ownerReferences). */
export interface ApisixRouteOwner {
  name: string;
  namespace: string;
  uid: string;
}

/** What the APISIX router needs from the Rollout. */
export interface ApisixRouterOptions {
  client: KubeClient;
  rollout: ApisixRouteOwner;
  apisix: ApisixTrafficRouting;
  canaryService: string;
  stableService: string;
  managedRoutes?: readonly { name: string }[];
}

const RESOURCE = Resources.apisixRoutes;

function controlledBy(route: ApisixRoute, uid: string): boolean {
  const refs = (route.metadata?.ownerReferences ?? []) as readonly OwnerReference[];
  return refs.some((r) => r.controller === true && r.uid === uid);
}

function ownerReference(rollout: ApisixRouteOwner): OwnerReference {
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
 * Apache APISIX adapter (`trafficRouting.apisix`, Argo's router): re-weights the split rules of the
 * ApisixRoute (the pure `editApisixRoute`, a conditional replace), and for each header route in force keeps an
 * ApisixRoute named after the managed route (`buildHeaderRoute`), owned by the Rollout: created, replaced when
 * its spec differs, deleted when the route is no longer in force and on clean-up. An ApisixRoute of a managed
 * route's name the Rollout does not control is a `NotControlled` issue and never touched. Mirror routes are not
 * carried (Argo's APISIX router ignores them; validation refuses them when no other router can).
 */
export class ApisixTrafficRouter implements TrafficRouter {
  readonly type = 'apisix';
  readonly capabilities = ROUTER_CAPABILITIES.apisix;

  constructor(private readonly options: ApisixRouterOptions) {}

  /** Weights of the first split rule; the managed ApisixRoutes this Rollout controls as header routes. */
  async observe(): Promise<ObservedTraffic> {
    const { client, rollout } = this.options;
    const name = this.spec().routeName;
    const [main, ...managed] = await Promise.all([
      getOptional<ApisixRoute>(client, RESOURCE, rollout.namespace, name),
      ...this.managedNames().map((n) => getOptional<ApisixRoute>(client, RESOURCE, rollout.namespace, n)),
    ]);
    const headerRoutes = this.managedNames().filter((_, i) => {
      const route = managed[i];
      return route !== undefined && controlledBy(route, rollout.uid);
    });
    if (main === undefined) {
      const issues = [notFoundIssue('ApisixRoute', rollout.namespace, name)];
      return { canaryWeight: undefined, stableWeight: undefined, headerRoutes, mirrorRoutes: [], issues };
    }
    return { ...observedApisixWeights(main, this.spec()), headerRoutes, mirrorRoutes: [], issues: [] };
  }

  /** Reads the ApisixRoute and the managed ones, stages the weight edit and the header routes; writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    const { client, rollout } = this.options;
    const name = this.spec().routeName;
    const main = await getOptional<ApisixRoute>(client, RESOURCE, rollout.namespace, name);
    if (main === undefined) {
      return stagedApply({ issues: [notFoundIssue('ApisixRoute', rollout.namespace, name)], writes: [] });
    }
    const edited = editApisixRoute(main, this.spec(), desired);
    const headers = await this.stageHeaders(main, desired);
    const issues = [...edited.issues, ...headers.issues];
    const target = { resource: RESOURCE, kind: 'ApisixRoute', namespace: rollout.namespace, name };
    const changed = !isDeepStrictEqual(edited.object, main);
    const writes = changed ? [conditionalReplace(client, target, edited.object as KubeObject)] : [];
    return stagedApply({ issues, writes: [...writes, ...headers.writes] });
  }

  /** 100% to the stable Service in the ApisixRoute; every managed ApisixRoute this Rollout controls deleted. */
  async cleanup(): Promise<ApplyResult> {
    const { client, rollout } = this.options;
    const main = await stageEdits(client, [this.mainTarget()], stableOnlyTraffic(), 'skip');
    const writes = [...main.writes];
    for (const name of this.managedNames()) {
      const route = await getOptional<ApisixRoute>(client, RESOURCE, rollout.namespace, name);
      if (route !== undefined && controlledBy(route, rollout.uid)) writes.push(this.deletion(route));
    }
    for (const write of writes) await write();
    return { changed: writes.length > 0, issues: main.issues };
  }

  private spec(): ApisixRouteEditSpec {
    const { apisix, canaryService, stableService } = this.options;
    const spec: ApisixRouteEditSpec = { routeName: apisix.route?.name ?? '', canaryService, stableService };
    if (apisix.route?.rules !== undefined) spec.rules = apisix.route.rules;
    return spec;
  }

  private managedNames(): string[] {
    return listOf(this.options.managedRoutes).map((r) => r.name);
  }

  private mainTarget(): EditTarget {
    const { rollout } = this.options;
    return {
      resource: RESOURCE,
      kind: 'ApisixRoute',
      namespace: rollout.namespace,
      name: this.spec().routeName,
      edit: (object, desired) => {
        const result = editApisixRoute(object as ApisixRoute, this.spec(), desired);
        return { object: result.object as KubeObject, issues: result.issues };
      },
    };
  }

  private async stageHeaders(main: ApisixRoute, desired: DesiredTraffic): Promise<StagedEdits> {
    const staged = await Promise.all(
      this.managedNames().map((name) => this.stageHeader(main, name, desired)),
    );
    return { issues: staged.flatMap((s) => s.issues), writes: staged.flatMap((s) => s.writes) };
  }

  private async stageHeader(main: ApisixRoute, name: string, desired: DesiredTraffic): Promise<StagedEdits> {
    const { client, rollout } = this.options;
    const current = await getOptional<ApisixRoute>(client, RESOURCE, rollout.namespace, name);
    const ours = current !== undefined && controlledBy(current, rollout.uid);
    const header = desired.headerRoutes.find((r) => r.name === name && r.match.length > 0);
    if (header === undefined) return { issues: [], writes: ours ? [this.deletion(current)] : [] };
    const built = buildHeaderRoute(main, this.spec(), header);
    if (built.object === undefined) return { issues: built.issues, writes: [] };
    const wanted = built.object;
    if (current === undefined) {
      const body = {
        ...wanted,
        metadata: { ...wanted.metadata, ownerReferences: [ownerReference(rollout)] },
      };
      return {
        issues: [],
        writes: [() => client.create(RESOURCE, rollout.namespace, body as KubeObject).then(() => {})],
      };
    }
    if (!ours) return { issues: [this.notControlled(name)], writes: [] };
    if (isDeepStrictEqual(current.spec, wanted.spec)) return { issues: [], writes: [] };
    const target = { resource: RESOURCE, kind: 'ApisixRoute', namespace: rollout.namespace, name };
    return {
      issues: [],
      writes: [conditionalReplace(client, target, { ...current, spec: wanted.spec } as KubeObject)],
    };
  }

  private deletion(route: ApisixRoute): Write {
    const { client, rollout } = this.options;
    const ref = { namespace: rollout.namespace, name: route.metadata?.name ?? '' };
    const uid = typeof route.metadata?.uid === 'string' ? route.metadata.uid : undefined;
    return () =>
      client
        .delete(RESOURCE, ref, uid === undefined ? {} : { preconditions: { uid } })
        .catch((err: unknown) => {
          if (!isApiError(err, 'NotFound')) throw err;
        });
  }

  private notControlled(name: string): RouteIssue {
    const { rollout } = this.options;
    return {
      reason: 'NotControlled',
      object: { kind: 'ApisixRoute', name, namespace: rollout.namespace },
      path: 'metadata.ownerReferences',
      message: `ApisixRoute "${name}" (the managed route "${name}") exists but is not controlled by Rollout "${rollout.name}"; delete or rename it`,
    };
  }
}
