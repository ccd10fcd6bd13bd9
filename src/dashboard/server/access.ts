import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KubeClient } from '../../kube/client.js';
import {
  type AccessAttributes,
  accessAllowed,
  ReviewedKubeClient,
  type ReviewedUser,
  reviewToken,
} from './access-review.js';

/**
 * Who is asking, and with what they act. `client` makes the plugin's requests for them; `mayRead` says
 * whether they may read a collection (always true in local mode, where the watches themselves use the
 * user's credentials and a 403 shows up as the watch's error).
 */
export interface Viewer {
  user: string;
  client: KubeClient;
  /** The value the UI must echo in the `X-Vireo-CSRF` header of every write. */
  csrfToken: string;
  mayRead(attrs: AccessAttributes): Promise<boolean>;
}

/** How requests are authenticated: `local` (the kubeconfig's user) or `in-cluster` (bearer tokens). */
export interface AccessPolicy {
  mode: 'local' | 'in-cluster';
  /** The viewer, or undefined when the request carries no valid credentials (→ 401). */
  viewerOf(req: IncomingMessage): Promise<Viewer | undefined>;
  /** The Set-Cookie value that logs a browser in with `token`, or undefined when the token is invalid. */
  login?(token: string, secure: boolean): Promise<string | undefined>;
}

/** The session cookie of in-cluster mode (the bearer token; HttpOnly, SameSite=Strict). */
export const TOKEN_COOKIE = 'vireo_token';

function hmac(secret: Buffer, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/** True when `given` is the CSRF token of `viewer` (constant-time comparison). */
export function csrfValid(viewer: Viewer, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(viewer.csrfToken);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Local mode: every request acts as the kubeconfig's user; the CSRF token is per server start. */
export function localPolicy(client: KubeClient, user: string): AccessPolicy {
  const csrfToken = hmac(randomBytes(32), 'local');
  const viewer: Viewer = { user, client, csrfToken, mayRead: async () => true };
  return { mode: 'local', viewerOf: async () => viewer };
}

/** The bearer token of a request: `Authorization: Bearer …`, else the session cookie. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === TOKEN_COOKIE && rest.length > 0) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** A small time-bounded memo (reviews are cached briefly so a page's many requests cost one review). */
class Memo<T> {
  private readonly entries = new Map<string, { value: Promise<T>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 1000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.until > now) return hit.value;
    if (this.entries.size >= this.max) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, until: now + this.ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

/**
 * In-cluster mode: a request must carry a bearer token (ServiceAccount or OIDC, whatever the API server
 * accepts) that TokenReview confirms; reads are allowed by SubjectAccessReview for that user, and every
 * request an action makes is reviewed before the dashboard's ServiceAccount (`client`) sends it. There is
 * no unauthenticated mode. Token reviews are cached for 30 s and read reviews for 10 s, keyed by the
 * token's SHA-256 (the token itself is never kept as a key, logged or echoed).
 */
export function clusterPolicy(client: KubeClient): AccessPolicy {
  const secret = randomBytes(32);
  const tokens = new Memo<ReviewedUser | undefined>(30_000);
  const reads = new Memo<boolean>(10_000);
  const viewerFor = (token: string, user: ReviewedUser): Viewer => {
    const digest = createHash('sha256').update(token).digest('base64url');
    return {
      user: user.username,
      client: new ReviewedKubeClient(client, client, user),
      csrfToken: hmac(secret, digest),
      mayRead: (attrs) =>
        reads.get(`${digest} ${JSON.stringify(attrs)}`, () => accessAllowed(client, user, attrs)),
    };
  };
  const review = (token: string) =>
    tokens.get(createHash('sha256').update(token).digest('base64url'), () => reviewToken(client, token));
  return {
    mode: 'in-cluster',
    viewerOf: async (req) => {
      const token = bearerToken(req);
      if (token === undefined || token === '') return undefined;
      const user = await review(token);
      return user === undefined ? undefined : viewerFor(token, user);
    },
    login: async (token, secure) => {
      if ((await review(token)) === undefined) return undefined;
      const flags = `HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
      return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; ${flags}`;
    },
  };
}
