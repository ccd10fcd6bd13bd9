import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ListView, RolloutPageView, SessionView } from '../model.js';
import { loadSession, logIn, type SessionState, useStream } from './api.js';
import { RolloutList } from './list.js';
import { RolloutPage } from './rollout.js';

/** Where the page is: `#/ns/<namespace>` (the list) or `#/ns/<namespace>/rollouts/<name>`. */
interface Route {
  namespace: string;
  rollout?: string;
}

function parseRoute(hash: string, fallback: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const namespace = parts[0] === 'ns' && parts[1] ? parts[1] : fallback;
  return parts[2] === 'rollouts' && parts[3] ? { namespace, rollout: parts[3] } : { namespace };
}

function useRoute(fallback: string): Route {
  const [hash, setHash] = useState(location.hash.startsWith('#/') ? location.hash : '');
  useEffect(() => {
    // In-page anchors (#main, #run-…) are not routes: keep the current route for them.
    const onChange = () => {
      if (location.hash === '' || location.hash.startsWith('#/')) setHash(location.hash);
    };
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash, fallback);
}

function Live({ live }: { live: boolean }) {
  return (
    <span class={live ? 'live' : 'offline'} role="status">
      <span aria-hidden="true">{live ? '● ' : '○ '}</span>
      {live ? 'live' : 'reconnecting…'}
    </span>
  );
}

function ListRoute({ namespace }: { namespace: string }) {
  const stream = useStream(`/api/namespaces/${encodeURIComponent(namespace)}/stream`, ['list']);
  return (
    <>
      <Live live={stream.live} />
      <RolloutList view={stream.events.list as ListView | undefined} />
    </>
  );
}

function PageRoute({ session, route }: { session: SessionView; route: Required<Route> }) {
  const base = `/api/namespaces/${encodeURIComponent(route.namespace)}/rollouts/${encodeURIComponent(route.rollout)}`;
  const stream = useStream(`${base}/stream`, ['page', 'missing', 'denied']);
  const page = stream.events.page as RolloutPageView | undefined;
  const other = (stream.events.missing ?? stream.events.denied) as
    | { missing?: string; denied?: string }
    | undefined;
  useEffect(() => {
    document.title = `${route.rollout} · Vireo`;
  }, [route.rollout]);
  return (
    <>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href={`#/ns/${encodeURIComponent(route.namespace)}`}>Rollouts in {route.namespace}</a> ›{' '}
        <span aria-current="page">{route.rollout}</span> <Live live={stream.live} />
      </nav>
      {other !== undefined ? (
        <p class="denied" role="alert">
          {other.missing ?? other.denied}
        </p>
      ) : page === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <RolloutPage page={page} session={session} />
      )}
    </>
  );
}

function NamespaceForm({ current }: { current: string }) {
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim() !== '') location.hash = `#/ns/${encodeURIComponent(value.trim())}`;
      }}
    >
      <label>
        Namespace{' '}
        <input value={value} size={16} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

function Login({ onDone }: { onDone(): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <main id="main" class="login card">
      <h1>Sign in to the Vireo dashboard</h1>
      <p>
        Paste a Kubernetes bearer token (a ServiceAccount or OIDC token). Kubernetes RBAC decides what you may
        see and do.
      </p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const problem = await logIn(token.trim());
          if (problem === undefined) onDone();
          else setError(problem);
        }}
      >
        <label>
          Token{' '}
          <input
            type="password"
            required
            autocomplete="off"
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          />
        </label>{' '}
        <button type="submit">Sign in</button>
      </form>
      {error ? (
        <p role="alert" class="refused">
          {error}
        </p>
      ) : null}
    </main>
  );
}

/** The dashboard: session first (login in-cluster), then the list or a Rollout page by URL hash. */
function App() {
  const [state, setState] = useState<SessionState | undefined>();
  const reload = () => void loadSession().then(setState);
  useEffect(reload, []);
  const fallback = state !== undefined && 'session' in state ? state.session.namespace : 'default';
  const route = useRoute(fallback);
  if (state === undefined) return <p aria-busy="true">Loading…</p>;
  if ('unauthorized' in state) return <Login onDone={reload} />;
  if ('error' in state)
    return (
      <p role="alert" class="refused">
        {state.error}
      </p>
    );
  const { session } = state;
  return (
    <>
      <header class="top">
        <a class="brand" href={`#/ns/${encodeURIComponent(route.namespace)}`}>
          Vireo
        </a>
        <NamespaceForm current={route.namespace} />
        <span class="who small">
          {session.mode} mode · acting as <strong>{session.user}</strong>
        </span>
      </header>
      <main id="main">
        {route.rollout === undefined ? (
          <ListRoute namespace={route.namespace} />
        ) : (
          <PageRoute session={session} route={{ namespace: route.namespace, rollout: route.rollout }} />
        )}
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
