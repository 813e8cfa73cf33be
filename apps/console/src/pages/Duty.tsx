import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, List, Row, Space, Tag, Typography } from 'antd';
import { api, qs } from '../api/client';
import type { Page } from '../api/types';
import { useLang, useT } from '../lib/i18n';
import { useSession } from '../lib/session';
import { PageHeader } from '../components/PageHeader';
import { formatLocalTime } from '../lib/beijing-time';
import { DARK, linkTo, SEVERITY, type AlertItem } from '../lib/notifications';
import { sourceText, type DutyLog, type DutyShift, type OnCallInfo } from '../lib/monitoring';

/** Units per page: each one's next handoff is read from its own duty log. */
const PAGE_SIZE = 20;
/** How far ahead the next handoff is looked for: past any holiday of a layer that skips rest days. */
const AHEAD_MS = 14 * 86_400_000;

interface DutyUnit {
  id: string;
  name: string;
  level: string;
  /** Levels below the caller's own top unit. */
  depth: number;
}

interface UnitDuty {
  unit: DutyUnit;
  now: OnCallInfo | null;
  /** The unit's own schedule over the next two weeks: current shift, next handoff (a long holiday may hold none for days), gaps. */
  next: DutyShift[];
  error: string | null;
}

/**
 * 值班值守: who is on call now for the caller's unit and the units below it (a page at a time, in
 * tree order), until when, who takes over next, gaps in red; and the caller's open alerts (for
 * those who acknowledge them).
 */
export default function Duty() {
  const t = useT();
  const lang = useLang();
  const { has } = useSession();
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<UnitDuty[] | null>(null);
  const [total, setTotal] = useState(0);
  const [listError, setListError] = useState<string | null>(null);
  const readsAlerts = has('duty_officer') || has('supervisor');
  const [alerts, setAlerts] = useState<Page<AlertItem> | null>(null);
  const [alertError, setAlertError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    const from = new Date();
    const to = new Date(from.getTime() + AHEAD_MS);
    api<Page<{ unit: DutyUnit; onCall: OnCallInfo }>>(`/duty/units${qs({ page, pageSize: PAGE_SIZE })}`)
      .then(async (p) => {
        if (!live) return;
        setTotal(p.total);
        setListError(null);
        // Who is on call shows at once; each unit's next handoff follows from its own log.
        setRows(p.items.map(({ unit, onCall }) => ({ unit, now: onCall, next: [], error: null })));
        const r = await Promise.all(
          p.items.map(async ({ unit, onCall }): Promise<UnitDuty> => {
            try {
              const log = await api<DutyLog>(`/duty/units/${unit.id}/log${qs({ from: from.toISOString(), to: to.toISOString() })}`);
              return { unit, now: onCall, next: log.shifts, error: null };
            } catch (e) {
              return { unit, now: onCall, next: [], error: e instanceof Error ? e.message : String(e) };
            }
          }),
        );
        if (live) setRows(r);
      })
      .catch((e: Error) => {
        if (!live) return;
        setListError(e.message);
        setRows([]);
      });
    return () => {
      live = false;
    };
  }, [page]);

  useEffect(() => {
    if (!readsAlerts) return;
    api<Page<AlertItem>>(`/alerts${qs({ status: 'open', page: 1, pageSize: 10 })}`)
      .then(setAlerts)
      .catch((e: Error) => setAlertError(e.message));
  }, [readsAlerts]);

  return (
    <div>
      <PageHeader title={t('值班值守', 'On duty')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={readsAlerts ? 16 : 24}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('当前值班', 'On call now')}</h2>} data-testid="on-call">
            {listError && <Alert type="error" title={listError} data-testid="duty-units-error" />}
            <List<UnitDuty>
              loading={!rows}
              dataSource={rows ?? []}
              rowKey={(r) => r.unit.id}
              pagination={
                total > PAGE_SIZE && {
                  current: page,
                  pageSize: PAGE_SIZE,
                  total,
                  onChange: setPage,
                  showSizeChanger: false,
                  size: 'small',
                  showTotal: (n) => t(`共 ${n} 个单位`, `${n} units`),
                }
              }
              locale={{ emptyText: t('没有可查看的单位', 'No unit to show') }}
              renderItem={(r) => <UnitRow r={r} />}
            />
          </Card>
        </Col>
        {readsAlerts && (
          <Col xs={24} xl={8}>
            <Card
              title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('待确认的提醒', 'Open alerts')}</h2>}
              extra={<Link to="/alerts">{t('全部提醒', 'All alerts')}</Link>}
              data-testid="open-alerts"
            >
              {alertError && <Alert type="error" title={alertError} />}
              <List<AlertItem>
                size="small"
                loading={!alerts && !alertError}
                dataSource={alerts?.items ?? []}
                rowKey="id"
                locale={{ emptyText: t('没有待确认的提醒', 'No open alerts') }}
                renderItem={(a) => {
                  const to = linkTo(a.link);
                  return (
                    <List.Item data-testid="open-alert">
                      <Space wrap size={4}>
                        <Tag color={SEVERITY[a.severity].color} style={DARK}>
                          {SEVERITY[a.severity][lang]}
                        </Tag>
                        {to ? <Link to={to}>{a.title[lang]}</Link> : <span>{a.title[lang]}</span>}
                        <Typography.Text style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
                          {formatLocalTime(a.createdAt, lang)}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  );
                }}
              />
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}

function UnitRow({ r }: { r: UnitDuty }) {
  const t = useT();
  const lang = useLang();
  const n = r.now;
  const gap = !!n && !n.user;
  const current = r.next[0];
  const following = r.next[1];
  const inherited = n && n.scheduleUnitId && n.scheduleUnitId !== r.unit.id;
  return (
    <List.Item
      data-testid="duty-unit"
      data-unit={r.unit.id}
      data-gap={gap ? 'true' : 'false'}
      style={gap ? { background: '#fff1f0', borderLeft: '4px solid #cf1322', paddingLeft: 12 } : undefined}
      actions={[
        <Link key="s" to={`/duty/schedule/${r.unit.id}`}>
          {t('值班表', 'Schedule')}
        </Link>,
        <Link key="l" to={`/duty/log/${r.unit.id}`}>
          {t('值班日志', 'Log')}
        </Link>,
      ]}
    >
      <Space direction="vertical" size={2} style={{ paddingLeft: r.unit.depth * 16 }}>
        <Typography.Text strong>{r.unit.name}</Typography.Text>
        {r.error && <Typography.Text style={{ color: '#a8071a' }}>{r.error}</Typography.Text>}
        {n && n.user && (
          <Space wrap size={4}>
            <span data-testid="on-call-name">{n.user.displayName}</span>
            <Tag style={DARK}>{sourceText(n.source, lang)}</Tag>
            {current?.userId === n.user.id && (
              <Typography.Text style={DARK}>
                {t(`至 ${formatLocalTime(current.to, lang)}`, `until ${formatLocalTime(current.to, lang)}`)}
              </Typography.Text>
            )}
            {inherited && <Tag style={DARK}>{t('沿用上级单位值班表', 'Schedule of the unit above')}</Tag>}
          </Space>
        )}
        {gap && (
          <Typography.Text style={{ color: '#a8071a' }} data-testid="gap">
            {n.source.kind === 'unscheduled' ? t('未排班', 'No schedule') : t('值班空档', 'Gap in the schedule')}
            {n.fallback.length > 0 &&
              t(
                `：提醒将发给 ${n.fallback.map((p) => p.displayName).join('、')}`,
                `: alerts go to ${n.fallback.map((p) => p.displayName).join(', ')}`,
              )}
          </Typography.Text>
        )}
        {following && (
          <Typography.Text style={{ color: following.userId ? 'rgba(0,0,0,0.75)' : '#a8071a', fontSize: 13 }} data-testid="next-handoff">
            {following.userId
              ? t(
                  `下一班：${formatLocalTime(following.from, lang)} 起 ${following.displayName ?? ''}`,
                  `Next: ${following.displayName ?? ''} from ${formatLocalTime(following.from, lang)}`,
                )
              : t(`${formatLocalTime(following.from, lang)} 起值班空档`, `Gap from ${formatLocalTime(following.from, lang)}`)}
          </Typography.Text>
        )}
      </Space>
    </List.Item>
  );
}
