import type { z } from 'zod';
import { type AuthenticationSchema, isSupported, supportedText } from '../../api/index.js';
import { redactText } from '../../util/redact.js';
import { REDACTED, type Result } from '../core/index.js';
import { type ClientCredentials, type TokenCache, TokenError, type TokenRequestContext } from './oauth2.js';

/** A metric's `authentication` block (Prometheus and web share Argo's one type). */
export type Authentication = z.infer<typeof AuthenticationSchema>;

/** The `Authorization` value a metric's authentication asks for, and the strings to mask in messages. */
export interface Authorization {
  readonly header?: string;
  /** Credentials and what was derived from them (tokens, Basic values); masked whatever their length. */
  readonly secrets: readonly string[];
  /** Set when the header is an OAuth2 token: lets the caller drop it after a 401. */
  readonly oauth2?: ClientCredentials;
}

/** Which provider authenticates: its name in messages and its list of modes in `SUPPORTED`. */
export interface AuthModes {
  readonly provider: 'prometheus' | 'web';
  readonly group: 'prometheusAuth' | 'webAuth';
}

const hasValue = (value: object | undefined): boolean =>
  value !== undefined && Object.values(value).some((v) => v !== undefined && v !== '' && v !== null);

/** The first mode set in `auth` that the provider does not implement, as a message; undefined when none. */
export function unsupportedAuthMode(auth: Authentication | undefined, modes: AuthModes): string | undefined {
  const mode = (['sigv4', 'oauth2', 'basicAuth'] as const).find(
    (m) => hasValue(auth?.[m]) && !isSupported(modes.group, m),
  );
  if (mode === undefined) return undefined;
  const supported = supportedText(modes.group);
  return `${modes.provider} authentication.${mode} is not supported by Vireo (supported: ${supported}, headers)`;
}

function clientCredentials(auth: Authentication | undefined): Result<ClientCredentials | undefined> {
  const oauth2 = auth?.oauth2;
  if (!hasValue(oauth2)) return { ok: true, value: undefined };
  if (!oauth2?.tokenUrl) return { ok: false, error: 'authentication.oauth2.tokenUrl is required for OAuth2' };
  if (!oauth2.clientId || !oauth2.clientSecret) {
    return { ok: false, error: 'missing mandatory parameter in metric for OAuth2 setup' };
  }
  const { tokenUrl, clientId, clientSecret } = oauth2;
  return { ok: true, value: { tokenUrl, clientId, clientSecret, scopes: oauth2.scopes ?? [] } };
}

function basicAuthorization(auth: Authentication | undefined): Result<Authorization> {
  const basic = auth?.basicAuth;
  if (!basic?.username && !basic?.password) return { ok: true, value: { secrets: [] } };
  if (!basic.username || !basic.password) {
    const missing = basic.username ? 'password' : 'username';
    return { ok: false, error: `missing mandatory parameter in metric for basic auth setup: ${missing}` };
  }
  const encoded = btoa(
    String.fromCharCode(...new TextEncoder().encode(`${basic.username}:${basic.password}`)),
  );
  return { ok: true, value: { header: `Basic ${encoded}`, secrets: [basic.password, encoded] } };
}

async function oauth2Authorization(
  creds: ClientCredentials,
  tokens: TokenCache,
  context: TokenRequestContext,
): Promise<Result<Authorization>> {
  const secrets = [creds.clientSecret];
  try {
    const token = await tokens.token(creds, context);
    const header = `${token.type} ${token.accessToken}`;
    return { ok: true, value: { header, secrets: [...secrets, token.accessToken], oauth2: creds } };
  } catch (caught) {
    const cause = caught instanceof Error && caught.cause instanceof Error ? `: ${caught.cause.message}` : '';
    const base = caught instanceof Error ? caught.message : String(caught);
    const error =
      caught instanceof TokenError
        ? base
        : `oauth2: token request to ${creds.tokenUrl} failed: ${base}${cause}`;
    return { ok: false, error: redactText(error, secrets, REDACTED) };
  }
}

/**
 * Resolves a metric's `authentication` into the `Authorization` it sends, as Argo's providers do: OAuth2
 * client credentials (when `tokenUrl` is set; `clientId` and `clientSecret` are then required) win over
 * basic auth (both `username` and `password` required; Prometheus only). A mode the provider does not
 * implement (`sigv4`; `basicAuth` for web) is an error, never ignored. Errors name no credential; the
 * caller masks `secrets` in anything it reports.
 */
export async function authorize(
  auth: Authentication | undefined,
  modes: AuthModes,
  tokens: TokenCache,
  context: TokenRequestContext,
): Promise<Result<Authorization>> {
  const unsupported = unsupportedAuthMode(auth, modes);
  if (unsupported !== undefined) return { ok: false, error: unsupported };
  const basic = isSupported(modes.group, 'basicAuth')
    ? basicAuthorization(auth)
    : ({ ok: true, value: { secrets: [] } } as const);
  if (!basic.ok) return basic;
  const creds = clientCredentials(auth);
  if (!creds.ok) return creds;
  if (creds.value === undefined) return basic;
  const oauth2 = await oauth2Authorization(creds.value, tokens, context);
  if (!oauth2.ok) return oauth2;
  return { ok: true, value: { ...oauth2.value, secrets: [...oauth2.value.secrets, ...basic.value.secrets] } };
}
