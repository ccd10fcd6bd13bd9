import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** The TLS fields of an agent's options that make two agents interchangeable when equal. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/** A fingerprint of the connection-relevant options of `agent` (its class and TLS fields). */
export function agentFingerprint(agent: http.Agent): string {
  const options = (agent as { options?: Record<string, unknown> }).options ?? {};
  const hash = createHash('sha256').update(agent instanceof https.Agent ? 'https' : 'http');
  for (const field of TLS_FIELDS) {
    const value = options[field];
    hash.update(`\u0000${field}=`);
    if (value === undefined) continue;
    for (const part of Array.isArray(value) ? value : [value]) {
      hash.update(Buffer.isBuffer(part) ? part : Buffer.from(String(part)));
      hash.update('\u0001');
    }
  }
  return hash.digest('hex');
}

/**
 * Reuses one keep-alive agent across requests. client-node's `applySecurityAuthentication` builds a new
 * `https.Agent` for every request, so every API call opens a new TCP connection and TLS handshake (CPU on
 * both sides, and native memory churn per connection). `reuse(fresh)` returns a keep-alive agent with the
 * same options instead, built once and rebuilt only when those options change (e.g. a rotated client
 * certificate). Invariant: only plain `http.Agent`/`https.Agent` instances are replaced; anything else (a
 * proxy agent, or none) is returned unchanged, as are the credentials, which travel in headers.
 */
export class AgentCache {
  private current: { fingerprint: string; agent: http.Agent } | undefined;

  /** The shared agent for a request whose freshly built agent is `fresh` (see the class invariant). */
  reuse(fresh: unknown): unknown {
    if (fresh?.constructor !== https.Agent && fresh?.constructor !== http.Agent) return fresh;
    const agent = fresh as http.Agent;
    const fingerprint = agentFingerprint(agent);
    if (this.current?.fingerprint === fingerprint) return this.current.agent;
    this.current?.agent.destroy();
    const options = { ...(agent as { options?: object }).options, keepAlive: true };
    const shared = agent instanceof https.Agent ? new https.Agent(options) : new http.Agent(options);
    this.current = { fingerprint, agent: shared };
    return shared;
  }

  /** Closes the shared agent's sockets (idle ones at once, busy ones when their request ends). */
  destroy(): void {
    this.current?.agent.destroy();
    this.current = undefined;
  }
}
