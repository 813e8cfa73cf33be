import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Input, Modal, Radio, Select, Space, Tooltip, TreeSelect, Typography } from 'antd';
import { ClockCircleOutlined, LeftOutlined, LockOutlined, RightOutlined } from '@ant-design/icons';
import { api, qs } from '../api/client';
import type { Account, Page } from '../api/types';
import { useLang, useT } from '../lib/i18n';
import { errorText } from '../lib/forms';
import { label, MANUSCRIPT_STATUS, TARGET_STATE } from '../lib/labels';
import { bjClock, bjDayKey, bjFormat, bjParts, bjStartOfWeek, bjTime, DAY_MS, fromBjInput, toBjInput } from '../lib/beijing';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon } from '../components/PlatformIcon';
import { unitTreeData, useUnitTree } from '../lib/unit-tree';

interface CalendarItem {
  kind: 'plan' | 'publication';
  id: string;
  manuscriptId: string;
  title: string;
  unitId: string;
  unitName: string | null;
  at: string;
  status: string;
  accounts: { id: string; name: string | null; platform: string; state: string | null }[];
  movable: boolean;
  lockedReason: { zh: string; en: string } | null;
}

type Mode = 'month' | 'week';

const WEEKDAYS: [string, string][] = [
  ['周一', 'Mon'],
  ['周二', 'Tue'],
  ['周三', 'Wed'],
  ['周四', 'Thu'],
  ['周五', 'Fri'],
  ['周六', 'Sat'],
  ['周日', 'Sun'],
];

/** Left border colour by what the item is: a plan, a scheduled publication, one that went out. */
function accent(i: CalendarItem): string {
  if (i.kind === 'plan') return '#1677ff';
  if (i.status === 'scheduled') return '#d46b08';
  if (i.status === 'failed' || i.status === 'partial') return '#cf1322';
  return '#389e0d';
}

function useNarrow(): boolean {
  const q = '(max-width: 767px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(q).matches);
  useEffect(() => {
    const m = window.matchMedia(q);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow;
}

/**
 * 发布日历: planned manuscripts and scheduled or sent publications by Beijing day, per unit and
 * account. Dragging an item to another day keeps its time of day; the hub decides whether it may
 * move (a plan until its review completes, a publication until it starts) and says why not.
 */
export default function Calendar() {
  const t = useT();
  const lang = useLang();
  const { message } = App.useApp();
  const narrow = useNarrow();
  const tree = useUnitTree();
  const [mode, setMode] = useState<Mode>('month');
  const [anchor, setAnchor] = useState(() => new Date());
  const [unitId, setUnitId] = useState<string | undefined>();
  const [accountId, setAccountId] = useState<string | undefined>();
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [items, setItems] = useState<CalendarItem[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<CalendarItem | null>(null);
  const [editValue, setEditValue] = useState('');
  const [dragOver, setDragOver] = useState<string | null>(null);

  const { start, days } = useMemo(() => {
    if (mode === 'week') return { start: bjStartOfWeek(anchor), days: 7 };
    const p = bjParts(anchor);
    return { start: bjStartOfWeek(bjTime(p.y, p.m, 1)), days: 42 };
  }, [mode, anchor]);
  const end = new Date(start.getTime() + days * DAY_MS);
  const month = bjParts(anchor).m;

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api<{ items: CalendarItem[] }>(
        `/calendar${qs({ from: start.toISOString(), to: new Date(start.getTime() + days * DAY_MS).toISOString(), unitId, accountId })}`,
      );
      setItems(r.items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [start, days, unitId, accountId]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    api<Page<Account>>(`/accounts${qs({ pageSize: 200 })}`)
      .then((r) => setAccounts(r.items))
      .catch(() => setAccounts([]));
  }, []);

  const move = async (item: CalendarItem, at: Date) => {
    setError(null);
    try {
      if (item.kind === 'plan') await api(`/manuscripts/${item.id}/plan`, { method: 'PUT', body: { plannedAt: at.toISOString() } });
      else await api(`/publications/${item.id}/schedule`, { method: 'PUT', body: { scheduledAt: at.toISOString() } });
      message.success(t(`已调整到 ${bjFormat(at)}（北京时间）`, `Moved to ${bjFormat(at)} (Beijing time)`));
      await load();
    } catch (e) {
      // The hub's reason, Chinese first: the one rule, whether dragged here or asked elsewhere.
      setError(t(`“${item.title}”未能调整：${errorText(e)}`, `Could not move “${item.title}”: ${errorText(e)}`));
    }
  };

  const dropOn = (day: Date) => (e: DragEvent) => {
    e.preventDefault();
    setDragOver(null);
    const key = e.dataTransfer.getData('text/plain');
    const item = items.find((i) => `${i.kind}:${i.id}` === key);
    if (!item) return;
    const was = bjParts(new Date(item.at));
    const d = bjParts(day);
    if (bjDayKey(day) === bjDayKey(new Date(item.at))) return;
    void move(item, bjTime(d.y, d.m, d.d, was.hh, was.mm));
  };

  const byDay = useMemo(() => {
    const m = new Map<string, CalendarItem[]>();
    for (const i of items) {
      const k = bjDayKey(new Date(i.at));
      m.set(k, [...(m.get(k) ?? []), i]);
    }
    return m;
  }, [items]);

  const step = (dir: -1 | 1) => {
    if (mode === 'week') setAnchor(new Date(anchor.getTime() + dir * 7 * DAY_MS));
    else {
      const p = bjParts(anchor);
      setAnchor(bjTime(p.y, p.m + dir, 1, 12));
    }
  };
  const title = (() => {
    const p = bjParts(anchor);
    if (mode === 'month') return t(`${p.y}年${p.m + 1}月`, `${p.y}-${String(p.m + 1).padStart(2, '0')}`);
    const a = bjParts(start);
    const b = bjParts(new Date(end.getTime() - DAY_MS));
    return t(`${a.m + 1}月${a.d}日 — ${b.m + 1}月${b.d}日`, `${a.m + 1}/${a.d} – ${b.m + 1}/${b.d}`);
  })();
  const today = bjDayKey(new Date());
  const treeData = useMemo(() => (tree ? [unitTreeData(tree)] : []), [tree]);

  const renderItem = (i: CalendarItem) => {
    const statusText =
      i.kind === 'plan' ? `${t('计划', 'Planned')} · ${label(MANUSCRIPT_STATUS, i.status, lang)}` : label(TARGET_STATE, i.status, lang);
    return (
      <div
        key={`${i.kind}:${i.id}`}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData('text/plain', `${i.kind}:${i.id}`);
          e.dataTransfer.effectAllowed = 'move';
        }}
        data-testid="cal-item"
        data-kind={i.kind}
        data-id={i.id}
        data-movable={i.movable ? 'yes' : 'no'}
        style={{
          borderLeft: `3px solid ${accent(i)}`,
          background: '#fafafa',
          padding: '2px 4px',
          marginBottom: 4,
          cursor: 'grab',
          fontSize: 12,
          lineHeight: 1.4,
          overflow: 'hidden',
        }}
      >
        <div style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
          <span style={{ color: '#262626', flex: 'none' }}>{bjClock(i.at)}</span>
          <Link
            to={i.kind === 'plan' ? `/manuscripts/${i.manuscriptId}` : `/publications/${i.id}`}
            style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', flex: 1, minWidth: 0 }}
            title={i.title}
          >
            {i.title}
          </Link>
          {i.movable ? (
            <Button
              type="text"
              size="small"
              icon={<ClockCircleOutlined />}
              aria-label={t(`调整时间：${i.title}`, `Move ${i.title}`)}
              onClick={() => {
                setEditing(i);
                setEditValue(toBjInput(i.at));
              }}
              style={{ flex: 'none', height: 20, width: 20, minWidth: 20 }}
            />
          ) : (
            <Tooltip title={i.lockedReason?.[lang]}>
              <span style={{ flex: 'none' }} tabIndex={0} role="img" aria-label={i.lockedReason?.[lang] ?? t('不能调整', 'Locked')}>
                <LockOutlined aria-hidden />
              </span>
            </Tooltip>
          )}
        </div>
        <div style={{ color: '#595959' }}>
          {statusText}
          {i.accounts.length > 0 && (
            <span style={{ marginLeft: 4 }}>
              {i.accounts.map((a) => (
                <span key={a.id} title={a.name ?? a.platform} style={{ marginRight: 2 }}>
                  <PlatformIcon platform={a.platform} lang={lang} withName={false} />
                </span>
              ))}
            </span>
          )}
          {i.unitName && <span style={{ marginLeft: 4 }}>{i.unitName}</span>}
        </div>
      </div>
    );
  };

  const dayCell = (day: Date, idx: number) => {
    const key = bjDayKey(day);
    const p = bjParts(day);
    const list = byDay.get(key) ?? [];
    const outside = mode === 'month' && p.m !== month;
    return (
      <div
        key={key}
        role="gridcell"
        data-day={key}
        data-testid="cal-day"
        onDragOver={(e) => {
          e.preventDefault();
          if (dragOver !== key) setDragOver(key);
        }}
        onDragLeave={() => setDragOver((k) => (k === key ? null : k))}
        onDrop={dropOn(day)}
        style={{
          minHeight: mode === 'week' ? 280 : 110,
          padding: 4,
          borderTop: '1px solid #f0f0f0',
          borderLeft: idx % 7 === 0 ? 'none' : '1px solid #f0f0f0',
          background: dragOver === key ? '#e6f4ff' : key === today ? '#fffbe6' : '#fff',
          minWidth: 0,
        }}
      >
        <div style={{ color: outside ? '#595959' : '#262626', fontWeight: key === today ? 600 : 400, marginBottom: 2 }}>
          {mode === 'week' ? (
            `${WEEKDAYS[idx % 7]![lang === 'zh' ? 0 : 1]} ${p.m + 1}/${p.d}`
          ) : (
            <>
              <span className="sr-only">{t(`${p.m + 1}月`, `${p.m + 1}/`)}</span>
              {p.d}
              <span className="sr-only">{t('日', '')}</span>
            </>
          )}
        </div>
        {list.map(renderItem)}
      </div>
    );
  };

  const allDays = Array.from({ length: days }, (_, i) => new Date(start.getTime() + i * DAY_MS));

  return (
    <div>
      <PageHeader title={t('发布日历', 'Publishing calendar')} />
      <Card>
        <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <Button icon={<LeftOutlined />} aria-label={t('上一页', 'Previous')} onClick={() => step(-1)} />
            <Button onClick={() => setAnchor(new Date())}>{t('今天', 'Today')}</Button>
            <Button icon={<RightOutlined />} aria-label={t('下一页', 'Next')} onClick={() => step(1)} />
            <Typography.Text strong data-testid="cal-title">
              {title}
            </Typography.Text>
            <Radio.Group
              value={mode}
              onChange={(e) => setMode(e.target.value as Mode)}
              optionType="button"
              options={[
                { value: 'month', label: t('月', 'Month') },
                { value: 'week', label: t('周', 'Week') },
              ]}
              aria-label={t('视图', 'View')}
            />
          </Space>
          <Space wrap>
            <TreeSelect
              aria-label={t('单位', 'Unit')}
              placeholder={t('全部单位', 'All units')}
              allowClear
              treeData={treeData}
              treeDefaultExpandAll
              value={unitId}
              onChange={setUnitId}
              style={{ width: 200 }}
            />
            <Select
              aria-label={t('账号', 'Account')}
              placeholder={t('全部账号', 'All accounts')}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              value={accountId}
              onChange={setAccountId}
              options={accounts.map((a) => ({ value: a.id, label: `${a.name}（${a.platform}）` }))}
              style={{ width: 220 }}
              data-testid="cal-account"
            />
          </Space>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t(
            '北京时间。拖动稿件到另一天可调整时间（保留时刻）：审核未完成的计划稿件、尚未开始的定时发布可以调整；带锁的不能调整。',
            'Beijing time. Drag an item to another day to move it (the time of day stays): plans whose review is not complete and scheduled publications that have not started; locked ones cannot move.',
          )}
        </Typography.Paragraph>
        {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} style={{ marginBottom: 8 }} />}
        <div aria-busy={loading}>
          {narrow ? (
            // A phone: the days that have something, one under another (each still takes a drop).
            <div data-testid="cal-agenda">
              {allDays.filter((d) => byDay.has(bjDayKey(d))).length === 0 && !loading && (
                <Typography.Text type="secondary">{t('这段时间没有安排', 'Nothing in this period')}</Typography.Text>
              )}
              {allDays
                .filter((d) => byDay.has(bjDayKey(d)))
                .map((d) => (
                  <div key={bjDayKey(d)} style={{ marginBottom: 8 }}>
                    <Typography.Text strong>
                      {bjDayKey(d)} {WEEKDAYS[bjParts(d).dow]![lang === 'zh' ? 0 : 1]}
                    </Typography.Text>
                    <div onDragOver={(e) => e.preventDefault()} onDrop={dropOn(d)}>
                      {byDay.get(bjDayKey(d))!.map(renderItem)}
                    </div>
                  </div>
                ))}
            </div>
          ) : (
            <div role="grid" aria-label={title} data-testid="cal-grid" data-mode={mode}>
              <div role="row" style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))' }}>
                {WEEKDAYS.map((w) => (
                  <div key={w[0]} role="columnheader" style={{ padding: 4, fontWeight: 600 }}>
                    {w[lang === 'zh' ? 0 : 1]}
                  </div>
                ))}
              </div>
              {Array.from({ length: days / 7 }, (_, row) => (
                <div key={row} role="row" style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))' }}>
                  {allDays.slice(row * 7, row * 7 + 7).map((d, i) => dayCell(d, i))}
                </div>
              ))}
            </div>
          )}
        </div>
      </Card>
      <Modal
        open={!!editing}
        title={t(`调整“${editing?.title ?? ''}”的时间`, `Move “${editing?.title ?? ''}”`)}
        okText={t('调整', 'Move')}
        cancelText={t('取消', 'Cancel')}
        onOk={() => {
          const at = fromBjInput(editValue);
          const item = editing;
          setEditing(null);
          if (item && at) void move(item, at);
        }}
        onCancel={() => setEditing(null)}
      >
        <Input
          type="datetime-local"
          aria-label={t('新的时间（北京时间）', 'New time (Beijing time)')}
          value={editValue}
          onChange={(e) => setEditValue(e.target.value)}
        />
      </Modal>
    </div>
  );
}
