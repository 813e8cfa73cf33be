import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Layout, Menu, Segmented, Space, Typography } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  EditOutlined,
  HomeOutlined,
  LogoutOutlined,
  TableOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useSession } from '../lib/session';
import { LangContext, useT } from '../lib/i18n';
import { useContext } from 'react';
import { Loading } from './Loading';

export function AppLayout() {
  const { me, signOut, has } = useSession();
  const t = useT();
  const nav = useNavigate();
  const loc = useLocation();
  const { lang, setLang } = useContext(LangContext);
  const writes = has('editor') || has('reviewer') || has('duty_officer') || has('supervisor') || has('unit_admin');
  const items = [
    { key: '/', icon: <HomeOutlined />, label: t('工作台', 'Workbench') },
    ...(writes ? [{ key: '/manuscripts', icon: <EditOutlined />, label: t('稿件', 'Manuscripts') }] : []),
    ...(has('supervisor') || has('unit_admin') || has('editor') || has('platform_operator')
      ? [{ key: '/accounts', icon: <TableOutlined />, label: t('账号矩阵', 'Account matrix') }]
      : []),
    ...(has('unit_admin') || has('security_admin') || has('platform_operator')
      ? [
          { key: '/admin/units', icon: <ApartmentOutlined />, label: t('单位管理', 'Units') },
          { key: '/admin/users', icon: <TeamOutlined />, label: t('用户管理', 'Users') },
        ]
      : []),
    ...(has('auditor') || has('security_admin') ? [{ key: '/audit', icon: <AuditOutlined />, label: t('审计日志', 'Audit log') }] : []),
  ];
  const selected = items
    .map((i) => i.key)
    .filter((k) => (k === '/' ? loc.pathname === '/' : loc.pathname.startsWith(k)))
    .slice(-1);
  return (
    <Layout style={{ minHeight: '100%' }}>
      <a className="tf-skip" href="#main">
        {t('跳到正文', 'Skip to content')}
      </a>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#002766', paddingInline: 24 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
          统发 Tongfa
        </Typography.Text>
        <div style={{ flex: 1 }} />
        <Space size="middle">
          <Typography.Text style={{ color: '#fff' }} data-testid="whoami">
            {me?.displayName}
          </Typography.Text>
          <Segmented
            aria-label={t('界面语言', 'Language')}
            size="small"
            value={lang}
            onChange={(v) => setLang(v as 'zh' | 'en')}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'EN', value: 'en' },
            ]}
          />
          <Button
            size="small"
            icon={<LogoutOutlined />}
            onClick={async () => {
              await signOut();
              nav('/login');
            }}
          >
            {t('退出', 'Sign out')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0}>
          <nav aria-label={t('主导航', 'Main navigation')}>
            <Menu
              mode="inline"
              selectedKeys={selected}
              items={items}
              onClick={(e) => nav(e.key)}
              style={{ height: '100%', borderRight: 0 }}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content id="main" role="main" style={{ padding: 24 }}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
