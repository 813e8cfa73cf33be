import { startTransition, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { BrowserRouter } from 'react-router';
import { setApiLanguage } from './api/client';
import { LangContext, type Lang } from './lib/i18n';
import { savedLang } from './lib/saved-lang';
import { SessionProvider } from './lib/session';
import { AppRoutes } from './routes';
// antd's stylesheet, built ahead (zeroRuntime below): the components do not generate their CSS in
// the browser on first render, which was most of the first load's script time. The theme's
// tokens below still reach the components as CSS variables set at run time.
import 'antd/dist/antd.css';
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
      {/* colorPrimary darker than the default blue: white on it and it on white pass WCAG AA. */}
      <ConfigProvider
        locale={lang === 'zh' ? zhCN : enUS}
        theme={{
          zeroRuntime: true,
          token: {
            colorPrimary: '#0b57d0',
            colorPrimaryHover: '#0842a0',
            colorPrimaryActive: '#062e70',
            colorLink: '#0b57d0',
            colorSuccess: '#237804',
            colorSuccessBg: '#f6ffed',
            colorSuccessBorder: '#b7eb8f',
            colorWarning: '#ad6800',
            colorError: '#c41d1d',
            colorTextTertiary: 'rgba(0,0,0,0.62)',
            colorTextQuaternary: 'rgba(0,0,0,0.55)',
          },
        }}
      >
        <AntApp>
          <SessionProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </SessionProvider>
        </AntApp>
      </ConfigProvider>
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
