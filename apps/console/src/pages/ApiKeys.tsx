import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { ApiKey, Page, Unit } from '../api/types';
import { PageHeader } from '../components/PageHeader';
import { ScrollRegion } from '../components/ScrollRegion';
import { usePaged } from '../lib/usePaged';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { ROLE, label } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';
import { beijingTime } from '../lib/admin';

interface Values {
  name: string;
  unitId: string;
  roles?: string[];
  qa?: boolean;
  allowedOrigins?: string[];
  expiresAt?: string;
}

/**
 * API keys for machines (a website's Q&A box, a media centre's sync job). A key acts with roles
 * its creator holds, in the creator's subtree; the key itself is shown once, only a hash is kept.
 */
export default function ApiKeys() {
  const t = useT();
  const lang = useLang();
  const { has } = useSession();
  const { message, modal } = App.useApp();
  const list = usePaged<ApiKey>('/api-keys', {});
  const [units, setUnits] = useState<Unit[]>([]);
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    api<Page<Unit>>('/units?pageSize=200')
      .then((r) => setUnits(r.items))
      .catch(() => undefined);
  }, []);
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id.slice(0, 8);
  // A key acts only with roles its creator holds; never as a reviewer (a machine does not review).
  const roles = Object.keys(ROLE).filter((r) => r !== 'reviewer' && has(r));

  const create = async () => {
    const v = await form.validateFields();
    if (!v.roles?.length && !v.qa) {
      form.setFields([{ name: 'roles', errors: [t('请至少选择一个角色或“答问库查询”', 'Choose a role or “Q&A query”')] }]);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api<ApiKey & { token: string }>('/api-keys', {
        body: {
          name: v.name.trim(),
          unitId: v.unitId,
          grants: (v.roles ?? []).map((role) => ({ role, unitId: v.unitId })),
          scopes: v.qa ? ['qa:query'] : undefined,
          allowedOrigins: v.allowedOrigins?.length ? v.allowedOrigins : undefined,
          expiresAt: v.expiresAt ? new Date(v.expiresAt).toISOString() : undefined,
        },
      });
      setCreating(false);
      setToken(r.token);
      void list.reload();
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = (k: ApiKey) =>
    modal.confirm({
      title: t(`注销密钥“${k.name}”？`, `Revoke “${k.name}”?`),
      content: t('注销后使用该密钥的系统立即无法访问，且不能恢复。', 'Systems using it are refused at once; this cannot be undone.'),
      okText: t('注销', 'Revoke'),
      cancelText: t('取消', 'Cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await api(`/api-keys/${k.id}`, { method: 'DELETE' });
          message.success(t('已注销', 'Revoked'));
          void list.reload();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  return (
    <div>
      <PageHeader
        title={t('API 密钥', 'API keys')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              setError(null);
              setCreating(true);
            }}
          >
            {t('创建密钥', 'New key')}
          </Button>
        }
      />
      <Card>
        {list.error && <Alert type="error" title={list.error} />}
        <ScrollRegion label={t('API 密钥列表', 'API keys')} minWidth={780}>
          <Table<ApiKey>
            rowKey="id"
            size="small"
            data-testid="api-keys"
            loading={list.loading}
            dataSource={list.items}
            pagination={list.pagination}
            onChange={list.onTableChange}
            locale={{ emptyText: t('还没有 API 密钥', 'No API keys yet') }}
            columns={[
              { title: t('名称', 'Name'), dataIndex: 'name' },
              { title: t('单位', 'Unit'), dataIndex: 'unitId', render: unitName },
              {
                title: t('权限', 'Access'),
                render: (_, k) => (
                  <Space wrap size={4}>
                    {k.grants.map((g, i) => (
                      <Tag key={i} style={{ color: 'rgba(0,0,0,0.88)' }}>
                        {label(ROLE, g.role, lang)}
                      </Tag>
                    ))}
                    {k.scopes.includes('qa:query') && <Tag style={{ color: 'rgba(0,0,0,0.88)' }}>{t('答问库查询', 'Q&A query')}</Tag>}
                  </Space>
                ),
              },
              { title: t('到期', 'Expires'), dataIndex: 'expiresAt', render: (d) => (d ? beijingTime(d) : t('不过期', 'Never')) },
              { title: t('最近使用', 'Last used'), dataIndex: 'lastUsedAt', render: beijingTime },
              {
                title: t('状态', 'Status'),
                render: (_, k) =>
                  k.revokedAt ? (
                    <Tag style={{ color: 'rgba(0,0,0,0.88)' }}>{t('已注销', 'Revoked')}</Tag>
                  ) : k.expiresAt && new Date(k.expiresAt).getTime() < Date.now() ? (
                    <Tag style={{ color: 'rgba(0,0,0,0.88)' }}>{t('已过期', 'Expired')}</Tag>
                  ) : (
                    <Tag color="green" style={{ color: 'rgba(0,0,0,0.88)' }}>
                      {t('有效', 'Active')}
                    </Tag>
                  ),
              },
              {
                title: t('操作', 'Action'),
                render: (_, k) =>
                  k.revokedAt ? null : (
                    <Button size="small" danger onClick={() => revoke(k)}>
                      {t('注销', 'Revoke')}
                    </Button>
                  ),
              },
            ]}
          />
        </ScrollRegion>
      </Card>
      <Modal
        open={creating}
        title={t('创建 API 密钥', 'New API key')}
        okText={t('创建', 'Create')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
      >
        {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t('用途名称', 'What uses it')}
            extra={t(
              '如“市政府网站智能问答”，便于日后识别和注销',
              'e.g. “city website Q&A box”, so it can be recognised and revoked later',
            )}
            rules={[
              { required: true, whitespace: true, message: t('请填写用途名称', 'Enter what uses the key') },
              { max: 100, message: t('用途名称不能超过 100 个字', 'At most 100 characters') },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="unitId"
            label={t('所属单位', 'Unit')}
            rules={[{ required: true, message: t('请选择所属单位', 'Choose the unit') }]}
          >
            <Select showSearch optionFilterProp="label" options={units.map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
          <Form.Item name="roles" label={t('以哪些角色访问', 'Acts as')}>
            <Select mode="multiple" options={roles.map((r) => ({ value: r, label: label(ROLE, r, lang) }))} />
          </Form.Item>
          <Form.Item name="qa" valuePropName="checked">
            <Checkbox>{t('答问库查询（网站、热线接入）', 'Q&A query (websites, hotlines)')}</Checkbox>
          </Form.Item>
          <Form.Item
            name="allowedOrigins"
            label={t('允许从浏览器调用的网站（可选）', 'Web origins allowed from a browser (optional)')}
            rules={[
              {
                validator: (_, v: string[] | undefined) =>
                  (v ?? []).every((o) => /^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(o))
                    ? Promise.resolve()
                    : Promise.reject(
                        new Error(
                          t(
                            '网站须写成来源，如 https://www.example.gov.cn（不带路径）',
                            'Each must be an origin such as https://www.example.gov.cn',
                          ),
                        ),
                      ),
              },
            ]}
          >
            <Select mode="tags" open={false} tokenSeparators={[' ', ',']} />
          </Form.Item>
          <Form.Item
            name="expiresAt"
            label={t('到期时间（可选）', 'Expires (optional)')}
            rules={[
              {
                validator: (_, v: string | undefined) =>
                  !v || new Date(v).getTime() > Date.now()
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('到期时间须晚于现在', 'The expiry must be in the future'))),
              },
            ]}
          >
            <Input type="datetime-local" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!token}
        title={t('新密钥（只显示这一次）', 'The new key (shown once)')}
        okText={t('我已保存', 'I have stored it')}
        onOk={() => setToken(null)}
        onCancel={() => setToken(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {t(
            '请立即复制并保存到使用它的系统中。关闭后无法再次查看，统发只保存其摘要；遗失请注销后重新创建。',
            'Copy it into the system that uses it now. It cannot be shown again (only a hash is kept); if lost, revoke it and create another.',
          )}
        </Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: token ?? '' }} code data-testid="api-key-token" style={{ wordBreak: 'break-all' }}>
          {token}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
