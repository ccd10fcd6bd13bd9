import type { Rollout } from '../../api/index.js';
import {
  checkRollout,
  MANAGED_BY_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  strategyServiceNames,
} from '../../api/index.js';
import { type KubeClient, Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import { cleanupAll, type RouterFactory, routeIssuesMessage, routersOf } from '../../traffic/router-set.js';
import type { Logger } from '../../util/logger.js';

function routingOf(obj: KubeObject | undefined): unknown {
  const spec = (obj as { spec?: { strategy?: { canary?: { trafficRouting?: unknown } } } } | undefined)?.spec;
  return spec?.strategy?.canary?.trafficRouting;
}

/**
 * The Rollout (parsed from `old`) whose traffic routing must be cleaned up: `old` routed traffic and
 * `current` is gone (deleted) or routes no traffic any more. Otherwise, or when `old` does not parse,
 * undefined. Pure.
 */
export function routingToCleanUp(
  old: KubeObject | undefined,
  current: KubeObject | undefined,
): Rollout | undefined {
  if (old === undefined || routingOf(old) === undefined) return undefined;
  if (current !== undefined && routingOf(current) !== undefined) return undefined;
  return checkRollout(old).rollout;
}

/** Gives a Service back its owner's selector, unless another Rollout manages it (then it is not ours). */
async function releaseService(
  client: KubeClient,
  namespace: string,
  name: string,
  rollout: string,
): Promise<void> {
  try {
    const svc = await client.get<KubeObject>(Resources.services, namespace, name);
    const manager = svc.metadata?.annotations?.[MANAGED_BY_ANNOTATION];
    if (manager !== undefined && manager !== rollout) return;
    const body = {
      metadata: { annotations: { [MANAGED_BY_ANNOTATION]: null } },
      spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: null } },
    };
    await client.patch(Resources.services, { namespace, name }, { type: 'merge', body });
  } catch (err) {
    if (!isApiError(err, 'NotFound')) throw err;
  }
}

/**
 * Best-effort release of the Services of a deleted Rollout (after its routing clean-up, if it routed): each loses the pod-hash
 * key of its selector and the `managed-by-rollouts` annotation (one another Rollout manages is left
 * alone). Failures are logged, never thrown.
 */
export async function releaseServices(client: KubeClient, logger: Logger, rollout: Rollout): Promise<void> {
  const name = rollout.metadata.name ?? '';
  try {
    for (const service of strategyServiceNames(rollout.spec.strategy)) {
      await releaseService(client, rollout.metadata.namespace ?? 'default', service, name);
    }
  } catch (err) {
    logger.warn({ rollout: `${rollout.metadata.namespace}/${name}`, err }, 'Service release failed');
  }
}

/**
 * Best-effort clean-up of a Rollout that stopped routing traffic: every router sends all traffic to the
 * stable Service, managed routes, DestinationRule hash labels and the Experiment destinations its status
 * records (`status.canary.weights.additional`) are removed and canary Ingresses deleted (`cleanupAll`).
 * Objects with route issues are left untouched and logged; failures are logged, never thrown.
 */
export async function cleanUpRouting(
  client: KubeClient,
  logger: Logger,
  rollout: Rollout,
  routers: RouterFactory | undefined,
): Promise<void> {
  const key = `${rollout.metadata.namespace}/${rollout.metadata.name}`;
  try {
    const additional = rollout.status?.canary?.weights?.additional ?? [];
    const retiredExperimentServices = additional.flatMap((w) => (w.serviceName ? [w.serviceName] : []));
    const result = await cleanupAll(routersOf(routers, client, rollout), { retiredExperimentServices });
    if (result.issues.length > 0)
      logger.warn(
        { rollout: key, issues: routeIssuesMessage(result.issues) },
        'traffic clean-up left objects',
      );
    logger.info({ rollout: key, changed: result.changed }, 'traffic routing cleaned up');
  } catch (err) {
    logger.warn({ rollout: key, err }, 'traffic clean-up failed');
  }
}
