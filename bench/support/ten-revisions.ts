import { webRollout } from '../../test/integration/support/cli.js';
import type { RolloutApi } from '../../test/integration/support/rollouts.js';

/** How many revisions {@link tenRevisions} makes. */
export const REVISIONS = 10;

const rollout = (image: string) => webRollout(image, [], { replicas: 3, revisionHistoryLimit: REVISIONS });

/** Creates `web` and updates its image until it has 10 revisions, each fully promoted (the controller must run). */
export async function tenRevisions(api: RolloutApi): Promise<void> {
  await api.create(rollout('registry.example/web:0'));
  for (let i = 1; i <= REVISIONS; i++) {
    if (i > 1) {
      await api.patchSpec('web', {
        template: { spec: { containers: [{ name: 'app', image: `registry.example/web:${i}` }] } },
      });
    }
    await api.waitFor(
      'web',
      `revision ${i} Healthy`,
      (r, sets) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        sets.length === Math.max(1, i),
    );
  }
}
