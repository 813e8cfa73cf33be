import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Col, Row, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Manuscript, PendingReview, Publication } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { CATEGORY, label } from '../lib/labels';
import { StatusTag } from '../components/StatusTag';
import { MyAssignments } from '../components/MyAssignments';
import { AuditorCards, OperatorCards, SupervisorCards } from '../components/RoleCards';

import { ALL, DRAFTS, MINE, PAGE } from './workbench-prefetch';

const when = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');

export default function Workbench() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { me, has } = useSession();
  const drafts = usePaged<Manuscript>(has('editor') ? '/manuscripts' : null, DRAFTS, PAGE);
  const mine = usePaged<Manuscript>(has('editor') ? '/manuscripts' : null, MINE, PAGE);
  const pubs = usePaged<Publication>(has('editor') || has('supervisor') || has('reviewer') ? '/publications' : null, ALL, PAGE);
  const [pending, setPending] = useState<PendingReview[] | null>(has('reviewer') ? null : []);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (has('reviewer'))
      api<{ items: PendingReview[] }>('/reviews/pending')
        .then((r) => setPending(r.items))
        .catch((e) => setError(String(e.message ?? e)));
  }, [has]);

  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('工作台', 'Workbench')} · {me?.displayName}
        </Typography.Title>
        {has('editor') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/manuscripts/new')}>
            {t('写稿', 'New manuscript')}
          </Button>
        )}
      </div>
      {error && <Alert type="error" title={error} />}
      <Row gutter={[16, 16]}>
        {has('auditor') && <AuditorCards />}
        {has('platform_operator') && <OperatorCards />}
        {has('supervisor') && <SupervisorCards />}
        {(has('editor') || has('unit_admin')) && (
          <Col xs={24}>
            <MyAssignments />
          </Col>
        )}
        {has('editor') && (
          <Col xs={24} xl={12}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('我的草稿', 'My drafts')}</h2>} data-testid="my-drafts">
              <Table<Manuscript>
                rowKey="id"
                size="small"
                loading={drafts.loading}
                dataSource={drafts.items}
                pagination={drafts.pagination}
                locale={{ emptyText: t('暂无草稿', 'No drafts') }}
                columns={[
                  { title: t('标题', 'Title'), dataIndex: 'title', render: (v, r) => <Link to={`/manuscripts/${r.id}/edit`}>{v}</Link> },
                  { title: t('类别', 'Category'), dataIndex: 'category', render: (v) => label(CATEGORY, v, lang) },
                  { title: t('更新', 'Updated'), dataIndex: 'updatedAt', render: when },
                ]}
              />
            </Card>
          </Col>
        )}
        {has('reviewer') && (
          <Col xs={24} xl={12}>
            <Card
              title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('待我审核', 'Waiting for my review')}</h2>}
              data-testid="pending-reviews"
            >
              <Table<PendingReview>
                rowKey="manuscriptId"
                size="small"
                loading={pending === null}
                dataSource={pending ?? []}
                pagination={false}
                locale={{ emptyText: t('没有待审稿件', 'Nothing to review') }}
                columns={[
                  {
                    title: t('标题', 'Title'),
                    dataIndex: 'title',
                    render: (v, r) => <Link to={`/manuscripts/${r.manuscriptId}/review`}>{v}</Link>,
                  },
                  { title: t('环节', 'Step'), dataIndex: 'stepName' },
                  { title: t('版本', 'Version'), dataIndex: 'versionNumber', render: (v) => `v${v}` },
                  { title: t('送审时间', 'Submitted'), dataIndex: 'submittedAt', render: when },
                ]}
              />
            </Card>
          </Col>
        )}
        {has('editor') && (
          <Col xs={24} xl={12}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('我的稿件', 'My manuscripts')}</h2>} data-testid="my-manuscripts">
              <Table<Manuscript>
                rowKey="id"
                size="small"
                loading={mine.loading}
                dataSource={mine.items}
                pagination={mine.pagination}
                locale={{ emptyText: t('暂无稿件', 'No manuscripts') }}
                columns={[
                  { title: t('标题', 'Title'), dataIndex: 'title', render: (v, r) => <Link to={`/manuscripts/${r.id}`}>{v}</Link> },
                  { title: t('状态', 'Status'), dataIndex: 'status', render: (v) => <StatusTag kind="manuscript" status={v} /> },
                  { title: t('更新', 'Updated'), dataIndex: 'updatedAt', render: when },
                ]}
              />
            </Card>
          </Col>
        )}
        {(has('editor') || has('supervisor') || has('reviewer')) && (
          <Col xs={24} xl={12}>
            <Card
              title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('最近发布', 'Recent publications')}</h2>}
              data-testid="recent-publications"
            >
              <Table<Publication>
                rowKey="id"
                size="small"
                loading={pubs.loading}
                dataSource={pubs.items}
                pagination={pubs.pagination}
                locale={{ emptyText: t('暂无发布记录', 'No publications yet') }}
                columns={[
                  {
                    title: t('稿件', 'Manuscript'),
                    dataIndex: 'title',
                    render: (v, r) => <Link to={`/publications/${r.id}`}>{v ?? r.manuscriptId.slice(0, 8)}</Link>,
                  },
                  { title: t('状态', 'Status'), dataIndex: 'status', render: (v) => <StatusTag kind="target" status={v} /> },
                  { title: t('时间', 'Time'), dataIndex: 'createdAt', render: when },
                ]}
              />
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
