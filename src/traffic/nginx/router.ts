import { type NginxTrafficRouting, ROUTER_CAPABILITIES } from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { OwnerReference } from '../../kube/types.js';
import { DEFAULT_MAX_TRAFFIC_WEIGHT, type DesiredTraffic } from '../desired-traffic.js';
import {
  combineObserved,
  conditionalReplace,
  getOptional,
  notFoundIssue,
  type StagedEdits,
  stagedApply,
} from '../object-edits.js';
import type { ApplyResult, ObservedTraffic, RouteIssue, StagedApply, TrafficRouter } from '../router.js';
import {
  buildCanaryIngress,
  type CanaryIngressInput,
  canaryIngressName,
  canaryIngressNeedsUpdate,
  DEFAULT_ANNOTATION_PREFIX,
  type Ingress,
  OWNED_CANARY_ANNOTATION_KEYS,
  observedCanaryWeight,
  stableIngressNames,
} from './canary-ingress.js';

/** The Rollout that owns the canary Ingresses (its uid goes into their ownerReferences). */
export interface RolloutOwner {
  name: string;
  namespace: string;
  uid: string;
}

/** What the NGINX router needs from the Rollout. */
export interface NginxRouterOptions {
  client: KubeClient;
  rollout: RolloutOwner;
  nginx: NginxTrafficRouting;
  canaryService: string;
  stableService: string;
}

/** The controller reference that ties a canary Ingress to its Rollout (garbage-collected with it). */
export function rolloutOwnerReference(rollout: RolloutOwner): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: rollout.name,
    uid: rollout.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function controlledBy(ingress: Ingress, uid: string): boolean {
  const refs = (ingress.metadata?.ownerReferences ?? []) as readonly OwnerReference[];
  return refs.some((r) => r.controller === true && r.uid === uid);
}

/**
 * The object to PUT over `current` so it matches `wanted`: `wanted`'s spec, its annotations and labels
 * merged over the current ones (keys others added are kept, Vireo's stale weight keys removed).
 */
function updatedCanary(current: Ingress, wanted: Ingress, prefix: string): Ingress {
  const stale = new Set(OWNED_CANARY_ANNOTATION_KEYS.map((k) => `${prefix}/${k}`));
  const kept = Object.entries(current.metadata?.annotations ?? {}).filter(([key]) => !stale.has(key));
  const annotations = { ...Object.fromEntries(kept), ...wanted.metadata?.annotations };
  const labels = { ...current.metadata?.labels, ...wanted.metadata?.labels };
  const metadata = {
    ...current.metadata,
    annotations,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
  return { ...current, metadata, spec: wanted.spec ?? {} };
}

/**
 * NGINX adapter: one canary Ingress `<rollout>-<stableIngress>-canary` per stable Ingress, built by the
 * pure `buildCanaryIngress`, controlled by the Rollout. Created when missing; replaced (conditionally)
 * only when `canaryIngressNeedsUpdate`; a same-named Ingress not controlled by this Rollout is a
 * `NotControlled` issue and is never touched. Clean-up deletes the canary Ingresses this Rollout controls.
 */
export class NginxTrafficRouter implements TrafficRouter {
  readonly type = 'nginx';
  readonly capabilities = ROUTER_CAPABILITIES.nginx;

  constructor(private readonly options: NginxRouterOptions) {}

  /** Weights written on the canary Ingresses, agreed across all of them (missing Ingress → undefined). */
  async observe(): Promise<ObservedTraffic> {
    const { client, rollout, nginx } = this.options;
    const prefix = this.prefix();
    const observed = await Promise.all(
      stableIngressNames(nginx).map(async (stable): Promise<ObservedTraffic> => {
        const name = canaryIngressName(rollout.name, stable);
        const canary = await getOptional<Ingress>(client, Resources.ingresses, rollout.namespace, name);
        const weight = canary === undefined ? undefined : observedCanaryWeight(canary, prefix);
        const totalText = canary?.metadata?.annotations?.[`${prefix}/canary-weight-total`];
        const total = totalText === undefined ? DEFAULT_MAX_TRAFFIC_WEIGHT : Number(totalText);
        const stableWeight = weight === undefined || !Number.isInteger(total) ? undefined : total - weight;
        return { canaryWeight: weight, stableWeight, headerRoutes: [], mirrorRoutes: [], issues: [] };
      }),
    );
    return combineObserved(observed);
  }

  /** Reads every stable and canary Ingress and builds the creates/replaces; writes nothing. */
  async prepare(desired: DesiredTraffic): Promise<StagedApply> {
    const staged = await Promise.all(
      stableIngressNames(this.options.nginx).map((name) => this.stageOne(name, desired)),
    );
    return stagedApply({ issues: staged.flatMap((s) => s.issues), writes: staged.flatMap((s) => s.writes) });
  }

  /** Deletes every canary Ingress in the namespace controlled by this Rollout (whatever its stable Ingress). */
  async cleanup(): Promise<ApplyResult> {
    const { client, rollout } = this.options;
    const list = await client.list<Ingress>(Resources.ingresses, rollout.namespace);
    const owned = list.items.filter(
      (i) => controlledBy(i, rollout.uid) && i.metadata?.annotations?.[`${this.prefix()}/canary`] === 'true',
    );
    for (const ingress of owned) {
      const ref = { namespace: rollout.namespace, name: ingress.metadata?.name ?? '' };
      const uid = typeof ingress.metadata?.uid === 'string' ? ingress.metadata.uid : undefined;
      await client
        .delete(Resources.ingresses, ref, uid === undefined ? {} : { preconditions: { uid } })
        .catch((err: unknown) => {
          if (!isApiError(err, 'NotFound') && !isApiError(err, 'Conflict')) throw err;
        });
    }
    return { changed: owned.length > 0, issues: [] };
  }

  private prefix(): string {
    return this.options.nginx.annotationPrefix ?? DEFAULT_ANNOTATION_PREFIX;
  }

  private input(): CanaryIngressInput {
    const { rollout, nginx, canaryService, stableService } = this.options;
    return { rolloutName: rollout.name, canaryService, stableService, nginx };
  }

  private async stageOne(stableName: string, desired: DesiredTraffic): Promise<StagedEdits> {
    const { client, rollout } = this.options;
    const namespace = rollout.namespace;
    const stable = await getOptional<Ingress>(client, Resources.ingresses, namespace, stableName);
    if (stable === undefined)
      return { issues: [notFoundIssue('Ingress', namespace, stableName)], writes: [] };
    const built = buildCanaryIngress(stable, this.input(), desired);
    if (built.object === undefined || built.issues.length > 0) return { issues: built.issues, writes: [] };
    const name = built.object.metadata?.name ?? '';
    const wanted: Ingress = {
      ...built.object,
      metadata: { ...built.object.metadata, ownerReferences: [rolloutOwnerReference(rollout)] },
    };
    const current = await getOptional<Ingress>(client, Resources.ingresses, namespace, name);
    if (current === undefined) {
      return {
        issues: [],
        writes: [() => client.create(Resources.ingresses, namespace, wanted).then(() => {})],
      };
    }
    if (!controlledBy(current, rollout.uid)) return { issues: [this.notControlled(name)], writes: [] };
    if (!canaryIngressNeedsUpdate(current, wanted, { annotationPrefix: this.prefix() })) {
      return { issues: [], writes: [] };
    }
    const target = { resource: Resources.ingresses, kind: 'Ingress', namespace, name };
    return {
      issues: [],
      writes: [conditionalReplace(client, target, updatedCanary(current, wanted, this.prefix()))],
    };
  }

  private notControlled(name: string): RouteIssue {
    const { rollout } = this.options;
    return {
      reason: 'NotControlled',
      object: { kind: 'Ingress', name, namespace: rollout.namespace },
      path: 'metadata.ownerReferences',
      message: `Ingress "${name}" exists but is not controlled by Rollout "${rollout.name}"; delete or rename it`,
    };
  }
}
