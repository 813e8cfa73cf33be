import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Page, Unit, User } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useLang, useT } from '../lib/i18n';
import { ROLE, label } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';
import { PageHeader } from '../components/PageHeader';
import { ScrollRegion } from '../components/ScrollRegion';

export default function Users() {
  const t = useT();
  const lang = useLang();
  const { message, modal } = App.useApp();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const list = usePaged<User>('/users', { q: q || undefined, role, status });
  const [units, setUnits] = useState<Unit[]>([]);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosenRole = Form.useWatch('role', form);
  const roles = Object.entries(ROLE).map(([value, l]) => ({ value, label: l[lang === 'zh' ? 0 : 1] }));
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id.slice(0, 8);

  useEffect(() => {
    api<Page<Unit>>('/units?pageSize=200')
      .then((r) => setUnits(r.items))
      .catch(() => undefined);
  }, []);

  const create = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api('/users', {
        body: {
          username: v.username,
          displayName: v.displayName,
          unitId: v.unitId,
          password: v.password,
          roles: v.role ? [{ role: v.role, unitId: v.unitId, ...(v.role === 'reviewer' ? { level: v.level ?? 1 } : {}) }] : [],
        },
      });
      message.success(t('已创建，用户首次登录须修改密码', 'Created; the user sets a new password at first sign-in'));
      setCreating(false);
      void list.reload();
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  const setUserStatus = (u: User, next: 'active' | 'disabled') =>
    modal.confirm({
      title:
        next === 'disabled'
          ? t(`停用用户 ${u.displayName}？`, `Disable ${u.displayName}?`)
          : t(`启用用户 ${u.displayName}？`, `Enable ${u.displayName}?`),
      content: next === 'disabled' ? t('停用后该用户的所有会话立即失效。', 'All of their sessions end at once.') : undefined,
      okText: t('确认', 'Confirm'),
      cancelText: t('取消', 'Cancel'),
      okButtonProps: { danger: next === 'disabled' },
      onOk: async () => {
        try {
          await api(`/users/${u.id}`, { method: 'PATCH', body: { status: next } });
          void list.reload();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  return (
    <div>
      <PageHeader
        title={t('用户管理', 'Users')}
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
            {t('新建用户', 'New user')}
          </Button>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            aria-label={t('按用户名或姓名搜索', 'Search')}
            placeholder={t('按用户名或姓名搜索', 'Search')}
            allowClear
            onSearch={setQ}
            style={{ width: 240 }}
          />
          <Select
            aria-label={t('角色', 'Role')}
            placeholder={t('全部角色', 'All roles')}
            allowClear
            options={roles}
            value={role}
            onChange={setRole}
            style={{ width: 160 }}
          />
          <Select
            aria-label={t('状态', 'Status')}
            placeholder={t('全部状态', 'All statuses')}
            allowClear
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
            options={[
              { value: 'active', label: t('正常', 'Active') },
              { value: 'disabled', label: t('已停用', 'Disabled') },
            ]}
          />
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <ScrollRegion label={t('用户列表', 'Users')} minWidth={720}>
          <Table<User>
            rowKey="id"
            size="small"
            loading={list.loading}
            dataSource={list.items}
            pagination={list.pagination}
            onChange={list.onTableChange}
            locale={{ emptyText: t('没有符合条件的用户', 'No matching user') }}
            columns={[
              {
                title: t('用户名', 'Username'),
                dataIndex: 'username',
                sorter: true,
                render: (n: string, u) => <Link to={`/admin/users/${u.id}`}>{n}</Link>,
              },
              { title: t('姓名', 'Name'), dataIndex: 'displayName', sorter: true },
              { title: t('单位', 'Unit'), dataIndex: 'unitId', render: unitName },
              {
                title: t('角色', 'Roles'),
                dataIndex: 'roles',
                render: (rs: User['roles']) =>
                  rs.map((r, i) => (
                    <Tag key={i} style={{ color: 'rgba(0,0,0,0.88)' }}>
                      {label(ROLE, r.role, lang)}
                      {r.level
                        ? lang === 'zh'
                          ? `（${['初审', '复审', '终审'][r.level - 1] ?? `${r.level} 级`}）`
                          : ` (level ${r.level})`
                        : ''}
                    </Tag>
                  )),
              },
              {
                title: t('状态', 'Status'),
                dataIndex: 'status',
                sorter: true,
                render: (s, u) =>
                  `${s === 'active' ? t('正常', 'Active') : t('已停用', 'Disabled')}${u.locked ? t('（已锁定）', ' (locked)') : ''}`,
              },
              {
                title: t('操作', 'Action'),
                // Only what the hub would allow: no buttons on one's own row or on users above one's grants.
                render: (_, u) =>
                  u.manageable === false ? (
                    <Typography.Text type="secondary">—</Typography.Text>
                  ) : u.status === 'active' ? (
                    <Button size="small" danger onClick={() => setUserStatus(u, 'disabled')}>
                      {t('停用', 'Disable')}
                    </Button>
                  ) : (
                    <Button size="small" onClick={() => setUserStatus(u, 'active')}>
                      {t('启用', 'Enable')}
                    </Button>
                  ),
              },
            ]}
          />
        </ScrollRegion>
      </Card>
      <Modal
        open={creating}
        title={t('新建用户', 'New user')}
        okText={t('创建', 'Create')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
      >
        {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item
            name="username"
            label={t('用户名', 'Username')}
            rules={[
              { required: true, message: t('请填写用户名', 'Enter the username') },
              {
                pattern: /^[A-Za-z0-9_.-]{3,64}$/,
                message: t('用户名须为 3–64 位字母、数字或 _ . -', 'Username: 3–64 letters, digits, _ . or -'),
              },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('姓名', 'Display name')}
            rules={[{ required: true, whitespace: true, message: t('请填写姓名', 'Enter the name') }]}
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
          <Form.Item
            name="password"
            label={t('初始密码', 'Initial password')}
            rules={[{ required: true, message: t('请填写初始密码', 'Enter the initial password') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="role" label={t('角色', 'Role')}>
            <Select allowClear options={roles} />
          </Form.Item>
          {chosenRole === 'reviewer' && (
            <Form.Item name="level" label={t('审核级别', 'Review level')} initialValue={1}>
              <InputNumber min={1} max={3} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
