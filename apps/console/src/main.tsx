import { startTransition, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { setApiLanguage } from './api/client';
import { LangContext, type Lang } from './lib/i18n';
import { savedLang } from './lib/saved-lang';
import { SessionProvider } from './lib/session';
import { AppRoutes } from './routes';
// The frame and the workbench are plain elements (lite.css); antd, its theme and its stylesheet come
// with the first other page (components/AntdScope.tsx, through AntdHost).
import './components/lite.css';
import './styles.css';

// Who is signed in and the workbench's lists were asked for by src/boot.ts, before this bundle loaded.
function Root() {
  const [lang, setLang] = useState<Lang>(savedLang);
  setApiLanguage(lang);
  useEffect(() => {
    localStorage.setItem('tongfa.lang', lang);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <SessionProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </LangContext.Provider>
  );
}

// As a transition the first render yields to the browser every few milliseconds, so the session's
// answer (and the workbench requests it starts) are handled as they arrive, not after the render.
startTransition(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  ),
);
