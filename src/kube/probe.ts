import type { KubeClient, ResourceType } from './client.js';
import { isApiError } from './errors.js';

/** A label selector no object carries: the probe lists nothing, it only learns whether the API is readable. */
const PROBE_SELECTOR = 'vireo.dev/api-probe=absent';

/**
 * Whether the collection `res` can be listed in `namespace` (all namespaces when undefined): `readable`,
 * or why not (`not served`: 404, the kind is not installed; `forbidden`: 403). Any other error counts as
 * readable, so a passing outage never turns a watch off.
 */
export async function probeCollection(
  client: KubeClient,
  res: ResourceType,
  namespace: string | undefined,
): Promise<'readable' | 'not served' | 'forbidden'> {
  try {
    await client.list(res, namespace, { labelSelector: PROBE_SELECTOR });
    return 'readable';
  } catch (err) {
    if (isApiError(err, 'NotFound')) return 'not served';
    if (isApiError(err, 'Forbidden')) return 'forbidden';
    return 'readable';
  }
}
