import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Card, Popconfirm, Segmented, Space, Table, Tag } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { QaEntryDetail } from '../api/types';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { errorText } from '../lib/forms';
import { fmtTime } from '../lib/qa';
import { usePaged } from '../lib/usePaged';
import { PageHeader } from '../components/PageHeader';

interface PolicyDocument {
  id: string;
  title: string;
  docNumber: string | null;
  url: string | null;
  repealed: boolean;
  repealedAt: string | null;
  createdAt: string;
}

interface Repealed {
  document: PolicyDocument;
  flaggedEntryIds: string[];
}

/**
 * 政策文件: the documents the library's entries cite (collected from their policy basis). A
 * province operator or supervisor marks one 废止 (repealed); every entry citing it is flagged for
 * review, and the flagged entries are listed here to be opened and updated.
 */
export default function QaPolicies() {
  const t = useT();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { has } = useSession();
  const [filter, setFilter] = useState<'all' | 'live' | 'repealed'>('all');
  const list = usePaged<PolicyDocument>('/qa/policy-documents', { repealed: filter === 'all' ? undefined : filter === 'repealed' }, 20);
  const [busy, setBusy] = useState<string | null>(null);
  const [flagged, setFlagged] = useState<{ document: PolicyDocument; entries: { id: string; question: string }[] } | null>(null);
  const manages = has('platform_operator') || has('supervisor');

  const repeal = async (doc: PolicyDocument) => {
    setBusy(doc.id);
    try {
      const r = await api<Repealed>(`/qa/policy-documents/${doc.id}/repeal`, { method: 'POST' });
      const entries = await Promise.all(
        r.flaggedEntryIds.map((id) =>
          api<QaEntryDetail>(`/qa/entries/${id}`)
            .then((e) => ({ id, question: e.question }))
            .catch(() => ({ id, question: id })),
        ),
      );
      setFlagged({ document: r.document, entries });
      message.success(t(`已标记废止，${entries.length} 条答问待复核`, `Marked repealed; ${entries.length} entries flagged for review`));
      await list.reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <PageHeader
        title={t('政策文件', 'Policy documents')}
        extra={<Button onClick={() => nav('/qa')}>{t('答问库', 'Q&A library')}</Button>}
      />
      {flagged && (
        <Alert
          type="warning"
          closable
          onClose={() => setFlagged(null)}
          style={{ marginBottom: 12 }}
          data-testid="qa-flagged"
          title={t(
            `《${flagged.document.title}》已废止，以下 ${flagged.entries.length} 条答问引用了它，已标记待复核`,
            `“${flagged.document.title}” is repealed; these ${flagged.entries.length} entries cite it and are flagged for review`,
          )}
          description={
            flagged.entries.length > 0 ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {flagged.entries.map((e) => (
                  <li key={e.id}>
                    <Link to={`/qa/${e.id}`} style={{ textDecoration: 'underline' }}>
                      {e.question}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              t('没有答问引用它', 'No entry cites it')
            )
          }
        />
      )}
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            aria-label={t('状态', 'Status')}
            value={filter}
            onChange={(v) => setFilter(v as typeof filter)}
            options={[
              { value: 'all', label: t('全部', 'All') },
              { value: 'live', label: t('现行有效', 'In force') },
              { value: 'repealed', label: t('已废止', 'Repealed') },
            ]}
          />
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <Table<PolicyDocument>
          rowKey="id"
          size="small"
          data-testid="qa-policies"
          scroll={{ x: 'max-content' }}
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          locale={{ emptyText: t('答问还没有引用政策文件', 'No entry cites a policy document yet') }}
          columns={[
            {
              title: t('文件标题', 'Title'),
              dataIndex: 'title',
              render: (v: string, d) =>
                d.url ? (
                  <a href={d.url} target="_blank" rel="noreferrer" style={{ textDecoration: 'underline' }}>
                    {v}
                  </a>
                ) : (
                  v
                ),
            },
            { title: t('文号', 'Doc. number'), dataIndex: 'docNumber', render: (v: string | null) => v || '—' },
            {
              title: t('状态', 'Status'),
              dataIndex: 'repealed',
              render: (v: boolean, d) =>
                v ? (
                  <Tag color="error" style={{ color: 'rgba(0,0,0,0.88)' }}>
                    {t('已废止', 'Repealed')} {fmtTime(d.repealedAt)}
                  </Tag>
                ) : (
                  <Tag color="success" style={{ color: 'rgba(0,0,0,0.88)' }}>
                    {t('现行有效', 'In force')}
                  </Tag>
                ),
            },
            { title: t('首次引用', 'First cited'), dataIndex: 'createdAt', render: fmtTime },
            ...(manages
              ? [
                  {
                    title: t('操作', 'Actions'),
                    key: 'actions',
                    render: (_: unknown, d: PolicyDocument) =>
                      !d.repealed && (
                        <Popconfirm
                          title={t('标记为已废止？', 'Mark as repealed?')}
                          description={t('引用它的答问都会标记为待复核', 'Every entry citing it is flagged for review')}
                          okText={t('废止', 'Repeal')}
                          cancelText={t('取消', 'Cancel')}
                          onConfirm={() => void repeal(d)}
                        >
                          <Button size="small" danger icon={<StopOutlined />} loading={busy === d.id}>
                            {t('废止', 'Repeal')}
                          </Button>
                        </Popconfirm>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
