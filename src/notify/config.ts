import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseGoDuration } from '../api/duration.js';

/** The services ConfigMap, in the controller's namespace (Argo Rollouts' name). */
export const NOTIFICATION_CONFIGMAP = 'argo-rollouts-notification-configmap';
/** The Secret `$key` references resolve from, beside the ConfigMap (Argo Rollouts' name). */
export const NOTIFICATION_SECRET = 'argo-rollouts-notification-secret';

/** How hard one service is tried: per-attempt timeout and retry backoff. */
export interface RetryPolicy {
  timeoutMs: number;
  /** Retries after the first attempt. */
  retryMax: number;
  retryWaitMinMs: number;
  retryWaitMaxMs: number;
}

/** A resolved service. Every string may hold Secret values: never log one (use `secrets` to redact). */
export type ServiceConfig = {
  name: string;
  policy: RetryPolicy;
  /** Every resolved Secret value, URL and header value of this service, for redaction. */
  secrets: string[];
} & (
  | { type: 'webhook'; url: string; method: string; headers: { name: string; value: string }[] }
  | { type: 'slack'; webhookUrl?: string; token?: string; apiURL: string; username?: string; icon?: string }
);

/** Services by name, plus what could not be parsed (a message with the key and field, never a value). */
export interface NotificationConfig {
  services: Map<string, ServiceConfig>;
  errors: string[];
}

/** Defaults of {@link RetryPolicy}: 10 s per attempt, 5 retries waiting 1 s doubling up to 30 s. */
export const DEFAULT_POLICY: RetryPolicy = {
  timeoutMs: 10_000,
  retryMax: 5,
  retryWaitMinMs: 1000,
  retryWaitMaxMs: 30_000,
};

const duration = z.string().refine((s) => (parseGoDuration(s) ?? -1) >= 0, 'not a Go duration');
const policyFields = {
  timeout: duration.optional(),
  retryMax: z.int().min(0).max(20).optional(),
  retryWaitMin: duration.optional(),
  retryWaitMax: duration.optional(),
};
const WebhookSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.array(z.object({ name: z.string().min(1), value: z.string() })).default([]),
  basicAuth: z.object({ username: z.string(), password: z.string() }).optional(),
  ...policyFields,
});
const SlackSchema = z
  .object({
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    token: z.string().min(1).optional(),
    apiURL: z.url({ protocol: /^https?$/ }).default('https://slack.com/api/'),
    username: z.string().optional(),
    icon: z.string().optional(),
    ...policyFields,
  })
  .refine((s) => s.webhookUrl !== undefined || s.token !== undefined, 'needs webhookUrl or token');

const SECRET_REF = /\$\{([^}]+)\}|\$([A-Za-z0-9_.-]+)/g;

/** Replaces `$key` / `${key}` in every string leaf with the Secret's value; records what was used or missing. */
function resolveSecrets(
  value: unknown,
  secret: Record<string, string>,
  used: string[],
  missing: string[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(SECRET_REF, (ref, braced: string | undefined, bare: string | undefined) => {
      const key = braced ?? bare ?? '';
      const found = secret[key];
      if (found === undefined) missing.push(key);
      else used.push(found);
      return found ?? ref;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, secret, used, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, secret, used, missing)]),
    );
  }
  return value;
}

function policyOf(fields: {
  timeout?: string;
  retryMax?: number;
  retryWaitMin?: string;
  retryWaitMax?: string;
}) {
  const ms = (s: string | undefined, fallback: number) =>
    s === undefined ? fallback : (parseGoDuration(s) ?? fallback);
  return {
    timeoutMs: ms(fields.timeout, DEFAULT_POLICY.timeoutMs),
    retryMax: fields.retryMax ?? DEFAULT_POLICY.retryMax,
    retryWaitMinMs: ms(fields.retryWaitMin, DEFAULT_POLICY.retryWaitMinMs),
    retryWaitMaxMs: ms(fields.retryWaitMax, DEFAULT_POLICY.retryWaitMaxMs),
  };
}

function issuesOf(key: string, error: z.ZodError): string {
  return error.issues.map((i) => `${key}: ${i.path.join('.') || '(value)'}: ${i.message}`).join('; ');
}

function buildService(type: string, name: string, raw: unknown, used: string[]): ServiceConfig | z.ZodError {
  if (type === 'webhook') {
    const parsed = WebhookSchema.safeParse(raw);
    if (!parsed.success) return parsed.error;
    const { url, method, basicAuth } = parsed.data;
    const headers = [...parsed.data.headers];
    if (basicAuth) {
      const value = `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64')}`;
      headers.push({ name: 'Authorization', value });
    }
    const secrets = [...used, url, ...headers.map((h) => h.value)];
    return { type, name, url, method, headers, policy: policyOf(parsed.data), secrets };
  }
  const parsed = SlackSchema.safeParse(raw);
  if (!parsed.success) return parsed.error;
  const { webhookUrl, token, apiURL, username, icon } = parsed.data;
  const secrets = [...used, ...[webhookUrl, token].filter((s): s is string => s !== undefined)];
  return {
    type: 'slack',
    name,
    webhookUrl,
    token,
    apiURL,
    username,
    icon,
    policy: policyOf(parsed.data),
    secrets,
  };
}

/** `service.<type>[.<name>]` → type and the service's name (the name, else the type), as notifications-engine names them. */
function serviceKey(key: string): { type: string; name: string } | undefined {
  const match = /^service\.(webhook|slack)(?:\.(.+))?$/.exec(key);
  if (!match?.[1]) return undefined;
  if (match[1] === 'webhook' && !match[2]) return undefined;
  return { type: match[1], name: match[2] ?? match[1] };
}

/**
 * Parses the notification ConfigMap's `service.webhook.<name>` and `service.slack[.<name>]` keys (YAML),
 * resolving `$key` references from the Secret's data. Other keys (templates, triggers, other service types)
 * are ignored. A bad service is left out with an error naming its key and field — never a value, since
 * values may be Secrets.
 */
export function parseNotificationConfig(
  data: Record<string, string> | undefined,
  secret: Record<string, string> | undefined,
): NotificationConfig {
  const services = new Map<string, ServiceConfig>();
  const errors: string[] = [];
  for (const [key, text] of Object.entries(data ?? {})) {
    const id = serviceKey(key);
    if (!id) continue;
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch {
      errors.push(`${key}: not valid YAML`);
      continue;
    }
    const used: string[] = [];
    const missing: string[] = [];
    const resolved = resolveSecrets(raw, secret ?? {}, used, missing);
    if (missing.length > 0) {
      errors.push(`${key}: ${NOTIFICATION_SECRET} has no key ${missing.map((m) => `"${m}"`).join(', ')}`);
      continue;
    }
    const service = buildService(id.type, id.name, resolved, used);
    if (service instanceof z.ZodError) errors.push(issuesOf(key, service));
    else services.set(id.name, service);
  }
  return { services, errors };
}

/** Decodes a Secret's base64 `data` (and plain `stringData`) into strings. */
export function secretStrings(secret: {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}) {
  const decoded = Object.entries(secret.data ?? {}).map(([k, v]) => [
    k,
    Buffer.from(v, 'base64').toString('utf8'),
  ]);
  return { ...Object.fromEntries(decoded), ...secret.stringData } as Record<string, string>;
}
