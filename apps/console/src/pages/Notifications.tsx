import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, List, Segmented, Space, Tag, Typography, message } from 'antd';
import { api } from '../api/client';
import { usePaged } from '../lib/usePaged';
import { useLang, useT } from '../lib/i18n';
import { PageHeader } from '../components/PageHeader';
import { NOTIFICATIONS_CHANGED } from '../components/NotificationBell';
import { formatLocalTime } from '../lib/beijing-time';
import { DARK, linkTo, NOTIFICATION_KIND, type NotificationItem } from '../lib/notifications';

/** 我的通知: newest first, unread in bold; opening one marks it read and goes where it points. */
export default function Notifications() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const [filter, setFilter] = useState<'unread' | 'all'>('unread');
  const list = usePaged<NotificationItem>('/notifications', { unread: filter === 'unread' ? true : undefined }, 20);
  const changed = () => window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));

  const open = async (n: NotificationItem) => {
    if (!n.readAt) {
      await api(`/notifications/${n.id}/read`, { method: 'POST' }).catch(() => undefined);
      changed();
    }
    const to = linkTo(n.link, n.kind);
    if (to) nav(to);
    else void list.reload();
  };
  const readAll = async () => {
    try {
      const r = await api<{ marked: number }>('/notifications/read-all', { method: 'POST' });
      void message.success(t(`已将 ${r.marked} 条标为已读`, `${r.marked} marked read`));
      changed();
      void list.reload();
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div>
      <PageHeader
        title={t('通知', 'Notifications')}
        extra={
          <Space wrap>
            <Segmented
              aria-label={t('显示范围', 'Show')}
              value={filter}
              onChange={(v) => setFilter(v as 'unread' | 'all')}
              options={[
                { label: t('未读', 'Unread'), value: 'unread' },
                { label: t('全部', 'All'), value: 'all' },
              ]}
            />
            <Button onClick={readAll} data-testid="read-all">
              {t('全部标为已读', 'Mark all read')}
            </Button>
          </Space>
        }
      />
      {list.error && <Alert type="error" title={list.error} style={{ marginBottom: 16 }} />}
      <List<NotificationItem>
        data-testid="notification-list"
        loading={list.loading}
        dataSource={list.items}
        locale={{ emptyText: filter === 'unread' ? t('没有未读通知', 'No unread notifications') : t('暂无通知', 'No notifications') }}
        pagination={list.total > list.pagination.pageSize ? { ...list.pagination, size: 'small' } : false}
        renderItem={(n) => {
          const kind = NOTIFICATION_KIND[n.kind];
          return (
            <List.Item
              key={n.id}
              data-testid="notification-item"
              data-read={n.readAt ? 'true' : 'false'}
              actions={[
                <Button key="open" type="link" onClick={() => void open(n)} aria-label={t(`查看：${n.title.zh}`, `Open: ${n.title.en}`)}>
                  {t('查看', 'Open')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <Tag color={kind?.color} style={DARK}>
                      {kind ? kind[lang] : n.kind}
                    </Tag>
                    <Typography.Text strong={!n.readAt}>{n.title[lang]}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ marginBottom: 4, color: 'rgba(0,0,0,0.75)' }}>{n.body[lang]}</Typography.Paragraph>
                    <Typography.Text style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
                      {formatLocalTime(n.createdAt, lang)}
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
