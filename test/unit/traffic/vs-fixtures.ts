import type { VirtualService, VsHttpRoute } from '../../../src/traffic/istio/types.js';
import type { VirtualServiceEditSpec } from '../../../src/traffic/istio/virtual-service.js';
import { frozenCopy } from './helpers.js';

/** Splits route `primary` of VirtualService `vs` between the host-level Services `canary` and `stable`. */
export const hostSpec: VirtualServiceEditSpec = {
  virtualService: { name: 'vs', routes: ['primary'] },
  canaryService: 'canary',
  stableService: 'stable',
};

/** A route destination to `host`, with `weight` when given. */
export function dest(host: string, weight?: number, extra: Record<string, unknown> = {}) {
  return { destination: { host, ...extra }, ...(weight === undefined ? {} : { weight }) };
}

/** A frozen VirtualService `ns/vs` for host `svc` with these HTTP routes. */
export function vsWith(http: VsHttpRoute[], extra: Partial<VirtualService['spec']> = {}): VirtualService {
  return frozenCopy({ metadata: { name: 'vs', namespace: 'ns' }, spec: { hosts: ['svc'], http, ...extra } });
}

/** The route `primary` with these stable and canary weights. */
export const primary = (stable = 100, canary = 0): VsHttpRoute => ({
  name: 'primary',
  route: [dest('stable', stable), dest('canary', canary)],
});
