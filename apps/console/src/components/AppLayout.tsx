import { Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Layout, Menu, Segmented, Space, Tag, Typography } from 'antd';
import {
  ApartmentOutlined,
  AlertOutlined,
  RobotOutlined,
  AuditOutlined,
  BarChartOutlined,
  CommentOutlined,
  CalendarOutlined,
  EditOutlined,
  HomeOutlined,
  KeyOutlined,
  LockOutlined,
  MenuOutlined,
  LogoutOutlined,
  MonitorOutlined,
  ScheduleOutlined,
  NotificationOutlined,
  PictureOutlined,
  QuestionCircleOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  TableOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useSession } from '../lib/session';
import { LangContext, useT } from '../lib/i18n';
import { useContext } from 'react';
import { Loading } from './Loading';
import { NotificationBell } from './NotificationBell';
import { useFocusableTableScroll } from './ScrollRegion';
import { useInboxWaiting } from '../lib/inbox';
import { DARK } from '../lib/notifications';

export function AppLayout() {
  const { me, signOut, has } = useSession();
  const t = useT();
  useFocusableTableScroll(t('表格（可左右滚动）', 'Table (scrolls sideways)'));
  const nav = useNavigate();
  const loc = useLocation();
  const { lang, setLang } = useContext(LangContext);
  // Below the lg breakpoint the navigation folds away behind a header button (not antd's floating
  // trigger, which would sit on top of the page's own buttons at phone width).
  const [narrow, setNarrow] = useState(false);
  const [navOpen, setNavOpen] = useState(false);
  // inbox:read (libs/identity roles.ts): the people who answer, assign, review, supervise or audit.
  const inbox = has('editor') || has('reviewer') || has('unit_admin') || has('supervisor') || has('duty_officer') || has('auditor');
  // Only those who answer have threads waiting for them.
  const waiting = useInboxWaiting(has('editor') || has('unit_admin'), loc.pathname);
  const writes = has('editor') || has('reviewer') || has('duty_officer') || has('supervisor') || has('unit_admin');
  const supervise = [
    ...(has('supervisor') || has('unit_admin') || has('duty_officer') || has('auditor') || has('platform_operator')
      ? [{ key: '/monitoring', icon: <MonitorOutlined />, label: t('账号监测', 'Account monitoring') }]
      : []),
    ...(has('supervisor') || has('unit_admin') || has('duty_officer') || has('auditor')
      ? [{ key: '/duty', icon: <ScheduleOutlined />, label: t('值班值守', 'On duty') }]
      : []),
    ...(has('duty_officer') || has('supervisor') ? [{ key: '/alerts', icon: <AlertOutlined />, label: t('值班提醒', 'Duty alerts') }] : []),
  ];
  const items = [
    { key: '/', icon: <HomeOutlined />, label: t('工作台', 'Workbench') },
    ...(writes ? [{ key: '/manuscripts', icon: <EditOutlined />, label: t('稿件', 'Manuscripts') }] : []),
    // Everyone holding manuscript:read sees the library; editors also describe what is in it.
    ...(writes || has('auditor') ? [{ key: '/media', icon: <PictureOutlined />, label: t('媒体库', 'Media library') }] : []),
    ...(writes || has('auditor')
      ? [
          { key: '/publications', icon: <SendOutlined />, label: t('发布记录', 'Publications') },
          { key: '/calendar', icon: <CalendarOutlined />, label: t('发布日历', 'Calendar') },
        ]
      : []),
    ...(has('supervisor') || has('unit_admin') || has('editor') || has('platform_operator')
      ? [{ key: '/accounts', icon: <TableOutlined />, label: t('账号矩阵', 'Account matrix') }]
      : []),
    // Everyone holding qa:read (libs/identity roles.ts) sees the library.
    ...(writes || has('auditor') || has('platform_operator')
      ? [{ key: '/qa', icon: <QuestionCircleOutlined />, label: t('答问库', 'Q&A library') }]
      : []),
    ...(inbox
      ? [
          {
            key: '/inbox',
            icon: <CommentOutlined />,
            label: (
              <span data-testid="menu-inbox">
                {t('互动消息', 'Interaction inbox')}
                {waiting > 0 && (
                  <Tag
                    style={{ ...DARK, marginLeft: 8 }}
                    data-testid="inbox-waiting"
                    title={t('指派给我、待答复', 'Assigned to me, unanswered')}
                  >
                    {waiting}
                    <span className="sr-only">{t(' 条待答复', ' waiting')}</span>
                  </Tag>
                )}
              </span>
            ),
          },
          { key: '/inbox/metrics', icon: <BarChartOutlined />, label: t('互动统计', 'Interaction metrics') },
        ]
      : []),
    // 监督: who may read monitoring, duty and alerts, as the API grants them (libs/identity roles.ts).
    ...(supervise.length ? [{ type: 'group' as const, key: 'supervise', label: t('监督', 'Supervision'), children: supervise }] : []),
    ...(has('supervisor') ? [{ key: '/campaigns', icon: <NotificationOutlined />, label: t('联动任务', 'Campaigns') }] : []),
    ...(has('unit_admin') || has('security_admin') || has('platform_operator')
      ? [
          { key: '/admin/units', icon: <ApartmentOutlined />, label: t('单位管理', 'Units') },
          { key: '/admin/users', icon: <TeamOutlined />, label: t('用户管理', 'Users') },
        ]
      : []),
    ...(has('unit_admin') || has('platform_operator')
      ? [{ key: '/admin/api-keys', icon: <KeyOutlined />, label: t('API 密钥', 'API keys') }]
      : []),
    ...(has('unit_admin')
      ? [{ key: '/admin/campaign-trust', icon: <SafetyCertificateOutlined />, label: t('联动免审设置', 'Campaign trust') }]
      : []),
    ...(has('unit_admin')
      ? [{ key: '/admin/notification-channels', icon: <RobotOutlined />, label: t('通知机器人', 'Notification bots') }]
      : []),
    ...(has('auditor') || has('security_admin') ? [{ key: '/audit', icon: <AuditOutlined />, label: t('审计日志', 'Audit log') }] : []),
    { key: '/security', icon: <LockOutlined />, label: t('账号安全', 'Sign-in security') },
  ];
  const selected = items
    .flatMap((i) => ('children' in i && i.children ? i.children.map((c) => c.key) : [i.key]))
    .filter((k) => (k === '/' ? loc.pathname === '/' : loc.pathname.startsWith(k)))
    .slice(-1);
  return (
    <Layout style={{ minHeight: '100%' }}>
      <a className="tf-skip" href="#main">
        {t('跳到正文', 'Skip to content')}
      </a>
      <Layout.Header className="tf-header" style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#002766' }}>
        {narrow && (
          <Button
            type="text"
            icon={<MenuOutlined style={{ color: '#fff' }} />}
            aria-label={t('导航菜单', 'Navigation menu')}
            aria-expanded={navOpen}
            onClick={() => setNavOpen((o) => !o)}
          />
        )}
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
          统发 Tongfa
        </Typography.Text>
        <div style={{ flex: 1 }} />
        <Space size="middle">
          <NotificationBell />
          <Typography.Text style={{ color: '#fff' }} className="tf-whoami" data-testid="whoami">
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
        <Layout.Sider
          width={200}
          theme="light"
          breakpoint="lg"
          collapsedWidth={0}
          trigger={null}
          collapsed={narrow && !navOpen}
          onBreakpoint={(broken) => {
            setNarrow(broken);
            setNavOpen(false);
          }}
        >
          <nav aria-label={t('主导航', 'Main navigation')}>
            <Menu
              mode="inline"
              selectedKeys={selected}
              items={items}
              onClick={(e) => {
                nav(e.key);
                setNavOpen(false);
              }}
              style={{ height: '100%', borderRight: 0 }}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content id="main" role="main" className="tf-main">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
