import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, List, Modal, Space, Table, Typography } from 'antd';
import { EditOutlined, EyeOutlined, SendOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Account, Manuscript, Page, Publication, ReviewDecision } from '../api/types';
import { Loading } from '../components/Loading';
import { StatusTag } from '../components/StatusTag';
import { ChainProgress } from '../components/ChainProgress';
import { PlatformIcon } from '../components/PlatformIcon';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { CATEGORY, CONNECTION, label } from '../lib/labels';
import { errorText } from '../lib/forms';

/** FNV-1a of a string, in base 36: a short, stable name for a choice of accounts. */
function digest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

const when = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');

export default function ManuscriptView() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { has } = useSession();
  const { message } = App.useApp();
  const [ms, setMs] = useState<Manuscript | null>(null);
  const [decisions, setDecisions] = useState<ReviewDecision[]>([]);
  const [pubs, setPubs] = useState<Publication[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [m, d, p] = await Promise.all([
        api<Manuscript>(`/manuscripts/${id}`),
        api<ReviewDecision[]>(`/manuscripts/${id}/reviews`),
        api<Page<Publication>>(`/publications?manuscriptId=${id}&pageSize=20`),
      ]);
      setMs(m);
      setDecisions(d);
      setPubs(p.items);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  const openPublish = async () => {
    setPublishOpen(true);
    const res = await api<Page<Account>>(`/accounts?unitId=${ms!.unitId}&pageSize=200`);
    const usable = res.items.filter((a) => ['active', 'opened'].includes(a.status));
    setAccounts(usable);
    setChosen(usable.filter((a) => a.connection === 'connected').map((a) => a.id));
  };

  const publish = async () => {
    setBusy(true);
    try {
      const pub = await api<Publication>(`/manuscripts/${id}/publications`, {
        body: { accountIds: chosen },
        // A retry of the same choice replays the first publication; another choice is another
        // request, so its key differs (the hub answers 409 to a key reused with another body).
        headers: { 'Idempotency-Key': `console-${id}-${ms!.currentVersionId}-${digest([...chosen].sort().join(','))}` },
      });
      message.success(t('已提交发布', 'Publishing started'));
      nav(`/publications/${pub.id}`);
    } catch (e) {
      setError(errorText(e));
      setPublishOpen(false);
    } finally {
      setBusy(false);
    }
  };

  if (error && !ms) return <Alert type="error" title={error} />;
  if (!ms) return <Loading />;
  const v = ms.version!;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {v.title}
        </Typography.Title>
        <Space wrap>
          {has('editor') && (
            <Button icon={<EditOutlined />} onClick={() => nav(`/manuscripts/${id}/edit`)}>
              {t('修改', 'Edit')}
            </Button>
          )}
          <Button icon={<EyeOutlined />} onClick={() => nav(`/manuscripts/${id}/preview`)}>
            {t('各平台预览', 'Preview on platforms')}
          </Button>
          {has('reviewer') && ms.status === 'in_review' && (
            <Button onClick={() => nav(`/manuscripts/${id}/review`)}>{t('审核', 'Review')}</Button>
          )}
          {has('editor') && ms.status === 'approved' && (
            <Button type="primary" icon={<SendOutlined />} onClick={() => void openPublish()} data-testid="publish">
              {t('发布', 'Publish')}
            </Button>
          )}
        </Space>
      </Space>
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('状态', 'Status')}>
            <span data-testid="manuscript-status">
              <StatusTag kind="manuscript" status={ms.status} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('类别', 'Category')}>{label(CATEGORY, ms.category, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('版本', 'Version')}>v{ms.currentVersionNumber}</Descriptions.Item>
          <Descriptions.Item label={t('送审时间', 'Submitted')}>{when(ms.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('更新时间', 'Updated')}>{when(ms.updatedAt)}</Descriptions.Item>
        </Descriptions>
        {ms.chain && (
          <div style={{ marginTop: 16 }}>
            <ChainProgress ms={ms} decisions={decisions} />
          </div>
        )}
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('审核意见', 'Review comments')}</h2>}>
        {decisions.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('暂无审核意见', 'No decisions yet')} />
        ) : (
          <List
            size="small"
            dataSource={decisions}
            renderItem={(d) => (
              <List.Item>
                <Space>
                  <StatusTag kind="manuscript" status={d.decision === 'approve' ? 'approved' : 'rejected'} />
                  <span>{t(`第 ${d.step + 1} 环节`, `Step ${d.step + 1}`)}</span>
                  <span>{d.comment || '—'}</span>
                  <Typography.Text type="secondary">{when(d.createdAt)}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('发布记录', 'Publications')}</h2>}>
        <Table<Publication>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={pubs}
          locale={{ emptyText: t('尚未发布', 'Not published yet') }}
          columns={[
            { title: t('时间', 'Time'), dataIndex: 'createdAt', render: (v, r) => <Link to={`/publications/${r.id}`}>{when(v)}</Link> },
            { title: t('状态', 'Status'), dataIndex: 'status', render: (s) => <StatusTag kind="target" status={s} /> },
          ]}
        />
      </Card>
      <Modal
        open={publishOpen}
        title={t('选择发布账号', 'Choose the accounts')}
        okText={t('确认发布', 'Publish')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ disabled: chosen.length === 0, loading: busy }}
        onOk={() => void publish()}
        onCancel={() => setPublishOpen(false)}
      >
        {accounts === null ? (
          <Loading />
        ) : accounts.length === 0 ? (
          <Empty description={t('本单位没有可用账号', 'The unit has no usable account')} />
        ) : (
          <Checkbox.Group value={chosen} onChange={(v) => setChosen(v as string[])} style={{ display: 'grid', gap: 8 }}>
            {accounts.map((a) => (
              <Checkbox key={a.id} value={a.id} disabled={a.connection !== 'connected'}>
                <PlatformIcon platform={a.platform} lang={lang} /> · {a.name}
                {a.connection !== 'connected' && ` (${label(CONNECTION, a.connection, lang)})`}
              </Checkbox>
            ))}
          </Checkbox.Group>
        )}
      </Modal>
    </Space>
  );
}
