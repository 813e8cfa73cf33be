import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Account, Filing, PluginManifest } from '../api/types';
import { Loading } from '../components/Loading';
import { PlatformIcon } from '../components/PlatformIcon';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { ACCOUNT_STATUS, CONNECTION, label } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';

const when = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');
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

export default function AccountDetail() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const { has } = useSession();
  const { message } = App.useApp();
  const [acc, setAcc] = useState<Account | null>(null);
  const [plugin, setPlugin] = useState<PluginManifest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [credOpen, setCredOpen] = useState(false);
  const [fileOpen, setFileOpen] = useState<Filing | null>(null);
  const [busy, setBusy] = useState(false);
  const [credForm] = Form.useForm();
  const [fileForm] = Form.useForm();

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
      message.success(t('已连接', 'Connected'));
      setCredOpen(false);
      await load();
    } catch (e) {
      const rest = applyFieldErrors(credForm, e);
      if (rest) setError(rest);
    } finally {
      setBusy(false);
    }
  };

  const file = async () => {
    const v = await fileForm.validateFields();
    setBusy(true);
    try {
      await api(`/accounts/${id}/filings`, { body: { filingId: fileOpen!.id, reference: v.reference || undefined } });
      setFileOpen(null);
      await load();
    } catch (e) {
      const rest = applyFieldErrors(fileForm, e);
      if (rest) setError(rest);
    } finally {
      setBusy(false);
    }
  };

  if (error && !acc) return <Alert type="error" title={error} />;
  if (!acc) return <Loading />;
  const oauth = plugin?.auth.kind?.startsWith('oauth');
  const canConnect = has('unit_admin') || has('platform_operator');
  const accountFields = plugin?.credentials.filter((c) => c.scope !== 'app') ?? [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          <PlatformIcon platform={acc.platform} lang={lang} /> · {acc.name}
        </Typography.Title>
        {canConnect && (
          <Button type="primary" icon={<LinkOutlined />} onClick={() => (oauth ? void connectOAuth() : setCredOpen(true))}>
            {acc.connection === 'connected' ? t('重新连接', 'Reconnect') : t('连接平台', 'Connect')}
          </Button>
        )}
      </Space>
      {search.get('connected') && <Alert type="success" title={t('授权成功，账号已连接', 'Authorized: the account is connected')} />}
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('状态', 'Status')}>{label(ACCOUNT_STATUS, acc.status, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('连接', 'Connection')}>{label(CONNECTION, acc.connection, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('平台账号', 'Platform account')}>{acc.platformAccountId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('认证主体', 'Verified subject')}>{acc.verifiedSubject ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('开设时间', 'Opened')}>{when(acc.openedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('最近发文', 'Last post')}>{when(acc.lastPostAt)}</Descriptions.Item>
          {acc.sandbox && <Descriptions.Item label={t('环境', 'Environment')}>{t('沙箱（演示）', 'Sandbox (demo)')}</Descriptions.Item>}
          {acc.namingIssues && acc.namingIssues.length > 0 && (
            <Descriptions.Item label={t('命名提示', 'Naming')}>
              <Tag color="red" style={{ color: 'rgba(0,0,0,0.88)' }}>
                {acc.namingIssues.map((n) => (typeof n === 'string' ? n : (n.message ?? n.code))).join('；')}
              </Tag>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('备案事项', 'Filings')}</h2>}>
        <Table<Filing>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={acc.filings ?? []}
          locale={{ emptyText: t('没有备案事项', 'No filings') }}
          columns={[
            { title: t('事项', 'Kind'), dataIndex: 'kind', render: (k) => label(FILING_KIND, k, lang) },
            { title: t('状态', 'Status'), dataIndex: 'status', render: (s) => label(FILING_STATUS, s, lang) },
            { title: t('截止', 'Due'), dataIndex: 'dueAt', render: when },
            { title: t('备案时间', 'Filed'), dataIndex: 'filedAt', render: when },
            { title: t('文号', 'Reference'), dataIndex: 'reference', render: (r) => r ?? '—' },
            {
              title: t('操作', 'Action'),
              render: (_, f) =>
                !f.filedAt && canConnect ? (
                  <Button size="small" onClick={() => setFileOpen(f)}>
                    {t('登记已备案', 'Record as filed')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={credOpen}
        title={t('填写平台凭据', 'Platform credentials')}
        okText={t('核验并保存', 'Verify and save')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void saveCredentials()}
        onCancel={() => setCredOpen(false)}
      >
        <Form form={credForm} layout="vertical">
          {accountFields.map((f) => (
            <Form.Item key={f.name} name={f.name} label={f.label[lang]} rules={[{ required: f.required, message: t('必填', 'Required') }]}>
              {f.secret ? <Input.Password autoComplete="off" /> : <Input autoComplete="off" />}
            </Form.Item>
          ))}
        </Form>
      </Modal>
      <Modal
        open={!!fileOpen}
        title={t('登记已备案', 'Record the filing')}
        okText={t('保存', 'Save')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void file()}
        onCancel={() => setFileOpen(null)}
      >
        <Form form={fileForm} layout="vertical">
          <Form.Item name="reference" label={t('备案文号', 'Reference')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
