import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useState } from 'react';
import { api, isAdmin, setUnauthorizedHandler, type Me } from './lib/api';
import { Link, match, navigate, RouterProvider, usePath } from './lib/router';
import { Login } from './pages/Login';
import { Connections } from './pages/Connections';
import { Pipelines } from './pages/Pipelines';
import { PipelineDetail } from './pages/PipelineDetail';
import { Users } from './pages/Users';
import { Audit } from './pages/Audit';

// The designer carries the graph library: loaded when first opened, so sign-in and lists load fast.
const Designer = lazy(() => import('./pages/Designer'));

const MeContext = createContext<Me | null>(null);
/** The signed-in user; pages hide what the role may not do. */
export const useMe = () => useContext(MeContext);

export function App() {
  return (
    <RouterProvider>
      <Shell />
    </RouterProvider>
  );
}

function Shell() {
  const path = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const signedOut = useCallback(() => {
    setMe(null);
    if (location.pathname !== '/login') {
      navigate('/login?next=' + encodeURIComponent(location.pathname), true);
    }
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(signedOut);
    api<Me>('/auth/me').then(setMe, () => setMe(null));
  }, [signedOut]);

  if (me === undefined) return <div className="loading">Loading…</div>;
  if (me === null || path === '/login') {
    return (
      <Login
        onSignedIn={(m) => {
          setMe(m);
          const next = new URLSearchParams(location.search).get('next');
          navigate(next && next.startsWith('/') && next !== '/login' ? next : '/pipelines', true);
        }}
      />
    );
  }

  const logout = async () => {
    await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    signedOut();
  };

  return (
    <MeContext.Provider value={me}>
      <header className="top">
        <span className="brand">Siphon</span>
        <nav>
          <Link to="/pipelines" className={path.startsWith('/pipelines') ? 'active' : ''}>Pipelines</Link>
          <Link to="/connections" className={path.startsWith('/connections') ? 'active' : ''}>Connections</Link>
          <Link to="/tokens" className={path === '/tokens' ? 'active' : ''}>Tokens</Link>
          {isAdmin(me) && <Link to="/users" className={path === '/users' ? 'active' : ''}>Users</Link>}
          {isAdmin(me) && <Link to="/audit" className={path === '/audit' ? 'active' : ''}>Audit</Link>}
        </nav>
        <span className="who">
          {me.username} <span className="role">{me.role}</span>
          <button className="link" onClick={logout}>Sign out</button>
        </span>
      </header>
      <main>
        <Suspense fallback={<div className="loading">Loading…</div>}>
          <Page path={path} />
        </Suspense>
      </main>
    </MeContext.Provider>
  );
}

function Page({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if (path === '/' || path === '/pipelines') return <Pipelines />;
  if (path === '/pipelines/new') return <Designer />;
  if ((m = match('/pipelines/:name/edit', path))) return <Designer name={m.name} />;
  if ((m = match('/pipelines/:name', path))) return <PipelineDetail name={m.name} />;
  if (path === '/connections') return <Connections />;
  if (path === '/tokens') return <Users tokensOnly />;
  if (path === '/users') return <Users />;
  if (path === '/audit') return <Audit />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing at {path}. <Link to="/pipelines">Pipelines</Link>
      </p>
    </section>
  );
}
