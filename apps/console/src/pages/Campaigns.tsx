import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Segmented, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import type { Campaign } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useT } from '../lib/i18n';
import { when } from '../lib/campaigns';
import { PageHeader } from '../components/PageHeader';
import { StatusTag } from '../components/StatusTag';
import { CompletionBar } from '../components/CompletionBar';

/** The issuer's campaigns (联动任务): how far each one is, and who is late. */
export default function Campaigns() {
  const t = useT();
  const nav = useNavigate();
  const [status, setStatus] = useState<string>('');
  const list = usePaged<Campaign>('/campaigns', { status: status || undefined });
  return (
    <div>
      <PageHeader
        title={t('联动任务', 'Joint posting campaigns')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/campaigns/new')}>
            {t('发起联动', 'New campaign')}
          </Button>
        }
      />
      <Card>
        <Segmented
          aria-label={t('按状态筛选', 'Filter by status')}
          style={{ marginBottom: 12 }}
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={[
            { label: t('全部', 'All'), value: '' },
            { label: t('进行中', 'Open'), value: 'open' },
            { label: t('已结束', 'Closed'), value: 'closed' },
          ]}
        />
        {list.error && (
          <Alert type="error" role="alert" title={t(`联动任务加载失败：${list.error}`, `Could not load campaigns: ${list.error}`)} />
        )}
        <Table<Campaign>
          rowKey="id"
          size="small"
          data-testid="campaigns"
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          scroll={{ x: 760 }}
          locale={{
            emptyText: t(
              '还没有发起过联动任务。点击“发起联动”，让下级单位一起转发重要稿件。',
              'No campaign yet. Start one to have your units relay a release.',
            ),
          }}
          columns={[
            {
              title: t('标题', 'Title'),
              dataIndex: 'title',
              render: (v, r) => (
                <Link to={`/campaigns/${r.id}`} data-campaign={r.id}>
                  {v}
                </Link>
              ),
            },
            { title: t('发起单位', 'Issuer'), dataIndex: 'issuerUnitName' },
            { title: t('截止时间', 'Deadline'), dataIndex: 'deadline', render: when },
            { title: t('状态', 'Status'), dataIndex: 'status', render: (s) => <StatusTag kind="campaign" status={s} /> },
            {
              title: t('完成情况', 'Completion'),
              key: 'completion',
              width: 180,
              render: (_, r) => <CompletionBar counts={r.counts} label={r.title} />,
            },
            {
              title: t('逾期', 'Overdue'),
              key: 'overdue',
              render: (_, r) =>
                r.counts.overdue > 0 ? <Typography.Text type="danger">{r.counts.overdue}</Typography.Text> : <span>0</span>,
            },
          ]}
        />
      </Card>
    </div>
  );
}
