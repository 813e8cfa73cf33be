import { useCallback, useRef, useState, type HTMLAttributes } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Input, Modal, Popconfirm, Row, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import { api, qs } from '../api/client';
import type { Assignment, Campaign, Dashboard, DashboardUnit, Page } from '../api/types';
import { usePolling } from '../lib/usePolling';
import { downloadFile } from '../lib/download';
import { useLang, useT } from '../lib/i18n';
import { ASSIGNMENT_STATE, LEVEL, label } from '../lib/labels';
import { countdown, when } from '../lib/campaigns';
import { errorText } from '../lib/forms';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon, platformName } from '../components/PlatformIcon';
import { StatusTag } from '../components/StatusTag';
import { CompletionBar } from '../components/CompletionBar';
import { CompletionChart } from '../components/CompletionChart';

const REFRESH_MS = 10_000;
const STATES = ['pending', 'accepted', 'done', 'done_late', 'overdue', 'exempted', 'not_applicable'] as const;

type UnitRow = DashboardUnit & { children?: UnitRow[] };

/** The issuer's live view of one campaign: who is late first, then the tree, the platforms, the curve. */
export default function CampaignDashboard() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const { message } = App.useApp();
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [dash, setDash] = useState<Dashboard | null>(null);
  // Children of each expanded unit, refreshed with the rest so rolled-up figures stay current.
  const [children, setChildren] = useState<Record<string, DashboardUnit[]>>({});
  const expanded = useRef<Set<string>>(new Set());
  const [exemptions, setExemptions] = useState<Assignment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number>(0);
  const [retracting, setRetracting] = useState(false);
  const [retractReason, setRetractReason] = useState('');

  const refresh = useCallback(async () => {
    try {
      const [c, d, ex] = await Promise.all([
        api<Campaign>(`/campaigns/${id}`),
        api<Dashboard>(`/campaigns/${id}/dashboard`),
        exemptionRequests(id!),
      ]);
      const kids = await Promise.all(
        [...expanded.current].map(
          async (u) => [u, (await api<Dashboard>(`/campaigns/${id}/dashboard${qs({ parentUnitId: u })}`)).units] as const,
        ),
      );
      setCampaign(c);
      setDash(d);
      setExemptions(ex);
      setChildren(Object.fromEntries(kids));
      setUpdatedAt(Date.now());
      setError(null);
    } catch (e) {
      setError(t(`数据刷新失败：${errorText(e)}（10 秒后自动重试）`, `Refresh failed: ${errorText(e)} (retrying in 10 s)`));
    }
  }, [id]); // `t` changes with the language only; the next tick picks it up.

  usePolling(refresh, REFRESH_MS);

  const expand = async (open: boolean, row: UnitRow) => {
    if (!open) {
      expanded.current.delete(row.unitId);
      return;
    }
    expanded.current.add(row.unitId);
    try {
      const d = await api<Dashboard>(`/campaigns/${id}/dashboard${qs({ parentUnitId: row.unitId })}`);
      setChildren((c) => ({ ...c, [row.unitId]: d.units }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const withChildren = (units: DashboardUnit[]): UnitRow[] =>
    units.map((u) => (u.hasChildren ? { ...u, children: children[u.unitId] ? withChildren(children[u.unitId]) : [] } : u));

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      message.success(done);
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  if (error && !campaign) return <Alert type="error" role="alert" title={error} />;
  if (!campaign || !dash) return <Loading />;
  const due = countdown(campaign.deadline, updatedAt || Date.now(), lang);
  const retractable = (campaign.relays ?? []).filter((r) => r.retractable);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader
        title={campaign.title}
        extra={
          <Space wrap>
            <Button
              icon={<DownloadOutlined />}
              data-testid="download-report"
              onClick={() =>
                void downloadFile(`/campaigns/${id}/report`, `联动任务报表-${campaign.title}.xlsx`).catch((e) =>
                  message.error(t(`报表下载失败：${errorText(e)}`, `Report download failed: ${errorText(e)}`)),
                )
              }
            >
              {t('下载报表', 'Download report')}
            </Button>
            {campaign.status === 'open' && (
              <Popconfirm
                title={t(
                  '结束后不再提醒和检测，未完成的单位记为逾期。确定结束？',
                  'Closing stops reminders and detection; units not done turn overdue. Close?',
                )}
                okText={t('结束任务', 'Close')}
                cancelText={t('取消', 'Cancel')}
                onConfirm={() => act(() => api(`/campaigns/${id}/close`, { method: 'POST' }), t('任务已结束', 'Campaign closed'))}
              >
                <Button danger icon={<StopOutlined />}>
                  {t('结束任务', 'Close campaign')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      {error && <Alert type="warning" role="alert" title={error} />}
      {campaign.sourceRetracted && (
        <Alert
          type="error"
          showIcon
          data-testid="source-retracted"
          title={t('原稿已撤回', 'The source was retracted')}
          description={
            retractable.length > 0
              ? t(
                  `还有 ${retractable.length} 条经统发发布的转发在线，建议一并撤回；平台内自行转发的请通知相应单位删除。`,
                  `${retractable.length} relays published through Tongfa are still online; retract them too, and ask units that reposted natively to remove theirs.`,
                )
              : t(
                  '经统发发布的转发均已撤回；平台内自行转发的请通知相应单位删除。',
                  'No relay published through Tongfa is online; ask units that reposted natively to remove theirs.',
                )
          }
          action={
            retractable.length > 0 && (
              <Button danger icon={<RollbackOutlined />} onClick={() => setRetracting(true)}>
                {t('撤回转发', 'Retract relays')}
              </Button>
            )
          }
        />
      )}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('状态', 'Status')}>
            <StatusTag kind="campaign" status={campaign.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('截止时间', 'Deadline')}>
            {when(campaign.deadline)}
            {campaign.status === 'open' && (
              <Typography.Text type={due.late ? 'danger' : due.urgent ? 'warning' : 'secondary'} style={{ marginLeft: 8 }}>
                {due.text}
              </Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('发起单位', 'Issuer')}>{campaign.issuerUnitName}</Descriptions.Item>
          <Descriptions.Item label={t('转发内容', 'Source')}>
            {campaign.source.publicationId ? (
              <Link to={`/publications/${campaign.source.publicationId}`}>{campaign.source.title}</Link>
            ) : campaign.source.manuscriptId ? (
              <Link to={`/manuscripts/${campaign.source.manuscriptId}`}>{campaign.source.title}</Link>
            ) : (
              campaign.source.title
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('平台', 'Platforms')}>
            <Space wrap>
              {campaign.platforms.map((p) => (
                <PlatformIcon key={p} platform={p} lang={lang} />
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('数据更新于', 'Updated')}>
            <span aria-live="polite">{new Date(updatedAt).toLocaleTimeString('zh-CN', { hour12: false })}</span>
          </Descriptions.Item>
        </Descriptions>
        {campaign.instructions && (
          <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>{campaign.instructions}</Typography.Paragraph>
        )}
      </Card>

      <Card data-testid="state-counts">
        <Row gutter={[16, 16]}>
          <Col xs={12} sm={8} md={6} lg={3}>
            <Statistic title={t('总数', 'Total')} value={dash.counts.total} />
          </Col>
          {STATES.map((s) => (
            <Col xs={12} sm={8} md={6} lg={3} key={s} data-state={s}>
              <Statistic
                title={label(ASSIGNMENT_STATE, s, lang)}
                value={dash.counts[s]}
                styles={{ content: s === 'overdue' && dash.counts[s] > 0 ? { color: '#c41d1d' } : undefined }}
              />
            </Col>
          ))}
        </Row>
      </Card>

      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('逾期未完成', 'Overdue')}</h2>} data-testid="overdue">
        <Table
          rowKey="assignmentId"
          size="small"
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={dash.overdue}
          scroll={{ x: 560 }}
          locale={{ emptyText: t('目前没有逾期单位', 'No unit is overdue') }}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName' },
            { title: t('平台', 'Platform'), dataIndex: 'platform', render: (p) => <PlatformIcon platform={p} lang={lang} /> },
            { title: t('账号', 'Account'), dataIndex: 'accountName', render: (v) => v ?? '—' },
            { title: t('逾期时长', 'Late by'), dataIndex: 'minutesLate', render: (m: number) => minutes(m, lang) },
            { title: t('已提醒次数', 'Reminders'), dataIndex: 'reminders' },
          ]}
        />
      </Card>

      {exemptions.length > 0 && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('豁免申请', 'Exemption requests')}</h2>} data-testid="exemptions">
          {exemptions.map((a) => (
            <ExemptionDecision
              key={a.id}
              assignment={a}
              onDecide={(decision, comment) =>
                act(
                  () => api(`/assignments/${a.id}/exemption/decision`, { body: { decision, comment: comment || undefined } }),
                  decision === 'approve' ? t('已批准豁免', 'Exemption approved') : t('已驳回豁免', 'Exemption rejected'),
                )
              }
            />
          ))}
        </Card>
      )}

      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('各单位完成情况（含下级）', 'Completion by unit (incl. units below)')}</h2>}>
        <Table<UnitRow>
          rowKey="unitId"
          size="small"
          data-testid="unit-tree"
          pagination={false}
          dataSource={withChildren(dash.units)}
          scroll={{ x: 640 }}
          expandable={{ onExpand: (open, row) => void expand(open, row) }}
          locale={{ emptyText: t('没有分派到单位的任务', 'No unit was assigned') }}
          onRow={(r) => ({ 'data-unit': r.unitId }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName' },
            { title: t('级别', 'Level'), dataIndex: 'level', render: (l) => label(LEVEL, l, lang) },
            {
              title: t('完成率', 'Completion'),
              key: 'bar',
              width: 200,
              render: (_, r) => <CompletionBar counts={r.counts} label={r.unitName} />,
            },
            { title: t('逾期', 'Overdue'), key: 'overdue', render: (_, r) => r.counts.overdue },
            { title: t('豁免', 'Exempted'), key: 'exempted', render: (_, r) => r.counts.exempted },
            { title: t('无账号', 'No account'), key: 'na', render: (_, r) => r.counts.not_applicable },
          ]}
        />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('各平台完成情况', 'By platform')}</h2>} data-testid="by-platform">
            <Space orientation="vertical" style={{ width: '100%' }}>
              {dash.platforms.map((p) => (
                <div key={p.platform} data-platform={p.platform}>
                  <PlatformIcon platform={p.platform} lang={lang} />
                  <CompletionBar counts={p.counts} label={platformName(p.platform, lang)} />
                </div>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('完成进度（累计）', 'Completion over time')}</h2>}>
            <CompletionChart points={dash.timeline} total={dash.counts.total - dash.counts.not_applicable - dash.counts.exempted} />
          </Card>
        </Col>
      </Row>

      {(campaign.relays?.length ?? 0) > 0 && (
        <Card
          title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('转发记录', 'Relays')}</h2>}
          data-testid="relays"
          extra={
            retractable.length > 0 && (
              <Button danger icon={<RollbackOutlined />} onClick={() => setRetracting(true)}>
                {t('撤回转发', 'Retract relays')}
              </Button>
            )
          }
        >
          <Typography.Paragraph type="secondary">
            {t(
              '经统发发布的转发可由此一并撤回；各单位在平台内自行转发的，请通知该单位自行删除。',
              'Relays published through Tongfa can be retracted here; ask units that reposted in the platform app to remove theirs.',
            )}
          </Typography.Paragraph>
          <Table
            rowKey="assignmentId"
            size="small"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={campaign.relays}
            scroll={{ x: 480 }}
            columns={[
              { title: t('单位', 'Unit'), dataIndex: 'unitName' },
              { title: t('平台', 'Platform'), dataIndex: 'platform', render: (p) => <PlatformIcon platform={p} lang={lang} /> },
              {
                title: t('发布记录', 'Publication'),
                dataIndex: 'publicationId',
                render: (p: string | null, r) =>
                  p ? (
                    <Link to={`/publications/${p}`}>{t('查看', 'Open')}</Link>
                  ) : r.url ? (
                    <a href={r.url} target="_blank" rel="noreferrer">
                      {t('平台内转发（请联系该单位删除）', 'Native repost: ask the unit')}
                    </a>
                  ) : (
                    '—'
                  ),
              },
              {
                title: t('状态', 'State'),
                dataIndex: 'state',
                render: (s: string) => (s === 'native' ? t('平台内转发', 'Native repost') : <StatusTag kind="target" status={s} />),
              },
            ]}
          />
        </Card>
      )}
      <Modal
        open={retracting}
        title={t('撤回经统发发布的转发', 'Retract the relays published through Tongfa')}
        okText={t('确认撤回', 'Retract')}
        okButtonProps={{ danger: true, disabled: retractReason.trim().length < 2 }}
        cancelText={t('取消', 'Cancel')}
        onCancel={() => setRetracting(false)}
        onOk={() =>
          act(
            () => api(`/campaigns/${id}/relays/retract`, { body: { reason: retractReason.trim() } }),
            t('已提交撤回', 'Retraction started'),
          ).then(() => setRetracting(false))
        }
      >
        <Typography.Paragraph>
          {t(
            `将撤回 ${retractable.length} 条转发。撤回原因会记入审计。`,
            `${retractable.length} relays will be retracted. The reason is audited.`,
          )}
        </Typography.Paragraph>
        <Input.TextArea
          aria-label={t('撤回原因', 'Reason')}
          placeholder={t('撤回原因', 'Reason')}
          value={retractReason}
          onChange={(e) => setRetractReason(e.target.value)}
        />
      </Modal>
    </Space>
  );
}

function minutes(m: number, lang: 'zh' | 'en'): string {
  const h = Math.floor(m / 60);
  if (lang === 'zh') return h ? `${h} 小时 ${m % 60} 分钟` : `${m} 分钟`;
  return h ? `${h} h ${m % 60} min` : `${m} min`;
}

/**
 * Exemption requests wait among the open assignments; the list is asked for them by state, the
 * requested ones kept (a unit asks for few, so a page of each open state holds them).
 */
async function exemptionRequests(campaignId: string): Promise<Assignment[]> {
  const pages = await Promise.all(
    (['pending', 'accepted', 'overdue'] as const).map((state) =>
      api<Page<Assignment>>(`/campaigns/${campaignId}/assignments${qs({ state, pageSize: 200 })}`),
    ),
  );
  return pages.flatMap((p) => p.items).filter((a) => a.exemption?.status === 'requested');
}

function ExemptionDecision({
  assignment: a,
  onDecide,
}: {
  assignment: Assignment;
  onDecide: (d: 'approve' | 'reject', comment: string) => Promise<void>;
}) {
  const t = useT();
  const lang = useLang();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const decide = async (d: 'approve' | 'reject') => {
    setBusy(true);
    await onDecide(d, comment.trim());
    setBusy(false);
  };
  return (
    <div data-assignment={a.id} style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0' }}>
      <Typography.Text strong>{a.unitName}</Typography.Text> · <PlatformIcon platform={a.platform} lang={lang} />
      <Typography.Paragraph style={{ margin: '4px 0' }}>
        {t('理由：', 'Reason: ')}
        {a.exemption?.reason}
      </Typography.Paragraph>
      <Space wrap>
        <Input
          aria-label={t(`对${a.unitName}豁免申请的意见`, `Comment on ${a.unitName}'s request`)}
          placeholder={t('审批意见（可选）', 'Comment (optional)')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          style={{ width: 260, maxWidth: '100%' }}
        />
        <Button type="primary" loading={busy} onClick={() => void decide('approve')}>
          {t('批准豁免', 'Approve')}
        </Button>
        <Button danger loading={busy} onClick={() => void decide('reject')}>
          {t('驳回', 'Reject')}
        </Button>
      </Space>
    </div>
  );
}
