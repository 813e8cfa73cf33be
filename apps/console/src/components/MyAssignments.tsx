import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, List, Space, Typography } from 'antd';
import type { Assignment } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { ASSIGNMENTS_PAGE } from '../pages/workbench-prefetch';
import { useLang, useT } from '../lib/i18n';
import { countdown, OPEN_STATES } from '../lib/campaigns';
import { PlatformIcon } from './PlatformIcon';
import { StatusTag } from './StatusTag';

const OPEN = new Set<string>(OPEN_STATES);

/**
 * 我的联动任务 on the workbench: the unit's assignments, open ones first by deadline, with the
 * time left. A list rather than a table, so state and time left stay in view on a phone.
 */

export function MyAssignments() {
  const t = useT();
  const lang = useLang();
  const list = usePaged<Assignment>('/assignments', {}, ASSIGNMENTS_PAGE);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('我的联动任务', 'My campaign tasks')}</h2>} data-testid="my-assignments">
      {list.error && (
        <Alert type="error" role="alert" title={t(`联动任务加载失败：${list.error}`, `Could not load tasks: ${list.error}`)} />
      )}
      <List<Assignment>
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={list.total > 5 ? { ...list.pagination, size: 'small', showSizeChanger: false } : false}
        locale={{ emptyText: t('上级没有下发需要本单位转发的任务', 'No campaign asks us to relay anything') }}
        renderItem={(a) => {
          const due = OPEN.has(a.state) ? countdown(a.campaign.deadline, now, lang) : null;
          return (
            <List.Item data-assignment={a.id} data-state={a.state}>
              <div style={{ width: '100%' }}>
                <Link to={`/assignments/${a.id}`}>{a.campaign.title}</Link>
                <Space wrap size={[12, 4]} style={{ display: 'flex', marginTop: 4 }}>
                  <PlatformIcon platform={a.platform} lang={lang} />
                  <StatusTag kind="assignment" status={a.state} />
                  {due && <Typography.Text type={due.late ? 'danger' : due.urgent ? 'warning' : undefined}>{due.text}</Typography.Text>}
                  <Typography.Text type="secondary">{a.campaign.issuerUnitName}</Typography.Text>
                </Space>
              </div>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
