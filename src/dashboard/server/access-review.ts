import type { DeleteOptions, KubeClient, ListOptions, ObjectRef, Patch } from '../../kube/client.js';
import { ApiError } from '../../kube/errors.js';
import type { ResourceType } from '../../kube/resources.js';
import type { KubeList, KubeObject } from '../../kube/types.js';

/** A user as TokenReview reports them; the SubjectAccessReview of each request names exactly this. */
export interface ReviewedUser {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

const TOKEN_REVIEWS: ResourceType = { group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews' };
const ACCESS_REVIEWS: ResourceType = {
  group: 'authorization.k8s.io',
  version: 'v1',
  plural: 'subjectaccessreviews',
};

interface TokenReviewObject extends KubeObject {
  status?: { authenticated?: boolean; user?: Partial<ReviewedUser>; error?: string };
}

/**
 * Asks the API server who `token` belongs to (TokenReview, with the API server's default audiences).
 * Resolves to the user, or undefined when the token is not valid; an API failure rejects.
 */
export async function reviewToken(client: KubeClient, token: string): Promise<ReviewedUser | undefined> {
  const body: TokenReviewObject = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token },
  } as TokenReviewObject;
  const review = await client.create<TokenReviewObject>(TOKEN_REVIEWS, undefined, body);
  const user = review.status?.user;
  if (review.status?.authenticated !== true || !user?.username) return undefined;
  return {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups ?? [],
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

/** What one request asks to do, as RBAC names it. */
export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

interface AccessReviewObject extends KubeObject {
  status?: { allowed?: boolean; denied?: boolean; reason?: string };
}

/** SubjectAccessReview: may `user` do `attrs`? An API failure rejects (never read as allowed). */
export async function accessAllowed(
  client: KubeClient,
  user: ReviewedUser,
  attrs: AccessAttributes,
): Promise<boolean> {
  const resourceAttributes = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: user.username,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: user.groups,
      ...(user.extra ? { extra: user.extra } : {}),
      resourceAttributes,
    },
  } as AccessReviewObject;
  const review = await client.create<AccessReviewObject>(ACCESS_REVIEWS, undefined, body);
  return review.status?.allowed === true && review.status.denied !== true;
}

/** `patch rollouts/status` the way RBAC and the API server's own 403 message word it. */
export function describeAttributes(attrs: AccessAttributes): string {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const group = attrs.group === '' ? '' : ` in API group "${attrs.group}"`;
  const scope = attrs.namespace ? ` in the namespace "${attrs.namespace}"` : '';
  return `${attrs.verb} resource "${resource}"${group}${scope}`;
}

/**
 * A {@link KubeClient} that acts with the dashboard's own credentials only after a SubjectAccessReview
 * says `user` may make that very request (verb, resource, subresource, namespace, name). Invariant: no
 * request reaches `inner` unreviewed; a denial is the 403 {@link ApiError} the API server would return to
 * the user, so callers (the plugin's verbs) report it in their usual words.
 */
export class ReviewedKubeClient implements KubeClient {
  constructor(
    private readonly inner: KubeClient,
    private readonly reviewer: KubeClient,
    private readonly user: ReviewedUser,
  ) {}

  private async check(verb: string, res: ResourceType, namespace?: string, name?: string, sub?: string) {
    const attrs: AccessAttributes = {
      verb,
      group: res.group,
      resource: res.plural,
      ...(sub ? { subresource: sub } : {}),
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
    };
    if (await accessAllowed(this.reviewer, this.user, attrs)) return;
    throw new ApiError(403, 'Forbidden', `User "${this.user.username}" cannot ${describeAttributes(attrs)}`);
  }

  async get<T extends KubeObject>(res: ResourceType, namespace: string | undefined, name: string) {
    await this.check('get', res, namespace, name);
    return this.inner.get<T>(res, namespace, name);
  }

  async list<T extends KubeObject>(res: ResourceType, namespace?: string, opts?: ListOptions) {
    await this.check('list', res, namespace);
    return this.inner.list<T>(res, namespace, opts) as Promise<KubeList<T>>;
  }

  async create<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T) {
    await this.check('create', res, namespace);
    return this.inner.create<T>(res, namespace, body);
  }

  async replace<T extends KubeObject>(res: ResourceType, namespace: string | undefined, body: T) {
    await this.check('update', res, namespace, body.metadata?.name);
    return this.inner.replace<T>(res, namespace, body);
  }

  async patch<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch) {
    await this.check('patch', res, ref.namespace, ref.name);
    return this.inner.patch<T>(res, ref, patch);
  }

  async patchStatus<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch) {
    await this.check('patch', res, ref.namespace, ref.name, 'status');
    return this.inner.patchStatus<T>(res, ref, patch);
  }

  async delete(res: ResourceType, ref: ObjectRef, opts?: DeleteOptions) {
    await this.check('delete', res, ref.namespace, ref.name);
    return this.inner.delete(res, ref, opts);
  }
}
