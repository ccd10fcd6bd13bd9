import { ALB_ANNOTATION_PREFIX, type AlbTrafficRouting } from '../../api/index.js';
import type { DesiredHeaderRoute, DesiredTraffic, ExperimentWeight } from '../desired-traffic.js';
import { isRecord } from '../json.js';

/** What the ALB edit needs from the Rollout; the Services are the canary and stable roles (ping/pong too). */
export interface AlbEditSpec {
  rolloutName: string;
  alb: AlbTrafficRouting;
  canaryService: string;
  stableService: string;
  managedRoutes?: readonly { name: string }[];
}

/** One target group of a forward action, in the AWS Load Balancer Controller's JSON shape (Argo's field order). */
export interface AlbTargetGroup {
  ServiceName: string;
  ServicePort: string;
  Weight: number;
}

/** The `actions.<service>` annotation value: a forward action over weighted target groups. */
export interface AlbAction {
  Type: 'forward';
  ForwardConfig: {
    TargetGroups: AlbTargetGroup[];
    TargetGroupStickinessConfig?: { Enabled: boolean; DurationSeconds: number };
  };
}

/** One `conditions.<route>` entry: an HTTP header and the values that match it exactly. */
export interface AlbCondition {
  field: 'http-header';
  httpHeaderConfig: { httpHeaderName: string; values: string[] };
}

/** The annotation prefix of `alb` (default `alb.ingress.kubernetes.io`). */
export function albAnnotationPrefix(alb: AlbTrafficRouting): string {
  return alb.annotationPrefix || ALB_ANNOTATION_PREFIX;
}

/** The Service whose action annotation carries the split: `rootService`, else the stable Service. */
export function albActionService(spec: AlbEditSpec): string {
  return spec.alb.rootService || spec.stableService;
}

/** `<prefix>/actions.<name>`, e.g. `alb.ingress.kubernetes.io/actions.web-root`. */
export function actionKey(alb: AlbTrafficRouting, name: string): string {
  return `${albAnnotationPrefix(alb)}/actions.${name}`;
}

/** `<prefix>/conditions.<name>`, the header conditions of the managed route `name`. */
export function conditionKey(alb: AlbTrafficRouting, name: string): string {
  return `${albAnnotationPrefix(alb)}/conditions.${name}`;
}

function stickiness(alb: AlbTrafficRouting): AlbAction['ForwardConfig'] {
  const sticky = alb.stickinessConfig;
  if (!sticky?.enabled) return { TargetGroups: [] };
  return {
    TargetGroups: [],
    TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: sticky.durationSeconds },
  };
}

function targetGroup(alb: AlbTrafficRouting, service: string, weight: number): AlbTargetGroup {
  return { ServiceName: service, ServicePort: String(alb.servicePort), Weight: weight };
}

/** The total experiment weight taken out of the stable share. */
function experimentTotal(experiments: readonly ExperimentWeight[]): number {
  return experiments.reduce((sum, e) => sum + e.weight, 0);
}

/**
 * The forward action of the root (or stable) Service, serialised as Argo writes it: target groups canary,
 * then each experiment Service, then stable with what is left (`stableWeight` minus the experiment
 * weights), all on `servicePort`; stickiness only when enabled. Example (20, no experiments):
 * `{"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"web-canary","ServicePort":"80","Weight":20},{"ServiceName":"web-stable","ServicePort":"80","Weight":80}]}}`.
 */
export function forwardAction(spec: AlbEditSpec, desired: DesiredTraffic): string {
  const experiments = desired.experimentWeights ?? [];
  const config = stickiness(spec.alb);
  config.TargetGroups = [
    targetGroup(spec.alb, spec.canaryService, desired.canaryWeight),
    ...experiments.map((e) => targetGroup(spec.alb, e.serviceName, e.weight)),
    targetGroup(spec.alb, spec.stableService, desired.stableWeight - experimentTotal(experiments)),
  ];
  const action: AlbAction = { Type: 'forward', ForwardConfig: config };
  return JSON.stringify(action);
}

/** The action of a header route: everything it matches goes to the canary Service (weight 100). */
export function headerRouteAction(spec: AlbEditSpec): string {
  const config = stickiness(spec.alb);
  config.TargetGroups = [targetGroup(spec.alb, spec.canaryService, 100)];
  const action: AlbAction = { Type: 'forward', ForwardConfig: config };
  return JSON.stringify(action);
}

/**
 * The conditions of a header route: one `http-header` condition per header name, the exact values of
 * every match on that name merged into its `values` (validation allows only `exact` values with ALB).
 */
export function headerRouteConditions(route: DesiredHeaderRoute): string {
  const conditions: AlbCondition[] = [];
  for (const match of route.match) {
    const value = match.headerValue?.exact ?? '';
    const same = conditions.find((c) => c.httpHeaderConfig.httpHeaderName === match.headerName);
    if (same) same.httpHeaderConfig.values.push(value);
    else
      conditions.push({
        field: 'http-header',
        httpHeaderConfig: { httpHeaderName: match.headerName, values: [value] },
      });
  }
  return JSON.stringify(conditions);
}

function targetGroupsOf(text: string | undefined): AlbTargetGroup[] | undefined {
  if (text === undefined) return undefined;
  try {
    const action: unknown = JSON.parse(text);
    if (!isRecord(action) || !isRecord(action.ForwardConfig)) return undefined;
    const groups = action.ForwardConfig.TargetGroups;
    return Array.isArray(groups) ? (groups.filter(isRecord) as unknown as AlbTargetGroup[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The canary and stable weights an action annotation value carries; undefined when absent or malformed. */
export function actionWeights(
  text: string | undefined,
  spec: Pick<AlbEditSpec, 'canaryService' | 'stableService'>,
): { canaryWeight: number | undefined; stableWeight: number | undefined } {
  const groups = targetGroupsOf(text) ?? [];
  const weightOf = (service: string) => {
    const weight = groups.find((g) => g.ServiceName === service)?.Weight;
    return typeof weight === 'number' && Number.isInteger(weight) ? weight : undefined;
  };
  return { canaryWeight: weightOf(spec.canaryService), stableWeight: weightOf(spec.stableService) };
}
