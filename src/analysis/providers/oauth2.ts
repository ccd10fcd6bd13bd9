import { readCappedBody } from './read-capped.js';
import { sendRequest } from './transport.js';

/** The OAuth2 client-credentials settings of a metric, arguments already substituted. */
export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
}

/** An access token as the token endpoint issued it. */
export interface AccessToken {
  readonly accessToken: string;
  /** `Bearer`, or the `token_type` the endpoint named. */
  readonly type: string;
  /** Absent when the endpoint gave no `expires_in`: the token is then reused until it is refused. */
  readonly expiresAt?: number;
}

/** How one token request is made: TLS verification as the metric says, cancellation, the reconcile's time. */
export interface TokenRequestContext {
  readonly insecure: boolean;
  readonly signal: AbortSignal;
  readonly now: Date;
}

/** A token counts as expired this long before its end (golang.org/x/oauth2's `expiryDelta`). */
export const EXPIRY_MARGIN_MS = 10_000;
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
const MAX_CACHED_TOKENS = 512;

type AuthStyle = 'header' | 'params';

/** Go's `url.QueryEscape`, which `clientcredentials` applies to the id and secret in the Basic header. */
function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function tokenRequestBody(creds: ClientCredentials, style: AuthStyle): string {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (creds.scopes.length > 0) form.set('scope', creds.scopes.join(' '));
  if (style === 'params') {
    form.set('client_id', creds.clientId);
    form.set('client_secret', creds.clientSecret);
  }
  return form.toString();
}

/** A token endpoint's refusal or unusable answer; the message names no credential. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
}

function fieldsOf(body: string, contentType: string): Record<string, unknown> {
  if (/^(application\/x-www-form-urlencoded|text\/plain)/i.test(contentType)) {
    return Object.fromEntries(new URLSearchParams(body));
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TokenError('oauth2: cannot parse the token response as JSON');
}

function refusal(status: number, fields: Record<string, unknown> | undefined): string {
  const text = (key: string) => (typeof fields?.[key] === 'string' ? (fields[key] as string) : '');
  const detail = [text('error'), text('error_description')].filter(Boolean).join(': ').slice(0, 200);
  return `oauth2: cannot fetch token: ${status}${detail ? ` (${detail})` : ''}`;
}

function tokenFrom(fields: Record<string, unknown>, now: Date): AccessToken {
  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenError('oauth2: server response missing access_token');
  }
  const declared = typeof fields.token_type === 'string' && fields.token_type !== '' ? fields.token_type : '';
  const type = declared === '' || declared.toLowerCase() === 'bearer' ? 'Bearer' : declared;
  const seconds = Number(fields.expires_in ?? 0);
  const expires = Number.isFinite(seconds) && seconds > 0;
  return { accessToken, type, ...(expires ? { expiresAt: now.getTime() + seconds * 1000 } : {}) };
}

async function requestToken(
  creds: ClientCredentials,
  style: AuthStyle,
  context: TokenRequestContext,
): Promise<AccessToken> {
  const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded' });
  if (style === 'header') {
    const pair = `${queryEscape(creds.clientId)}:${queryEscape(creds.clientSecret)}`;
    headers.set('Authorization', `Basic ${btoa(pair)}`);
  }
  const init = { method: 'POST', headers, body: tokenRequestBody(creds, style), signal: context.signal };
  const response = await sendRequest(new URL(creds.tokenUrl), init, context.insecure);
  const body = await readCappedBody(response, MAX_TOKEN_RESPONSE_BYTES);
  if (body === undefined) throw new TokenError('oauth2: token response too large');
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status < 200 || response.status > 299) {
    let fields: Record<string, unknown> | undefined;
    try {
      fields = fieldsOf(body, contentType);
    } catch {
      fields = undefined;
    }
    throw new TokenError(refusal(response.status, fields));
  }
  return tokenFrom(fieldsOf(body, contentType), context.now);
}

function cacheKey(creds: ClientCredentials): string {
  return JSON.stringify([creds.tokenUrl, creds.clientId, creds.clientSecret, [...creds.scopes]]);
}

/**
 * OAuth2 client-credentials tokens (RFC 6749 §4.4), shared by every metric of the process. A token is
 * fetched once per distinct (token URL, client id, client secret, scopes) and reused until 10 s before it
 * expires; concurrent measurements wait for the same request. The client authenticates as
 * golang.org/x/oauth2 auto-detects: HTTP Basic first, then, if the endpoint refuses that, id and secret in
 * the form (the style that worked is remembered per token URL). `invalidate` drops a token the metric's
 * endpoint refused. At most 512 tokens are kept (oldest dropped first).
 */
export class TokenCache {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();
  private readonly styles = new Map<string, AuthStyle>();

  /** A valid token for `creds`: the cached one, or a new one from the token endpoint. Rejects on refusal. */
  async token(creds: ClientCredentials, context: TokenRequestContext): Promise<AccessToken> {
    const key = cacheKey(creds);
    const cached = this.tokens.get(key);
    const now = context.now.getTime();
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - EXPIRY_MARGIN_MS > now))
      return cached;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const request = this.fetchToken(creds, context).finally(() => this.pending.delete(key));
    this.pending.set(key, request);
    const token = await request;
    this.remember(key, token);
    return token;
  }

  /** Forgets the token of `creds` (its endpoint answered 401), so the next measurement fetches a new one. */
  invalidate(creds: ClientCredentials): void {
    this.tokens.delete(cacheKey(creds));
  }

  private remember(key: string, token: AccessToken): void {
    this.tokens.delete(key);
    if (this.tokens.size >= MAX_CACHED_TOKENS) this.tokens.delete(this.tokens.keys().next().value as string);
    this.tokens.set(key, token);
  }

  private async fetchToken(creds: ClientCredentials, context: TokenRequestContext): Promise<AccessToken> {
    const known = this.styles.get(creds.tokenUrl);
    if (known) return requestToken(creds, known, context);
    try {
      const token = await requestToken(creds, 'header', context);
      this.styles.set(creds.tokenUrl, 'header');
      return token;
    } catch (first) {
      if (!(first instanceof TokenError) || context.signal.aborted) throw first;
      const token = await requestToken(creds, 'params', context);
      this.styles.set(creds.tokenUrl, 'params');
      return token;
    }
  }
}
