// Runs before the console's libraries are even downloaded (index.html lists it first and it
// imports nothing from node_modules): it asks who is signed in and, on the workbench, starts the
// workbench's lists as soon as that is known. The API answers then travel while the browser
// fetches and evaluates React and antd, instead of after them; the page's own requests take these
// answers (api/client.ts `prefetch`).
import { prefetch, setApiLanguage } from './api/client';
import { savedLang } from './lib/saved-lang';
import { beginSession } from './lib/session-boot';
import { prefetchWorkbench } from './pages/workbench-prefetch';

setApiLanguage(savedLang());
const session = beginSession();
void session?.then((me) => {
  if (!me || me.mustChangePassword || me.restriction) return;
  // The layout's bell asks for it on every page.
  prefetch('/notifications/unread-count');
  if (window.location.pathname === '/') prefetchWorkbench(me);
});
