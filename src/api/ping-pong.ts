import type { CanaryStrategy } from './canary.js';
import type { RolloutStatus } from './rollout-status.js';

/** The two sides of `spec.strategy.canary.pingPong`, as `status.canary.stablePingPong` names them. */
export type PingPongSide = 'ping' | 'pong';

/** The Service names playing the stable and canary roles now (either may be absent when not configured). */
export interface ServiceRoles {
  stableService?: string;
  canaryService?: string;
}

/**
 * The side that is stable for a recorded `status.canary.stablePingPong` (Argo `IsStablePing`): `ping` only
 * when the status says `ping`; `pong` otherwise, including when nothing is recorded yet.
 */
export function stableSideOf(status: RolloutStatus | undefined): PingPongSide {
  return status?.canary?.stablePingPong === 'ping' ? 'ping' : 'pong';
}

/** The other side: `ping` ↔ `pong` (a promotion swaps the roles). */
export function otherSide(side: PingPongSide): PingPongSide {
  return side === 'ping' ? 'pong' : 'ping';
}

/**
 * The Services in the stable and canary roles. With `pingPong`, the `stableSide` Service is stable and the
 * other one canary (stable `ping` → `{stable: pingService, canary: pongService}`); without it, the
 * `stableService`/`canaryService` fields. Invariant: with `pingPong` the two roles are always the two
 * distinct configured Services, never `canaryService`/`stableService` (validation forbids mixing them).
 */
export function serviceRolesOf(canary: CanaryStrategy | undefined, stableSide: PingPongSide): ServiceRoles {
  const pingPong = canary?.pingPong;
  if (pingPong === undefined) {
    return {
      ...(canary?.stableService ? { stableService: canary.stableService } : {}),
      ...(canary?.canaryService ? { canaryService: canary.canaryService } : {}),
    };
  }
  const ping = stableSide === 'ping';
  return {
    stableService: ping ? pingPong.pingService : pingPong.pongService,
    canaryService: ping ? pingPong.pongService : pingPong.pingService,
  };
}

/** Every Service the canary strategy names: `canaryService`, `stableService`, then ping and pong. */
export function canaryServiceNames(canary: CanaryStrategy | undefined): string[] {
  const names = [
    canary?.canaryService,
    canary?.stableService,
    canary?.pingPong?.pingService,
    canary?.pingPong?.pongService,
  ];
  return names.filter((n): n is string => typeof n === 'string' && n !== '');
}

/** Every Service a strategy names: the canary ones (`canaryServiceNames`), then blue-green active and preview. */
export function strategyServiceNames(strategy: {
  canary?: CanaryStrategy | undefined;
  blueGreen?: { activeService?: string | undefined; previewService?: string | undefined } | undefined;
}): string[] {
  const bg = [strategy.blueGreen?.activeService, strategy.blueGreen?.previewService];
  return [
    ...canaryServiceNames(strategy.canary),
    ...bg.filter((n): n is string => typeof n === 'string' && n !== ''),
  ];
}
