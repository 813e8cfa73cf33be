import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useLang } from '../lib/i18n';
// antd's stylesheet, built ahead (zeroRuntime below): the components do not generate their CSS in
// the browser on first render. It comes with this chunk, so the workbench (plain elements) never
// waits for its megabyte; the theme's tokens reach the components as CSS variables set at run time.
import 'antd/dist/antd.css';

/**
 * Ant Design's theme, locale and App context (message, modal) for the pages built with antd: every
 * page but the workbench. Loaded with the first such page (components/AntdHost.tsx).
 */
export default function AntdScope({ children }: { children: ReactNode }) {
  const lang = useLang();
  return (
    // colorPrimary darker than the default blue: white on it and it on white pass WCAG AA.
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
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
