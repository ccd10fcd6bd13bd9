import type { PodMetadata, RolloutStrategy } from '../../api/index.js';

/**
 * The ephemeral pod metadata a strategy asks for, by role (Argo `reconcileEphemeralMetadata`): `desired` is
 * carried by the new ReplicaSet while it is not yet stable (canary: `canaryMetadata`; blue-green:
 * `previewMetadata`), `stable` by the stable ReplicaSet, which is the new one once fully promoted (canary:
 * `stableMetadata`; blue-green: `activeMetadata`). Unset members mean "inject nothing".
 */
export interface EphemeralSpec {
  desired?: PodMetadata;
  stable?: PodMetadata;
}

/** The {@link EphemeralSpec} of `strategy`; `{}` when it sets none. Pure. */
export function ephemeralSpecOf(strategy: RolloutStrategy): EphemeralSpec {
  const blueGreen = strategy.blueGreen;
  if (blueGreen !== undefined)
    return { desired: blueGreen.previewMetadata, stable: blueGreen.activeMetadata };
  return { desired: strategy.canary?.canaryMetadata, stable: strategy.canary?.stableMetadata };
}
