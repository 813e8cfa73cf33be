import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { BrowserRouter } from 'react-router';
import { setApiLanguage } from './api/client';
import { LangContext, type Lang } from './lib/i18n';
import { SessionProvider } from './lib/session';
import { AppRoutes } from './routes';
import './styles.css';

function Root() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('tongfa.lang') === 'en' ? 'en' : 'zh'));
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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
