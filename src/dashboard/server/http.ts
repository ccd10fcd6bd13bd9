import type { IncomingMessage, ServerResponse } from 'node:http';
import { RolloutsApi } from '../../cli/kube.js';
import type { SessionView } from '../model.js';
import { type AccessPolicy, csrfValid, TOKEN_COOKIE, type Viewer } from './access.js';
import { type ActionArgs, isActionName, runAction } from './actions.js';
import type { Assets } from './assets.js';
import { type FeedHub, PAGE_KINDS } from './feeds.js';
import { readList, readPage } from './reads.js';
import { streamView } from './sse.js';

/** What the request handler needs: how to authenticate, the watches, the UI files, the default namespace. */
export interface DashboardDeps {
  policy: AccessPolicy;
  hub: FeedHub;
  assets: Assets;
  namespace: string;
  /** Local mode: the `Host` values accepted (DNS-rebinding guard); undefined accepts any. */
  allowedHosts?: ReadonlySet<string>;
  now?: () => Date;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const NAME = '[a-z0-9]([-a-z0-9.]*[a-z0-9])?';
const LIST = new RegExp(`^/api/namespaces/(${NAME})/(rollouts|stream)$`);
const PAGE = new RegExp(`^/api/namespaces/(${NAME})/rollouts/(${NAME})(/stream)?$`);
const ACTION = new RegExp(`^/api/namespaces/(${NAME})/rollouts/(${NAME})/actions/([a-z-]+)$`);
const MAX_BODY = 64 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: object = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new RequestError(415, 'send application/json');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RequestError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const parsed: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw new RequestError(400, 'the body must be a JSON object');
}

/** A request the dashboard refuses, with the status and the sentence to answer. */
class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Same-origin writes only: an `Origin` header, when sent, must name this very host. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function actionArgs(body: Record<string, unknown>): ActionArgs {
  return {
    confirm: body.confirm === true,
    ...(typeof body.image === 'string' ? { image: body.image } : {}),
    ...(typeof body.toRevision === 'number' && Number.isInteger(body.toRevision) && body.toRevision >= 0
      ? { toRevision: body.toRevision }
      : {}),
  };
}

/**
 * The dashboard's request handler. Invariants: every /api request but login is authenticated (401
 * without valid credentials, in-cluster there is no anonymous access); every write is a same-origin POST
 * with the viewer's CSRF token; every answer carries a strict Content-Security-Policy; the UI is served
 * from memory, never from a path the request names.
 */
export function dashboardHandler(deps: DashboardDeps) {
  const now = deps.now ?? (() => new Date());
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (deps.allowedHosts !== undefined && !deps.allowedHosts.has(req.headers.host ?? '')) {
        throw new RequestError(421, 'unexpected Host header');
      }
      await route(deps, now, req, res);
    } catch (err) {
      if (res.headersSent) {
        res.end();
        return;
      }
      const status = err instanceof RequestError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      sendJson(res, status, { ok: false, message });
    }
  };
}

function serveAsset(deps: DashboardDeps, path: string, res: ServerResponse): boolean {
  const file = path === '/' || path === '/index.html' ? 'index.html' : path.replace(/^\/assets\//, '');
  const asset = path === '/' || path.startsWith('/assets/') ? deps.assets.get(file) : undefined;
  if (asset === undefined) return false;
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  res.end(asset.body);
  return true;
}

async function route(deps: DashboardDeps, now: () => Date, req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://dashboard').pathname;
  if (req.method === 'GET' && path === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    return;
  }
  if (req.method === 'GET' && serveAsset(deps, path, res)) return;
  if (!path.startsWith('/api/')) throw new RequestError(404, 'not found');
  if (req.method === 'POST' && (path === '/api/login' || path === '/api/logout')) {
    await login(deps, req, res, path === '/api/logout');
    return;
  }
  const viewer = await deps.policy.viewerOf(req);
  if (viewer === undefined) throw new RequestError(401, 'a valid bearer token is required');
  if (req.method === 'GET') await read(deps, viewer, now, path, req, res);
  else if (req.method === 'POST') await act(viewer, now, path, req, res);
  else throw new RequestError(405, 'method not allowed');
}

async function login(deps: DashboardDeps, req: IncomingMessage, res: ServerResponse, logout: boolean) {
  if (deps.policy.login === undefined) throw new RequestError(404, 'local mode has no login');
  if (!sameOrigin(req)) throw new RequestError(403, 'cross-origin request refused');
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (logout) {
    sendJson(
      res,
      200,
      { ok: true, message: 'logged out' },
      {
        'Set-Cookie': `${TOKEN_COOKIE}=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/`,
      },
    );
    return;
  }
  const body = await readBody(req);
  const token = typeof body.token === 'string' ? body.token.trim() : '';
  const cookie = token === '' ? undefined : await deps.policy.login(token, secure);
  if (cookie === undefined) throw new RequestError(401, 'the token was not accepted');
  sendJson(res, 200, { ok: true, message: 'logged in' }, { 'Set-Cookie': cookie });
}

async function read(
  deps: DashboardDeps,
  viewer: Viewer,
  now: () => Date,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  if (path === '/api/session') {
    const session: SessionView = {
      mode: deps.policy.mode,
      user: viewer.user,
      namespace: deps.namespace,
      csrfToken: viewer.csrfToken,
    };
    sendJson(res, 200, session);
    return;
  }
  const stillAllowed = async () => (await deps.policy.viewerOf(req)) !== undefined;
  const list = LIST.exec(path);
  if (list?.[1] !== undefined) {
    const feed = deps.hub.feed(list[1]);
    const render = () => readList(viewer, feed, now());
    if (list[3] === 'rollouts') {
      await feed.synced(['rollouts']);
      sendJson(res, 200, await render());
      return;
    }
    streamView(req, res, feed, ['rollouts'], {
      render: async () => ({ event: 'list', data: await render() }),
      stillAllowed,
    });
    return;
  }
  const page = PAGE.exec(path);
  if (page?.[1] === undefined || page[3] === undefined) throw new RequestError(404, 'not found');
  const feed = deps.hub.feed(page[1]);
  const name = page[3];
  const render = async () => {
    const result = await readPage(viewer, feed, name, now());
    return 'page' in result
      ? { event: 'page', data: result.page }
      : { event: 'missing' in result ? 'missing' : 'denied', data: result };
  };
  if (page[5] !== undefined) {
    streamView(req, res, feed, PAGE_KINDS, { render, stillAllowed });
    return;
  }
  const unsubscribe = feed.subscribe(PAGE_KINDS, () => undefined);
  await feed.synced(PAGE_KINDS);
  const result = await render();
  unsubscribe();
  sendJson(res, result.event === 'page' ? 200 : result.event === 'missing' ? 404 : 403, result.data);
}

async function act(viewer: Viewer, now: () => Date, path: string, req: IncomingMessage, res: ServerResponse) {
  const match = ACTION.exec(path);
  const [namespace, name, action] = [match?.[1], match?.[3], match?.[5]];
  if (namespace === undefined || name === undefined || action === undefined || !isActionName(action)) {
    throw new RequestError(404, 'no such action');
  }
  if (!sameOrigin(req)) throw new RequestError(403, 'cross-origin request refused');
  const csrf = req.headers['x-vireo-csrf'];
  if (!csrfValid(viewer, typeof csrf === 'string' ? csrf : undefined)) {
    throw new RequestError(403, 'missing or wrong CSRF token; reload the page');
  }
  const args = actionArgs(await readBody(req));
  const result = await runAction(new RolloutsApi(viewer.client, namespace), name, action, args, now);
  sendJson(res, result.ok ? 200 : result.message.startsWith('you may not') ? 403 : 422, result);
}
