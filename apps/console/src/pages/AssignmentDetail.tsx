import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Form, Input, List, Space, Typography, type FormInstance } from 'antd';
import { CheckOutlined, LinkOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Assignment, Manuscript, Page } from '../api/types';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { COMPLETION, EXEMPTION_STATUS, label } from '../lib/labels';
import { countdown, when } from '../lib/campaigns';
import { applyFieldErrors, errorText } from '../lib/forms';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon, platformName } from '../components/PlatformIcon';
import { StatusTag } from '../components/StatusTag';

const OPEN = new Set(['pending', 'accepted', 'overdue']);

/** One assignment (任务分派) seen by the unit that must carry it. */
export default function AssignmentDetail() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { has } = useSession();
  const { message } = App.useApp();
  const [a, setA] = useState<Assignment | undefined>(undefined);
  // The unit's other platforms in the same campaign: each is accepted on its own, into one reprint.
  const [siblings, setSiblings] = useState<Assignment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [evidence] = Form.useForm<{ url: string }>();
  const [exemption] = Form.useForm<{ reason: string }>();

  const load = useCallback(async () => {
    try {
      const one = await api<Assignment>(`/assignments/${id}`);
      setA(one);
      const mine = await api<Page<Assignment>>(`/assignments?pageSize=200`);
      setSiblings(mine.items.filter((x) => x.campaignId === one.campaignId && x.unitId === one.unitId && x.id !== one.id));
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  const accept = async () => {
    setBusy('accept');
    try {
      const { manuscriptId } = await api<{ manuscriptId: string }>(`/assignments/${id}/accept`, { method: 'POST' });
      const ms = await api<Manuscript>(`/manuscripts/${manuscriptId}`);
      message.success(t('已接收，请完成转载稿件并送审', 'Accepted: finish the reprint and submit it'));
      // A draft goes to the editor to be submitted; under a trust rule it is already on its way.
      nav(ms.status === 'draft' || ms.status === 'rejected' ? `/manuscripts/${manuscriptId}/edit` : `/manuscripts/${manuscriptId}`);
    } catch (e) {
      setError(t(`接收失败：${errorText(e)}`, `Could not accept: ${errorText(e)}`));
    } finally {
      setBusy(null);
    }
  };

  const submitForm = async (kind: 'evidence' | 'exemption', body: object) => {
    const form: FormInstance = kind === 'evidence' ? evidence : exemption;
    setBusy(kind);
    try {
      setA(await api<Assignment>(`/assignments/${id}/${kind}`, { body }));
      form.resetFields();
      message.success(kind === 'evidence' ? t('链接已核验，任务完成', 'Link verified: done') : t('豁免申请已提交', 'Exemption requested'));
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest) form.setFields([{ name: kind === 'evidence' ? 'url' : 'reason', errors: [rest] }]);
    } finally {
      setBusy(null);
    }
  };

  if (error && a === undefined)
    return (
      <Alert
        type="warning"
        role="alert"
        title={t('无法打开这项联动任务', 'This assignment cannot be opened')}
        description={t(`${error}。它可能不属于本单位，或已被撤销。`, `${error}. It may belong to another unit or have been withdrawn.`)}
      />
    );
  if (a === undefined) return <Loading />;

  const due = countdown(a.campaign.deadline, Date.now(), lang);
  const open = OPEN.has(a.state) && a.campaign.status !== 'closed';
  const canAct = has('editor') || has('unit_admin');
  const exemptionOpen = a.exemption?.status === 'requested';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={`${a.campaign.title}（${platformName(a.platform, lang)}）`} />
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('状态', 'State')}>
            <span data-testid="assignment-state">
              <StatusTag kind="assignment" status={a.state} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('截止时间', 'Deadline')}>
            {when(a.campaign.deadline)}
            {open && (
              <Typography.Text type={due.late ? 'danger' : due.urgent ? 'warning' : 'secondary'} style={{ marginLeft: 8 }}>
                {due.text}
              </Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('发起单位', 'Issuer')}>{a.campaign.issuerUnitName}</Descriptions.Item>
          <Descriptions.Item label={t('平台账号', 'Account')}>
            <PlatformIcon platform={a.platform} lang={lang} /> ·{' '}
            {a.accountName ?? t('本单位在该平台没有账号', 'No account on this platform')}
          </Descriptions.Item>
          <Descriptions.Item label={t('可否调整措辞', 'Wording')}>
            {a.campaign.allowAdaptation
              ? t('可调整导语和措辞，不得改动事实', 'Lead and wording may change, not the facts')
              : t('须与原稿一致', 'Must stay as issued')}
          </Descriptions.Item>
          {a.completedAt && <Descriptions.Item label={t('完成时间', 'Completed')}>{when(a.completedAt)}</Descriptions.Item>}
          {a.completion && <Descriptions.Item label={t('完成方式', 'How')}>{label(COMPLETION, a.completion, lang)}</Descriptions.Item>}
          {a.url && (
            <Descriptions.Item label={t('转发链接', 'Post link')}>
              <a href={a.url} target="_blank" rel="noreferrer" data-testid="completion-url" style={{ wordBreak: 'break-all' }}>
                {a.url}
              </a>
            </Descriptions.Item>
          )}
          {a.manuscriptId && (
            <Descriptions.Item label={t('转载稿件', 'Reprint')}>
              <Link to={`/manuscripts/${a.manuscriptId}`}>{t('打开转载稿件', 'Open the reprint')}</Link>
            </Descriptions.Item>
          )}
          {a.publicationId && (
            <Descriptions.Item label={t('发布进度', 'Publication')}>
              <Link to={`/publications/${a.publicationId}`}>{t('查看发布进度', 'Watch the publication')}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        {a.campaign.instructions && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            title={t('转发要求', 'Instructions')}
            description={a.campaign.instructions}
          />
        )}
      </Card>

      {a.exemption && (
        <Alert
          type={a.exemption.status === 'approved' ? 'success' : a.exemption.status === 'rejected' ? 'error' : 'info'}
          data-testid="exemption-status"
          title={label(EXEMPTION_STATUS, a.exemption.status, lang)}
          description={
            <>
              <div>
                {t('申请理由：', 'Reason: ')}
                {a.exemption.reason}
              </div>
              {a.exemption.comment && (
                <div>
                  {t('审批意见：', 'Comment: ')}
                  {a.exemption.comment}
                </div>
              )}
            </>
          }
        />
      )}

      {open && canAct && a.accountId && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('经统发转载', 'Relay through Tongfa')}</h2>}>
          <Typography.Paragraph>
            {a.manuscriptId
              ? t('转载稿件已建立，送审通过后自动发布到本账号。', 'The reprint exists; once approved it publishes to this account.')
              : t(
                  '接收后生成转载稿件（来源已填好），经本单位审核后发布到本账号。',
                  'Accepting creates a reprint (source filled in) that publishes to this account after our review.',
                )}
          </Typography.Paragraph>
          {a.manuscriptId ? (
            <Button type="primary" onClick={() => nav(`/manuscripts/${a.manuscriptId}`)}>
              {t('继续处理转载稿件', 'Continue with the reprint')}
            </Button>
          ) : (
            <Button type="primary" icon={<CheckOutlined />} loading={busy === 'accept'} onClick={() => void accept()}>
              {t('接收', 'Accept')}
            </Button>
          )}
        </Card>
      )}

      {open && canAct && a.accountId && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('已在平台内转发？提交链接', 'Reposted in the app? Submit the link')}</h2>}>
          <Form form={evidence} layout="vertical" onFinish={(v) => void submitForm('evidence', { url: v.url.trim() })}>
            <Form.Item
              name="url"
              label={t('转发文章链接', 'Link to the post')}
              extra={t(
                '统发会向平台核实该链接属于本账号且内容与原稿一致',
                'Tongfa checks with the platform that the post is ours and matches the source',
              )}
              rules={[
                { required: true, message: t('请填写链接', 'Enter the link') },
                { type: 'url', message: t('请填写完整链接（以 https:// 开头）', 'Enter a full link (https://…)') },
              ]}
            >
              <Input prefix={<LinkOutlined aria-hidden />} inputMode="url" />
            </Form.Item>
            <Button htmlType="submit" loading={busy === 'evidence'}>
              {t('提交链接', 'Submit link')}
            </Button>
          </Form>
        </Card>
      )}

      {open && canAct && !exemptionOpen && a.exemption?.status !== 'approved' && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('申请豁免', 'Ask for exemption')}</h2>}>
          <Form form={exemption} layout="vertical" onFinish={(v) => void submitForm('exemption', { reason: v.reason.trim() })}>
            <Form.Item
              name="reason"
              label={t('豁免理由', 'Reason')}
              extra={t('由发起单位审批，例如：账号正在迁移、内容与本地无关', 'The issuer decides, e.g. the account is being migrated')}
              rules={[{ required: true, min: 2, message: t('请写明理由（至少 2 个字）', 'Give a reason (at least 2 characters)') }]}
            >
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <Button htmlType="submit" loading={busy === 'exemption'}>
              {t('提交豁免申请', 'Request exemption')}
            </Button>
          </Form>
        </Card>
      )}
      {siblings.length > 0 && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('本任务的其他平台', 'Other platforms in this campaign')}</h2>}>
          <List
            size="small"
            dataSource={siblings}
            renderItem={(x) => (
              <List.Item data-sibling={x.id}>
                <Space wrap>
                  <Link to={`/assignments/${x.id}`}>
                    <PlatformIcon platform={x.platform} lang={lang} />
                  </Link>
                  <StatusTag kind="assignment" status={x.state} />
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
    </Space>
  );
}
