import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { bearerToken, clusterPolicy, csrfValid } from '../../../src/dashboard/server/access.js';
import { ReviewedKubeClient } from '../../../src/dashboard/server/access-review.js';
import type { KubeClient } from '../../../src/kube/client.js';
import { ApiError } from '../../../src/kube/errors.js';
import { Resources } from '../../../src/kube/resources.js';
import type { KubeObject } from '../../../src/kube/types.js';

interface Review {
  spec: { token?: string; user?: string; resourceAttributes?: Record<string, string> };
}

/** An API server that knows one token (`good` → alice) and lets alice only get and list. */
function fakeApiServer() {
  const reviews: Review[] = [];
  const forwarded: string[] = [];
  const fail = async (): Promise<never> => {
    throw new Error('not used');
  };
  const client: KubeClient = {
    create: async <T extends KubeObject>(res: { plural: string }, _ns: string | undefined, body: T) => {
      const review = body as unknown as Review;
      reviews.push(review);
      if (res.plural === 'tokenreviews') {
        const ok = review.spec.token === 'good';
        return {
          status: { authenticated: ok, user: ok ? { username: 'alice', groups: ['devs'] } : {} },
        } as unknown as T;
      }
      const verb = review.spec.resourceAttributes?.verb ?? '';
      return { status: { allowed: verb === 'get' || verb === 'list' } } as unknown as T;
    },
    get: async <T extends KubeObject>() => {
      forwarded.push('get');
      return {} as T;
    },
    list: fail,
    replace: fail,
    patch: fail,
    patchStatus: fail,
    delete: fail,
  };
  return { client, reviews, forwarded };
}

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('in-cluster access', () => {
  it('takes the token from the Authorization header, else the session cookie', () => {
    expect(bearerToken(request({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(bearerToken(request({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(bearerToken(request({ cookie: 'a=1; vireo_token=x%2By' }))).toBe('x+y');
    expect(bearerToken(request({}))).toBeUndefined();
  });

  it('accepts only tokens TokenReview confirms, and reviews a token once within its cache time', async () => {
    const api = fakeApiServer();
    const policy = clusterPolicy(api.client);
    expect(await policy.viewerOf(request({}))).toBeUndefined();
    expect(await policy.viewerOf(request({ authorization: 'Bearer bad' }))).toBeUndefined();
    const viewer = await policy.viewerOf(request({ authorization: 'Bearer good' }));
    await policy.viewerOf(request({ cookie: 'vireo_token=good' }));
    expect(viewer?.user).toBe('alice');
    expect(api.reviews.filter((r) => r.spec.token === 'good')).toHaveLength(1);
    expect(await policy.login?.('bad', false)).toBeUndefined();
    expect(await policy.login?.('good', true)).toBe(
      'vireo_token=good; HttpOnly; SameSite=Strict; Path=/; Secure',
    );
  });

  it('gives each session its own CSRF token and checks it in constant time', async () => {
    const api = fakeApiServer();
    const viewer = await clusterPolicy(api.client).viewerOf(request({ authorization: 'Bearer good' }));
    if (viewer === undefined) throw new Error('no viewer');
    expect(csrfValid(viewer, viewer.csrfToken)).toBe(true);
    expect(csrfValid(viewer, `${viewer.csrfToken}x`)).toBe(false);
    expect(csrfValid(viewer, undefined)).toBe(false);
  });

  it('reviews every request an action makes for the user, and refuses with a 403 before sending', async () => {
    const api = fakeApiServer();
    const user = { username: 'alice', groups: ['devs'] };
    const reviewed = new ReviewedKubeClient(api.client, api.client, user);
    await reviewed.get(Resources.rollouts, 'shop', 'web');
    const denied = reviewed.patchStatus(
      Resources.rollouts,
      { namespace: 'shop', name: 'web' },
      { type: 'merge', body: {} },
    );
    await expect(denied).rejects.toBeInstanceOf(ApiError);
    await expect(denied).rejects.toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'User "alice" cannot patch resource "rollouts/status" in API group "argoproj.io" in the namespace "shop"',
    });
    expect(api.forwarded).toEqual(['get']);
    expect(api.reviews.map((r) => [r.spec.user, r.spec.resourceAttributes])).toEqual([
      ['alice', { verb: 'get', group: 'argoproj.io', resource: 'rollouts', namespace: 'shop', name: 'web' }],
      [
        'alice',
        {
          verb: 'patch',
          group: 'argoproj.io',
          resource: 'rollouts',
          subresource: 'status',
          namespace: 'shop',
          name: 'web',
        },
      ],
    ]);
  });
});
