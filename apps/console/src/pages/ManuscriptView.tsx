import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, List, Modal, Space, Table, Typography } from 'antd';
import { EditOutlined, EyeOutlined, SendOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Account, Manuscript, Page, Publication, RenditionItem, ReviewDecision, SkipReason, SkippedAccount } from '../api/types';
import { Loading } from '../components/Loading';
import { StatusTag } from '../components/StatusTag';
import { ChainProgress } from '../components/ChainProgress';
import { PlatformIcon, platformName } from '../components/PlatformIcon';
import { ArticleView } from '../components/ArticleView';
import { adaptationLines, type AdaptedVersion } from '../lib/adaptations';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { CATEGORY, CONNECTION, label } from '../lib/labels';
import { errorText } from '../lib/forms';

/** The same choice of accounts gives the same key (a double click publishes once); another choice, another key. */
function setKey(ids: string[]): string {
  let h = 0x811c9dc5;
  for (const c of [...ids].sort().join(',')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `${ids.length}.${h.toString(16)}`;
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
  const [blocked, setBlocked] = useState<Map<string, SkipReason>>(new Map());
  const [result, setResult] = useState<Publication | null>(null);
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
    setResult(null);
    const [res, previews] = await Promise.all([
      api<Page<Account>>(`/accounts?unitId=${ms!.unitId}&pageSize=200`),
      // The hub's one rule for which accounts can take this version (the preview page shows it too).
      api<{ items: RenditionItem[] }>(`/manuscripts/${id}/renditions`).catch(() => ({ items: [] as RenditionItem[] })),
    ]);
    const why = new Map(previews.items.filter((r) => r.skip).map((r) => [r.accountId, r.skip!]));
    const usable = res.items.filter((a) => ['active', 'opened', 'suspended'].includes(a.status));
    setAccounts(usable);
    setBlocked(why);
    setChosen(usable.filter((a) => a.connection === 'connected' && !why.has(a.id)).map((a) => a.id));
  };

  const publish = async () => {
    setBusy(true);
    try {
      const pub = await api<Publication>(`/manuscripts/${id}/publications`, {
        body: { accountIds: chosen },
        headers: { 'Idempotency-Key': `console-${id}-${ms!.currentVersionId}-${setKey(chosen)}` },
      });
      if (pub.skipped?.length) {
        // Some accounts were left out: say which and how to fix them before moving on.
        setResult(pub);
        return;
      }
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
  const adapted = adaptationLines((ms.version as AdaptedVersion | undefined)?.adaptations, (p) => platformName(p, lang));
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
      {ms.version && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('稿件内容（当前版本）', 'Content (this version)')}</h2>}>
          <ArticleView version={ms.version} testId="manuscript-article" />
          {adapted.length > 0 && (
            <ul
              data-testid="adaptations"
              aria-label={t('各平台适配', 'Per-platform adaptations')}
              style={{ marginTop: 12, paddingLeft: 18 }}
            >
              {adapted.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </Card>
      )}
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
        title={
          result ? t('已提交发布，部分账号未发布', 'Publishing started; some accounts left out') : t('选择发布账号', 'Choose the accounts')
        }
        okText={result ? t('查看发布进度', 'Watch the publication') : t('确认发布', 'Publish')}
        cancelText={result ? t('关闭', 'Close') : t('取消', 'Cancel')}
        okButtonProps={{ disabled: !result && chosen.length === 0, loading: busy }}
        onOk={() => (result ? nav(`/publications/${result.id}`) : void publish())}
        onCancel={() => {
          setPublishOpen(false);
          if (result) void load();
        }}
      >
        {result ? (
          <SkippedList published={result.targets?.length ?? 0} skipped={result.skipped ?? []} />
        ) : accounts === null ? (
          <Loading />
        ) : accounts.length === 0 ? (
          <Empty description={t('本单位没有可用账号', 'The unit has no usable account')} />
        ) : (
          <>
            {blocked.size > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={`${blocked.size} 个账号暂不能发布此稿件，已取消勾选；原因和解决办法见各账号下方。仍勾选时，其余账号照常发布。`}
              />
            )}
            <Checkbox.Group
              value={chosen}
              onChange={(v) => setChosen(v as string[])}
              style={{ display: 'grid', gap: 8 }}
              data-testid="publish-accounts"
            >
              {accounts.map((a) => {
                const why = blocked.get(a.id);
                return (
                  <div key={a.id} data-account={a.id} data-blocked={why ? why.code : undefined}>
                    <Checkbox value={a.id} disabled={a.connection !== 'connected'}>
                      <PlatformIcon platform={a.platform} lang={lang} /> · {a.name}
                      {a.connection !== 'connected' && ` (${label(CONNECTION, a.connection, lang)})`}
                    </Checkbox>
                    {why && (
                      <Typography.Paragraph type="warning" style={{ margin: '2px 0 0 24px', fontSize: 13 }}>
                        {why.reason}。{t('解决办法', 'Fix')}：{why.fix}
                      </Typography.Paragraph>
                    )}
                  </div>
                );
              })}
            </Checkbox.Group>
          </>
        )}
      </Modal>
    </Space>
  );
}

/** After publishing: how many accounts publish, and each account left out with why and the fix (Chinese, from the hub). */
function SkippedList({ published, skipped }: { published: number; skipped: SkippedAccount[] }) {
  return (
    <div data-testid="publish-skipped">
      <Typography.Paragraph>
        已提交 {published} 个账号发布；以下 {skipped.length} 个账号未发布：
      </Typography.Paragraph>
      <List
        size="small"
        dataSource={skipped}
        renderItem={(k) => (
          <List.Item data-account={k.accountId}>
            <div>
              <Typography.Text strong>
                {k.accountName}（{k.platformName}）
              </Typography.Text>
              <div>{k.reason}</div>
              <Typography.Text type="secondary">解决办法：{k.fix}</Typography.Text>
            </div>
          </List.Item>
        )}
      />
    </div>
  );
}
