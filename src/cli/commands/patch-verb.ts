import type { Rollout } from '../../api/index.js';
import type { RolloutPatch } from '../../api/user-commands.js';
import { type CliContext, printData } from '../context.js';

/** What a simple patch verb needs: how to build its patch and what to say when done or when there is nothing to do. */
export interface PatchVerb {
  build(rollout: Rollout): RolloutPatch;
  done: string;
  nothing?: string;
}

/**
 * Reads the Rollout, builds the verb's patch with a pure builder and sends it (spec, then the status subresource). Prints `rollout 'NAME' <done>` (or the patched Rollout with `-o`); an empty patch sends
 * nothing and prints `nothing`. Returns the exit code (0).
 */
export async function runPatchVerb(ctx: CliContext, name: string, verb: PatchVerb): Promise<number> {
  const { api } = await ctx.kube();
  const rollout = await api.getRollout(name);
  const patch = verb.build(rollout);
  const empty = patch.spec === undefined && patch.status === undefined;
  const result = empty ? rollout : ((await api.apply(name, patch)) ?? rollout);
  if (await printData(ctx, result)) return 0;
  ctx.print(`rollout '${name}' ${empty && verb.nothing !== undefined ? verb.nothing : verb.done}`);
  return 0;
}
