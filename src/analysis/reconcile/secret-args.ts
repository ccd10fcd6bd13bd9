import type { Argument } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';

/**
 * Values of the run's `valueFrom.secretKeyRef` arguments, read from Secrets in the run's namespace
 * (base64-decoded). A missing Secret or key is an error naming the argument, Secret and key — never the
 * value. `fieldRef` and pod-hash arguments are resolved when the Rollout creates the run, so a run only
 * carries literal values besides Secret references.
 */
export async function secretArgValues(
  client: KubeClient,
  namespace: string | undefined,
  args: readonly Argument[] | undefined,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const arg of args ?? []) {
    const ref = arg.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const secret = await client
      .get<KubeObject & { data?: Record<string, string> }>(Resources.secrets, namespace, ref.name)
      .catch((err: unknown) => {
        if (isApiError(err, 'NotFound')) return undefined;
        throw err;
      });
    const encoded = secret?.data?.[ref.key];
    if (encoded === undefined) {
      throw new Error(`argument "${arg.name}": key "${ref.key}" of Secret "${ref.name}" not found`);
    }
    values[arg.name] = Buffer.from(encoded, 'base64').toString('utf8');
  }
  return values;
}
