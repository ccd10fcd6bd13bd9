import { type FieldPath, type Issue, reference } from './issues.js';
import type { Rollout } from './rollout.js';
import type { TrafficRouting } from './traffic-routing.js';

/**
 * Names of the objects that exist, as the controller's caches see them. A missing set means "not
 * watched": references of that kind are not checked. VirtualService names are as written in the Rollout
 * (`name` or `name.namespace`).
 */
export interface KnownObjects {
  services?: ReadonlySet<string>;
  /** Service name → the Rollout named in its `argo-rollouts.argoproj.io/managed-by-rollouts` annotation. */
  serviceManagers?: ReadonlyMap<string, string>;
  virtualServices?: ReadonlySet<string>;
  destinationRules?: ReadonlySet<string>;
  ingresses?: ReadonlySet<string>;
}

function check(
  known: ReadonlySet<string> | undefined,
  name: string | undefined,
  path: FieldPath,
  kind: string,
): Issue[] {
  if (known === undefined || name === undefined || name === '' || known.has(name)) return [];
  return [reference(path, `${kind} "${name}" does not exist`)];
}

/**
 * A missing Service, in Argo's words (`Invalid value: "x": service "x" not found`, its lister's NotFound
 * under `field.Invalid`), or one another Rollout manages.
 */
function checkService(
  known: KnownObjects,
  name: string | undefined,
  path: FieldPath,
  rollout: string,
): Issue[] {
  if (known.services === undefined || name === undefined || name === '') return [];
  const quoted = JSON.stringify(name);
  if (!known.services.has(name))
    return [reference(path, `Invalid value: ${quoted}: service ${quoted} not found`)];
  const manager = known.serviceManagers?.get(name);
  if (manager === undefined || manager === rollout) return [];
  return [reference(path, `Service "${name}" is managed by another Rollout ("${manager}")`)];
}

function istioRefs(istio: TrafficRouting['istio'], known: KnownObjects, path: FieldPath): Issue[] {
  const single = istio?.virtualService;
  const services = single ? [{ vs: single, at: [...path, 'virtualService'] }] : [];
  (istio?.virtualServices ?? []).forEach((vs, i) => {
    services.push({ vs, at: [...path, 'virtualServices', i] });
  });
  const issues = services.flatMap(({ vs, at }) =>
    check(known.virtualServices, vs.name, [...at, 'name'], 'VirtualService'),
  );
  const dr = istio?.destinationRule;
  issues.push(
    ...check(known.destinationRules, dr?.name, [...path, 'destinationRule', 'name'], 'DestinationRule'),
  );
  return issues;
}

function routingRefs(routing: TrafficRouting | undefined, known: KnownObjects, path: FieldPath): Issue[] {
  const nginx = routing?.nginx;
  const issues = istioRefs(routing?.istio, known, [...path, 'istio']);
  issues.push(
    ...check(known.ingresses, nginx?.stableIngress, [...path, 'nginx', 'stableIngress'], 'Ingress'),
  );
  (nginx?.stableIngresses ?? []).forEach((name, i) => {
    issues.push(...check(known.ingresses, name, [...path, 'nginx', 'stableIngresses', i], 'Ingress'));
  });
  return issues;
}

function blueGreenRefs(rollout: Rollout, known: KnownObjects): Issue[] {
  const bg = rollout.spec.strategy.blueGreen;
  if (bg === undefined) return [];
  const path: FieldPath = ['spec', 'strategy', 'blueGreen'];
  const name = rollout.metadata.name ?? '';
  return [
    ...checkService(known, bg.activeService, [...path, 'activeService'], name),
    ...checkService(known, bg.previewService, [...path, 'previewService'], name),
  ];
}

/**
 * `reference` issues for objects a (valid) Rollout names that do not exist: Services (canary/stable or
 * active/preview; also one whose `managed-by-rollouts` annotation names another Rollout), VirtualServices,
 * DestinationRules and Ingresses. These are not terminal: the controller re-checks when the referenced
 * objects appear. Analysis templates are checked, with their contents, by the Rollout's analysis pre-flight.
 */
export function validateRolloutReferences(rollout: Rollout, known: KnownObjects): Issue[] {
  const canary = rollout.spec.strategy.canary;
  if (canary === undefined) return blueGreenRefs(rollout, known);
  const path: FieldPath = ['spec', 'strategy', 'canary'];
  const name = rollout.metadata.name ?? '';
  const pingPong = [...path, 'pingPong'];
  return [
    ...checkService(known, canary.canaryService, [...path, 'canaryService'], name),
    ...checkService(known, canary.stableService, [...path, 'stableService'], name),
    ...checkService(known, canary.pingPong?.pingService, [...pingPong, 'pingService'], name),
    ...checkService(known, canary.pingPong?.pongService, [...pingPong, 'pongService'], name),
    ...routingRefs(canary.trafficRouting, known, [...path, 'trafficRouting']),
  ];
}
