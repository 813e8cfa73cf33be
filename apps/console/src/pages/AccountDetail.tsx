import { useCallback, useEffect, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, LinkOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Account, Filing, PluginManifest } from '../api/types';
import { Loading } from '../components/Loading';
import { ScrollRegion } from '../components/ScrollRegion';
import { PlatformIcon } from '../components/PlatformIcon';
import { CredentialFields, SettingsFields, settingsPayload } from '../components/PluginFields';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { ACCOUNT_STATUS, CONNECTION, label } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';
import { beijingTime as when, oneLanguage } from '../lib/admin';

const FILING_KIND: Record<string, [string, string]> = {
  open: ['开设', 'Opening'],
  change: ['变更', 'Change'],
  suspend: ['关停', 'Suspension'],
  cancel: ['注销', 'Cancellation'],
};
const FILING_STATUS: Record<string, [string, string]> = {
  pending: ['待备案', 'Due'],
  filed: ['已备案', 'Filed'],
  late: ['迟报', 'Filed late'],
  overdue: ['逾期未备', 'Overdue'],
};
const DECISION: Record<string, [string, string]> = {
  pending: ['待审批', 'Pending'],
  approved: ['已批准', 'Approved'],
  rejected: ['未批准', 'Rejected'],
};
/** Where an account may go from each state (the hub's TRANSITIONS). */
const NEXT: Record<string, ('active' | 'suspended' | 'cancelled')[]> = {
  opened: ['active', 'suspended', 'cancelled'],
  active: ['suspended', 'cancelled'],
  suspended: ['active', 'cancelled'],
};
const LIVE = ['opened', 'active', 'suspended'];

/** `datetime-local` value (the browser's zone) to an ISO instant; empty: now. */
const instant = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined);

type Change = { kind: 'edit' } | { kind: 'status'; to: 'active' | 'suspended' | 'cancelled' };

export default function AccountDetail() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const { me, has } = useSession();
  const { message } = App.useApp();
  const [acc, setAcc] = useState<Account | null>(null);
  const [plugin, setPlugin] = useState<PluginManifest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [credOpen, setCredOpen] = useState(false);
  const [fileOpen, setFileOpen] = useState<Filing | null>(null);
  const [change, setChange] = useState<Change | null>(null);
  const [busy, setBusy] = useState(false);
  const [credForm] = Form.useForm();
  const [fileForm] = Form.useForm();
  const [changeForm] = Form.useForm();
  const [settingsForm] = Form.useForm();
  const [decideForm] = Form.useForm();

  const load = useCallback(async () => {
    try {
      const a = await api<Account>(`/accounts/${id}`);
      setAcc(a);
      const ps = await api<{ items: PluginManifest[] }>('/plugins');
      setPlugin(ps.items.find((p) => p.id === a.platform) ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  const settingFields = useMemo(() => plugin?.settings ?? [], [plugin]);
  useEffect(() => {
    if (!acc || !plugin) return;
    const values: Record<string, unknown> = {};
    for (const f of settingFields) values[f.name] = acc.settings?.[f.name] ?? f.default;
    settingsForm.setFieldsValue({ settings: values });
  }, [acc, plugin, settingFields, settingsForm]);

  /** Field problems from the hub go to their fields, in the page's language; the rest to the alert. */
  const fail = (form: ReturnType<typeof Form.useForm>[0], e: unknown) => {
    const rest = applyFieldErrors(form, e);
    for (const f of form.getFieldsError()) {
      if (f.errors.length) form.setFields([{ name: f.name, errors: f.errors.map((m) => oneLanguage(m, lang)) }]);
    }
    if (rest) setError(rest);
  };

  const connectOAuth = async () => {
    try {
      const r = await api<{ authorizeUrl: string }>(`/accounts/${id}/connect`);
      window.location.assign(r.authorizeUrl);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const saveCredentials = async () => {
    const v = await credForm.validateFields();
    setBusy(true);
    try {
      await api(`/accounts/${id}/credentials`, { body: { credentials: v } });
      message.success(t('已核验并连接', 'Verified and connected'));
      credForm.resetFields(); // secrets leave the page once sent
      setCredOpen(false);
      await load();
    } catch (e) {
      fail(credForm, e);
    } finally {
      setBusy(false);
    }
  };

  const saveSettings = async () => {
    const v = await settingsForm.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api(`/accounts/${id}`, { method: 'PATCH', body: { settings: settingsPayload(settingFields, v.settings) } });
      message.success(t('账号设置已保存', 'Settings saved'));
      await load();
    } catch (e) {
      fail(settingsForm, e);
    } finally {
      setBusy(false);
    }
  };

  const saveChange = async () => {
    const v = await changeForm.validateFields();
    setBusy(true);
    try {
      const body: Record<string, unknown> = { effectiveAt: instant(v.effectiveAt), reason: v.reason?.trim() || undefined };
      if (change?.kind === 'status') body.status = change.to;
      else {
        body.name = v.name.trim();
        if (v.verifiedSubject?.trim()) body.verifiedSubject = v.verifiedSubject.trim();
        if (v.platformAccountId?.trim()) body.platformAccountId = v.platformAccountId.trim();
      }
      const r = await api<Account & { filings: Filing[] }>(`/accounts/${id}`, { method: 'PATCH', body });
      message.success(
        r.filings.length
          ? t(
              `已保存，请于 ${when(r.filings[0]!.dueAt)} 前向主管单位备案`,
              `Saved; file it with the supervisor by ${when(r.filings[0]!.dueAt)}`,
            )
          : t('已保存', 'Saved'),
      );
      setChange(null);
      await load();
    } catch (e) {
      fail(changeForm, e);
    } finally {
      setBusy(false);
    }
  };

  const file = async () => {
    const v = await fileForm.validateFields();
    setBusy(true);
    try {
      const f = await api<Filing>(`/accounts/${id}/filings`, {
        body: { filingId: fileOpen!.id, reference: v.reference?.trim() || undefined },
      });
      message.success(f.late ? t('已登记（迟报）', 'Recorded (late)') : t('已登记备案', 'Recorded'));
      setFileOpen(null);
      await load();
    } catch (e) {
      fail(fileForm, e);
    } finally {
      setBusy(false);
    }
  };

  const decide = async (decision: 'approve' | 'reject') => {
    const v = await decideForm.validateFields();
    if (decision === 'reject' && !v.comment?.trim()) {
      decideForm.setFields([{ name: 'comment', errors: [t('不批准时请填写意见', 'Give a comment when rejecting')] }]);
      return;
    }
    setBusy(true);
    try {
      await api(`/accounts/${id}/approval`, { body: { decision, comment: v.comment?.trim() || undefined } });
      message.success(decision === 'approve' ? t('已批准开设', 'Approved') : t('已退回申请', 'Rejected'));
      await load();
    } catch (e) {
      fail(decideForm, e);
    } finally {
      setBusy(false);
    }
  };

  if (error && !acc) return <Alert type="error" title={error} />;
  if (!acc) return <Loading />;
  const oauth = plugin?.auth.kind?.startsWith('oauth');
  const manages = has('unit_admin') || has('platform_operator');
  const live = LIVE.includes(acc.status);
  const settable = manages && !['cancelled', 'rejected'].includes(acc.status);
  const accountFields = plugin?.credentials.filter((c) => c.scope !== 'app') ?? [];
  const pending = acc.approvals?.find((a) => a.decision === 'pending');
  const mayDecide = acc.status === 'applying' && !!pending && has('supervisor') && pending.requestedBy !== me?.id;
  const naming = (acc.namingIssues ?? []).map((n) => oneLanguage(typeof n === 'string' ? n : (n.message ?? n.code ?? ''), lang));
  const statusWord: Record<string, [string, string]> = {
    active: ['恢复运行', 'Resume'],
    suspended: ['关停', 'Suspend'],
    cancelled: ['注销', 'Cancel'],
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          <PlatformIcon platform={acc.platform} lang={lang} /> · {acc.name}
        </Typography.Title>
        <Space wrap>
          {manages && live && (
            <Button
              icon={<EditOutlined />}
              onClick={() => {
                changeForm.resetFields();
                changeForm.setFieldsValue({
                  name: acc.name,
                  verifiedSubject: acc.verifiedSubject ?? '',
                  platformAccountId: acc.platformAccountId ?? '',
                });
                setChange({ kind: 'edit' });
              }}
            >
              {t('变更信息', 'Change details')}
            </Button>
          )}
          {manages &&
            (NEXT[acc.status] ?? []).map((to) => (
              <Button
                key={to}
                danger={to !== 'active'}
                onClick={() => {
                  changeForm.resetFields();
                  setChange({ kind: 'status', to });
                }}
              >
                {label(statusWord, to, lang)}
              </Button>
            ))}
          {manages && live && acc.status !== 'suspended' && (
            <Button
              type="primary"
              icon={<LinkOutlined />}
              onClick={() => {
                if (oauth) return void connectOAuth();
                credForm.resetFields();
                setCredOpen(true);
              }}
            >
              {acc.connection === 'connected' ? t('重新连接', 'Reconnect') : t('连接平台', 'Connect')}
            </Button>
          )}
        </Space>
      </Space>
      {search.get('connected') && <Alert type="success" title={t('授权成功，账号已连接', 'Authorized: the account is connected')} />}
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
      {acc.status === 'applying' && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('开设审批', 'Opening approval')}</h2>} data-testid="approval">
          <Typography.Paragraph>
            {t(
              '该账号正在申请开设，须由上级主管单位审批后方可连接和发布。',
              'This account is applying to open: a supervisor above the unit approves it before it can connect or publish.',
            )}
            {pending?.exception && (
              <>
                <br />
                {t(
                  `同一平台另开账号，理由：${pending.reason ?? '—'}`,
                  `A second account on the platform; reason: ${pending.reason ?? '—'}`,
                )}
              </>
            )}
          </Typography.Paragraph>
          {mayDecide ? (
            <Form form={decideForm} layout="vertical">
              <Form.Item
                name="comment"
                label={t('审批意见', 'Comment')}
                rules={[{ max: 500, message: t('意见不能超过 500 个字', 'At most 500 characters') }]}
              >
                <Input.TextArea autoSize={{ minRows: 2 }} />
              </Form.Item>
              <Space>
                <Button type="primary" loading={busy} onClick={() => void decide('approve')}>
                  {t('批准开设', 'Approve')}
                </Button>
                <Button danger loading={busy} onClick={() => void decide('reject')}>
                  {t('不予批准', 'Reject')}
                </Button>
              </Space>
            </Form>
          ) : (
            <Typography.Text type="secondary">{t('等待上级主管单位审批。', 'Waiting for a supervisor above the unit.')}</Typography.Text>
          )}
        </Card>
      )}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('状态', 'Status')}>{label(ACCOUNT_STATUS, acc.status, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('连接', 'Connection')}>{label(CONNECTION, acc.connection, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('平台账号', 'Platform account')}>{acc.platformAccountId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('认证主体', 'Verified subject')}>
            {acc.verifiedSubject ?? t('未核验', 'Not verified')}
          </Descriptions.Item>
          <Descriptions.Item label={t('开设时间', 'Opened')}>{when(acc.openedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('最近发文', 'Last post')}>{when(acc.lastPostAt)}</Descriptions.Item>
          {acc.sandbox && <Descriptions.Item label={t('环境', 'Environment')}>{t('沙箱（演示）', 'Sandbox (demo)')}</Descriptions.Item>}
          <Descriptions.Item label={t('命名检查', 'Naming check')}>
            {acc.namingIssues === null ? (
              t('尚未检查', 'Not checked yet')
            ) : naming.length === 0 ? (
              <Tag color="green" style={{ color: 'rgba(0,0,0,0.88)' }}>
                {t('名称一致', 'Consistent')}
              </Tag>
            ) : (
              <ul data-testid="naming-findings" style={{ margin: 0, paddingLeft: 18 }}>
                {naming.map((n) => (
                  <li key={n}>
                    <Typography.Text type="danger">{n}</Typography.Text>
                  </li>
                ))}
              </ul>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {settingFields.length > 0 && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('账号设置', 'Account settings')}</h2>} data-testid="settings">
          <Form form={settingsForm} layout="vertical" disabled={!settable} style={{ maxWidth: 640 }}>
            <SettingsFields fields={settingFields} />
            {settable && (
              <Button type="primary" loading={busy} onClick={() => void saveSettings()}>
                {t('保存设置', 'Save settings')}
              </Button>
            )}
          </Form>
        </Card>
      )}
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('备案事项', 'Filings')}</h2>}>
        <Typography.Paragraph type="secondary">
          {t(
            '账号开设、变更、关停、注销须在生效之日起 3 日内向主管单位备案（分级备案）。',
            'Opening, changes, suspension and cancellation are filed with the supervisor within 3 days of taking effect.',
          )}
        </Typography.Paragraph>
        <ScrollRegion label={t('备案事项', 'Filings')} minWidth={760}>
          <Table<Filing>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={acc.filings ?? []}
            locale={{ emptyText: t('没有备案事项', 'No filings') }}
            columns={[
              { title: t('事项', 'Kind'), dataIndex: 'kind', render: (k) => label(FILING_KIND, k, lang) },
              {
                title: t('状态', 'Status'),
                dataIndex: 'status',
                render: (s) => (
                  <Tag
                    color={s === 'overdue' || s === 'late' ? 'red' : s === 'pending' ? 'orange' : 'green'}
                    style={{ color: 'rgba(0,0,0,0.88)' }}
                  >
                    {label(FILING_STATUS, s, lang)}
                  </Tag>
                ),
              },
              { title: t('生效', 'Effective'), dataIndex: 'effectiveAt', render: when },
              { title: t('备案截止', 'Due'), dataIndex: 'dueAt', render: when },
              { title: t('备案时间', 'Filed'), dataIndex: 'filedAt', render: when },
              { title: t('备案文号', 'Reference'), dataIndex: 'reference', render: (r) => r ?? '—' },
              {
                title: t('操作', 'Action'),
                render: (_, f) =>
                  !f.filedAt && manages ? (
                    <Button
                      size="small"
                      onClick={() => {
                        fileForm.resetFields();
                        setFileOpen(f);
                      }}
                    >
                      {t('登记已备案', 'Record as filed')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </ScrollRegion>
      </Card>
      {(acc.approvals?.length ?? 0) > 0 && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('审批记录', 'Approvals')}</h2>}>
          <ScrollRegion label={t('审批记录', 'Approvals')} minWidth={560}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={acc.approvals}
              columns={[
                { title: t('申请时间', 'Applied'), dataIndex: 'createdAt', render: when },
                { title: t('结论', 'Decision'), dataIndex: 'decision', render: (d) => label(DECISION, d ?? 'pending', lang) },
                { title: t('审批时间', 'Decided'), dataIndex: 'decidedAt', render: when },
                { title: t('意见', 'Comment'), dataIndex: 'comment', render: (c) => c ?? '—' },
              ]}
            />
          </ScrollRegion>
        </Card>
      )}
      <Modal
        open={credOpen}
        title={t('填写平台凭据', 'Platform credentials')}
        okText={t('核验并保存', 'Verify and save')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void saveCredentials()}
        onCancel={() => {
          credForm.resetFields();
          setCredOpen(false);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t(
            '凭据向平台核验后加密保存，保存后任何人（包括管理员）都无法再查看。',
            'Verified with the platform, then stored sealed; nobody can read them back, administrators included.',
          )}
        </Typography.Paragraph>
        <Form form={credForm} layout="vertical" preserve={false}>
          <CredentialFields fields={accountFields} />
        </Form>
      </Modal>
      <Modal
        open={!!change}
        title={
          change?.kind === 'status'
            ? t(`${label(statusWord, change.to, 'zh')}账号`, `${label(statusWord, change.to, 'en')} the account`)
            : t('变更账号信息', 'Change the account’s details')
        }
        okText={t('保存', 'Save')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy, danger: change?.kind === 'status' && change.to !== 'active' }}
        onOk={() => void saveChange()}
        onCancel={() => setChange(null)}
      >
        <Typography.Paragraph type="secondary">
          {t(
            '变更生效后须在 3 日内向主管单位备案；保存后将生成备案事项。',
            'Once in effect, the change is filed with the supervisor within 3 days; saving creates the filing.',
          )}
        </Typography.Paragraph>
        <Form form={changeForm} layout="vertical">
          {change?.kind === 'edit' && (
            <>
              <Form.Item
                name="name"
                label={t('账号名称', 'Account name')}
                rules={[
                  { required: true, whitespace: true, message: t('请填写账号名称', 'Enter the account name') },
                  { max: 100, message: t('账号名称不能超过 100 个字', 'At most 100 characters') },
                ]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="verifiedSubject"
                label={t('认证主体', 'Verified subject')}
                rules={[{ max: 200, message: t('认证主体不能超过 200 个字', 'At most 200 characters') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name="platformAccountId"
                label={t('平台账号 ID', 'Platform account id')}
                rules={[{ max: 128, message: t('平台账号 ID 不能超过 128 个字符', 'At most 128 characters') }]}
              >
                <Input autoComplete="off" />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="effectiveAt"
            label={t('生效时间（留空为现在）', 'Took effect (empty: now)')}
            rules={[
              {
                validator: (_, v: string | undefined) =>
                  !v || new Date(v).getTime() <= Date.now() + 60_000
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('生效时间不能晚于现在', 'The change cannot take effect in the future'))),
              },
            ]}
          >
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('原因', 'Reason')}
            rules={[
              ...(change?.kind === 'status' && change.to !== 'active'
                ? [{ required: true, whitespace: true, message: t('请填写原因', 'Give the reason') }]
                : []),
              { max: 500, message: t('原因不能超过 500 个字', 'At most 500 characters') },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!fileOpen}
        title={t(
          `登记已备案：${fileOpen ? label(FILING_KIND, fileOpen.kind, 'zh') : ''}`,
          `Record the filing: ${fileOpen ? label(FILING_KIND, fileOpen.kind, 'en') : ''}`,
        )}
        okText={t('保存', 'Save')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void file()}
        onCancel={() => setFileOpen(null)}
      >
        {fileOpen?.dueAt && (
          <Typography.Paragraph>
            {new Date(fileOpen.dueAt).getTime() < Date.now()
              ? t(
                  `已超过备案截止时间 ${when(fileOpen.dueAt)}，将记为迟报。`,
                  `Past the deadline ${when(fileOpen.dueAt)}: it will count as late.`,
                )
              : t(`备案截止时间：${when(fileOpen.dueAt)}（生效后 3 日）`, `Due by ${when(fileOpen.dueAt)} (3 days after it took effect)`)}
          </Typography.Paragraph>
        )}
        <Form form={fileForm} layout="vertical">
          <Form.Item
            name="reference"
            label={t('备案文号', 'Reference')}
            rules={[{ max: 200, message: t('备案文号不能超过 200 个字', 'At most 200 characters') }]}
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
