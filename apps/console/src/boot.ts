// Inlined into index.html's head (vite.config.mts, `inlineBoot`) and run while the page is still
// parsing, before the app's scripts are even fetched: it asks who is signed in and, on the
// workbench, the workbench's lists as soon as that is known, and leaves the responses in
// window.__tongfaEarly, where api/client.ts takes them. The answers travel while the browser
// fetches and evaluates the libraries instead of after them. Nothing here refreshes tokens: a 401
// is left for the page, whose own request refreshes and asks again. Self-contained (bundled on its
// own): no React, no API client.
import type { Me } from './api/types';
import type { EarlyMap } from './lib/early';
import { workbenchPaths } from './pages/workbench-prefetch';

function boot(): void {
  const early: EarlyMap = (window.__tongfaEarly ??= new Map());
  let token: string | undefined;
  try {
    token = (JSON.parse(sessionStorage.getItem('tongfa.tokens') ?? 'null') as { accessToken?: string } | null)?.accessToken;
  } catch {
    return;
  }
  if (!token) return;
  const headers = {
    Accept: 'application/json',
    'Accept-Language': localStorage.getItem('tongfa.lang') === 'en' ? 'en' : 'zh-CN',
    Authorization: `Bearer ${token}`,
  };
  const get = (path: string): Promise<Response | null> => {
    const res = fetch(`/api/v1${path}`, { headers })
      .then((r) => (r.ok ? r : null))
      .catch(() => null);
    early.set(path, { at: Date.now(), res });
    return res;
  };
  void get('/auth/me')
    .then((r) => (r ? (r.clone().json() as Promise<Me>) : null))
    .then((me) => {
      if (!me || me.mustChangePassword || me.restriction) return;
      // The layout's bell asks for it on every page.
      get('/notifications/unread-count');
      if (window.location.pathname === '/') for (const path of workbenchPaths(me)) get(path);
    })
    .catch(() => undefined);
}

boot();
