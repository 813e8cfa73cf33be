import { Suspense, useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
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
  FileSearchOutlined,
  CarryOutOutlined,
  TrophyOutlined,
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
import { AntdHost, loadAntd } from './AntdHost';
import { Loading } from './Loading';
import { NotificationBell } from './NotificationBell';
import { useFocusableTableScroll } from './ScrollRegion';
import { useInboxWaiting } from '../lib/inbox';

export function AppLayout() {
  const { me, signOut, has } = useSession();
  const t = useT();
  useFocusableTableScroll(t('表格（可左右滚动）', 'Table (scrolls sideways)'));
  const nav = useNavigate();
  const loc = useLocation();
  const { lang, setLang } = useContext(LangContext);
  // Below the lg breakpoint (992 px) the navigation folds away behind a header button and opens
  // over the page (components/lite.css); it closes again on a choice, Escape or a route change.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [loc.pathname]);
  // The workbench is plain elements; every other page is built with antd, which starts loading
  // once the workbench is up, while the reader looks at it, so the next page does not wait.
  const needsAntd = loc.pathname !== '/';
  useEffect(() => {
    // After the page's load event and when the browser is idle: never ahead of the first page's own files.
    const idle = () =>
      (window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200)))(() => void loadAntd(), { timeout: 5_000 });
    if (document.readyState === 'complete') idle();
    else window.addEventListener('load', idle, { once: true });
    return () => window.removeEventListener('load', idle);
  }, []);
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
    // 抽查 and 排名 for supervisors; 整改 for the units that answer orders and the supervisors who re-check them.
    ...(has('supervisor') ? [{ key: '/spot-checks', icon: <FileSearchOutlined />, label: t('抽查', 'Spot checks') }] : []),
    ...(has('supervisor') || has('unit_admin') || has('editor')
      ? [{ key: '/rectifications', icon: <CarryOutOutlined />, label: t('整改', 'Rectification') }]
      : []),
    ...(has('supervisor') ? [{ key: '/rankings', icon: <TrophyOutlined />, label: t('排名', 'Rankings') }] : []),
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
                  <span className="tf-count" data-testid="inbox-waiting" title={t('指派给我、待答复', 'Assigned to me, unanswered')}>
                    {waiting}
                    <span className="sr-only">{t(' 条待答复', ' waiting')}</span>
                  </span>
                )}
              </span>
            ),
          },
          { key: '/inbox/metrics', icon: <BarChartOutlined />, label: t('互动统计', 'Interaction metrics') },
        ]
      : []),
    // 监督: who may read monitoring, duty and alerts, as the API grants them (libs/identity roles.ts).
    ...(supervise.length ? [{ key: 'supervise', label: t('监督', 'Supervision'), children: supervise }] : []),
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
    <div className="tf-app">
      <a className="tf-skip" href="#main">
        {t('跳到正文', 'Skip to content')}
      </a>
      <header className="tf-header">
        <button
          type="button"
          className="tf-iconbtn tf-navtoggle"
          aria-label={t('导航菜单', 'Navigation menu')}
          aria-expanded={navOpen}
          aria-controls="tf-nav"
          onClick={() => setNavOpen((o) => !o)}
        >
          <MenuOutlined aria-hidden />
        </button>
        <span className="tf-brand">统发 Tongfa</span>
        <div className="tf-spacer" />
        <div className="tf-tools">
          <NotificationBell />
          <span className="tf-whoami" data-testid="whoami">
            {me?.displayName}
          </span>
          <div className="tf-lang" role="group" aria-label={t('界面语言', 'Language')}>
            {(['zh', 'en'] as const).map((l) => (
              <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)}>
                {l === 'zh' ? '中文' : 'EN'}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="tf-btn tf-btn-sm"
            onClick={async () => {
              await signOut();
              nav('/login');
            }}
          >
            <LogoutOutlined aria-hidden />
            {t('退出', 'Sign out')}
          </button>
        </div>
      </header>
      <div className="tf-body">
        <nav
          id="tf-nav"
          className="tf-sider"
          data-open={navOpen}
          aria-label={t('主导航', 'Main navigation')}
          onKeyDown={menuKeys(setNavOpen)}
        >
          <ul role="menu" aria-orientation="vertical" className="tf-menu">
            {items.map((i) =>
              'children' in i && i.children ? (
                // A titled group of the menu (监督): its heading is the group's name for assistive technology.
                <li role="none" key={i.key}>
                  <div className="tf-menu-group" id={`tf-menu-${i.key}`}>
                    {i.label}
                  </div>
                  <ul role="group" aria-labelledby={`tf-menu-${i.key}`} className="tf-menu tf-menu-sub">
                    {i.children.map((c) => (
                      <MenuLink key={c.key} item={c} current={selected.includes(c.key)} onClick={() => setNavOpen(false)} />
                    ))}
                  </ul>
                </li>
              ) : (
                <MenuLink key={i.key} item={i} current={selected.includes(i.key)} onClick={() => setNavOpen(false)} />
              ),
            )}
          </ul>
        </nav>
        <main id="main" className="tf-main">
          <Suspense fallback={<Loading />}>
            <AntdHost needsAntd={needsAntd}>
              <Outlet />
            </AntdHost>
          </Suspense>
        </main>
      </div>
    </div>
  );
}

function MenuLink({
  item,
  current,
  onClick,
}: {
  item: { key: string; icon: ReactNode; label: ReactNode };
  current: boolean;
  onClick: () => void;
}) {
  return (
    <li role="none">
      <Link role="menuitem" className="tf-menu-item" to={item.key} aria-current={current ? 'page' : undefined} onClick={onClick}>
        {item.icon}
        <span>{item.label}</span>
      </Link>
    </li>
  );
}

/** Arrow keys move between the menu's items (the menu pattern); Escape folds the menu on a phone. */
function menuKeys(setOpen: (open: boolean) => void) {
  return (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape') return setOpen(false);
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('[role=menuitem]')];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? links.length - 1 : at + (e.key === 'ArrowDown' ? 1 : -1);
    links[(next + links.length) % links.length]?.focus();
    e.preventDefault();
  };
}
