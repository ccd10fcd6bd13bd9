import { useEffect, useState } from 'preact/hooks';
import type { ActionName, ActionResult, SessionView } from '../model.js';

/** The session, `unauthorized` (in-cluster without a valid token) or an error sentence. */
export type SessionState = { session: SessionView } | { unauthorized: true } | { error: string };

async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: string };
    return body.message ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** Loads `/api/session`: who the dashboard acts for and the CSRF token of writes. */
export async function loadSession(): Promise<SessionState> {
  try {
    const response = await fetch('/api/session', { credentials: 'same-origin' });
    if (response.status === 401) return { unauthorized: true };
    if (!response.ok) return { error: await messageOf(response) };
    return { session: (await response.json()) as SessionView };
  } catch (err) {
    return { error: `cannot reach the dashboard server: ${(err as Error).message}` };
  }
}

/** Logs in with a bearer token (in-cluster mode); resolves to an error sentence or undefined. */
export async function logIn(token: string): Promise<string | undefined> {
  const response = await fetch('/api/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return response.ok ? undefined : await messageOf(response);
}

/** What an action sends besides its name. */
export interface ActionBody {
  confirm?: boolean;
  image?: string;
  toRevision?: number;
}

/** POSTs an action with the session's CSRF token; a refusal comes back as `{ok: false, message}`. */
export async function postAction(
  session: SessionView,
  namespace: string,
  name: string,
  action: ActionName,
  body: ActionBody,
): Promise<ActionResult> {
  const path = `/api/namespaces/${encodeURIComponent(namespace)}/rollouts/${encodeURIComponent(name)}`;
  try {
    const response = await fetch(`${path}/actions/${action}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Vireo-CSRF': session.csrfToken },
      body: JSON.stringify(body),
    });
    return (await response.json()) as ActionResult;
  } catch (err) {
    return { ok: false, message: `the request failed: ${(err as Error).message}` };
  }
}

/** A live stream's state: the last event of each name, and whether the connection is up. */
export interface StreamState {
  events: Record<string, unknown>;
  live: boolean;
}

/**
 * Subscribes to a server-sent event stream (`url`) while the component is mounted; the browser's
 * EventSource reconnects by itself after a drop. Re-subscribes when `url` changes.
 */
export function useStream(url: string, names: readonly string[]): StreamState {
  const [state, setState] = useState<StreamState>({ events: {}, live: false });
  useEffect(() => {
    setState({ events: {}, live: false });
    const source = new EventSource(url);
    source.onopen = () => setState((s) => ({ ...s, live: true }));
    source.onerror = () => setState((s) => ({ ...s, live: false }));
    for (const name of names) {
      source.addEventListener(name, (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as unknown;
        setState({ live: true, events: { [name]: data } });
      });
    }
    return () => source.close();
  }, [url]);
  return state;
}
