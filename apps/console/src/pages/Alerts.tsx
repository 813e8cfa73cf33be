import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, List, Segmented, Space, Tag, Typography, message } from 'antd';
import { api } from '../api/client';
import { usePaged } from '../lib/usePaged';
import { usePolling } from '../lib/usePolling';
import { useLang, useT } from '../lib/i18n';
import { PageHeader } from '../components/PageHeader';
import { formatLocalTime } from '../lib/beijing-time';
import { ALERT_KIND, ALERT_STATUS, DARK, linkTo, SEVERITY, type AlertItem } from '../lib/notifications';

type StatusFilter = 'open' | 'acknowledged' | 'resolved' | 'all';

/**
 * 值班提醒 for duty officers: the alerts over their subtree, newest first, to acknowledge (seen,
 * being handled) and resolve (dealt with). A list, not a table, so it reads on a phone.
 */
export default function Alerts() {
  const t = useT();
  const lang = useLang();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [busy, setBusy] = useState<string | null>(null);
  const list = usePaged<AlertItem>('/alerts', { status: status === 'all' ? undefined : status }, 20);
  // New alerts arrive without a reload; the first run is the page's own load.
  usePolling(() => (list.loading ? undefined : list.reload()), 60_000);

  const act = async (a: AlertItem, action: 'ack' | 'resolve') => {
    setBusy(`${a.id}:${action}`);
    try {
      await api(`/alerts/${a.id}/${action}`, { method: 'POST' });
      void message.success(action === 'ack' ? t('已确认', 'Acknowledged') : t('已标记为处置完毕', 'Marked resolved'));
      await list.reload();
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <PageHeader
        title={t('值班提醒', 'Duty alerts')}
        extra={
          <Segmented
            aria-label={t('按状态筛选', 'Filter by status')}
            value={status}
            onChange={(v) => setStatus(v as StatusFilter)}
            options={[
              { label: t('未确认', 'Open'), value: 'open' },
              { label: t('已确认', 'Acknowledged'), value: 'acknowledged' },
              { label: t('已处置', 'Resolved'), value: 'resolved' },
              { label: t('全部', 'All'), value: 'all' },
            ]}
          />
        }
      />
      {list.error && <Alert type="error" title={list.error} style={{ marginBottom: 16 }} />}
      <List<AlertItem>
        data-testid="alert-list"
        loading={list.loading}
        dataSource={list.items}
        locale={{ emptyText: status === 'open' ? t('没有待确认的提醒', 'No open alerts') : t('暂无提醒', 'No alerts') }}
        pagination={list.total > list.pagination.pageSize ? { ...list.pagination, size: 'small' } : false}
        renderItem={(a) => {
          const to = linkTo(a.link);
          const st = ALERT_STATUS[a.status];
          const sev = SEVERITY[a.severity];
          return (
            <List.Item
              key={a.id}
              data-testid="alert-item"
              data-status={a.status}
              actions={[
                ...(a.status === 'open'
                  ? [
                      <Button key="ack" size="small" loading={busy === `${a.id}:ack`} onClick={() => void act(a, 'ack')}>
                        {t('确认', 'Acknowledge')}
                      </Button>,
                    ]
                  : []),
                ...(a.status !== 'resolved'
                  ? [
                      <Button
                        key="resolve"
                        size="small"
                        type="primary"
                        loading={busy === `${a.id}:resolve`}
                        onClick={() => void act(a, 'resolve')}
                      >
                        {t('处置完毕', 'Resolve')}
                      </Button>,
                    ]
                  : []),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <Tag color={sev.color} style={DARK}>
                      {sev[lang]}
                    </Tag>
                    <Tag color={st.color} style={DARK}>
                      {st[lang]}
                    </Tag>
                    {to ? <Link to={to}>{a.title[lang]}</Link> : <Typography.Text>{a.title[lang]}</Typography.Text>}
                  </Space>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ marginBottom: 4, color: 'rgba(0,0,0,0.75)' }}>{a.message[lang]}</Typography.Paragraph>
                    <Typography.Text style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
                      {ALERT_KIND[a.kind]?.[lang] ?? a.kind} · {formatLocalTime(a.createdAt, lang)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          );
        }}
      />
    </div>
  );
}
