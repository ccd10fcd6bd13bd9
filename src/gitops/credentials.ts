import { redactText } from '../util/redact.js';

/**
 * How git authenticates: nothing (file://, public ssh agent-less fails by itself), an HTTP header built
 * from a token or username/password, or an ssh private key (with optional known_hosts).
 */
export type GitAuth =
  | { kind: 'none' }
  | { kind: 'header'; header: string; secrets: string[] }
  | { kind: 'ssh'; privateKey: string; knownHosts?: string; secrets: string[] };

/** Decoded Secret data (`.data` base64-decoded, or `.stringData`). */
export type SecretData = Record<string, string>;

/** Base64-decodes a Secret's `data` map. */
export function decodeSecretData(data: Record<string, string> | undefined): SecretData {
  const out: SecretData = {};
  for (const [key, value] of Object.entries(data ?? {}))
    out[key] = Buffer.from(value, 'base64').toString('utf8');
  return out;
}

/**
 * Picks the credentials for `url` from the Secret's keys (Argo CD repository-secret names): https uses
 * `token` (user `username` or `x-access-token`) or `username`+`password`; ssh uses `sshPrivateKey` and
 * `known_hosts`. Returns a message naming the missing key when the Secret does not fit the URL. The
 * `secrets` list holds every sensitive string so errors can be redacted.
 */
export function gitAuthFor(url: string, secretName: string, data: SecretData | undefined): GitAuth | string {
  if (data === undefined || url.startsWith('file://')) return { kind: 'none' };
  if (/^https?:\/\//.test(url)) {
    const password = data.token ?? data.password;
    if (!password) return `Secret ${secretName} has no "token" or "password" key for an https remote`;
    const user = data.username ?? 'x-access-token';
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    return { kind: 'header', header: `Authorization: Basic ${basic}`, secrets: [password, basic] };
  }
  const key = data.sshPrivateKey;
  if (!key) return `Secret ${secretName} has no "sshPrivateKey" key for an ssh remote`;
  const auth: GitAuth = { kind: 'ssh', privateKey: key.endsWith('\n') ? key : `${key}\n`, secrets: [key] };
  if (data.known_hosts) auth.knownHosts = data.known_hosts;
  return auth;
}

/** Files an ssh session needs on disk (mode 0600, inside the session's private temp dir). */
export interface SshFiles {
  keyPath: string;
  knownHostsPath: string;
}

/**
 * The environment of every git command: no prompts, no system or user config (HOME is the session's empty
 * dir), and the credentials only as config-through-environment (`http.extraHeader`) or `GIT_SSH_COMMAND`
 * naming a key file — never on the command line and never in `.git/config`.
 */
export function gitEnvironment(auth: GitAuth, home: string, ssh?: SshFiles): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  if (auth.kind === 'header') {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = auth.header;
  }
  if (auth.kind === 'ssh' && ssh) {
    const strict = auth.knownHosts ? 'yes' : 'accept-new';
    env.GIT_SSH_COMMAND =
      `ssh -i ${ssh.keyPath} -o IdentitiesOnly=yes -o BatchMode=yes ` +
      `-o StrictHostKeyChecking=${strict} -o UserKnownHostsFile=${ssh.knownHostsPath}`;
  }
  return env;
}

/**
 * `text` with every secret replaced by `***`, whatever its length and in any encoding (raw, percent-encoded
 * as git prints URLs, JSON-escaped, base64): for messages that leave the adapter.
 */
export function redact(text: string, secrets: readonly string[]): string {
  return redactText(text, secrets, '***');
}
