import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Form, InputNumber, Modal, Select, Space, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Page, Unit, User } from '../api/types';
import { Loading } from '../components/Loading';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { ROLE, label } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';
import { beijingTime, grantableRoles, temporaryPassword } from '../lib/admin';

const REVIEW_LEVEL = ['初审', '复审', '终审'];

/**
 * One user, and what the caller may do to them: only where the hub would allow it (`manageable`,
 * the hub's own rule: the caller could grant every role the user holds, over every unit, and is
 * neither the user nor a separated role facing another). The hub refuses the rest anyway.
 */
export default function UserDetail() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const { has } = useSession();
  const { message, modal } = App.useApp();
  const [user, setUser] = useState<User | null>(null);
  const [units, setUnits] = useState<Unit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editingRoles, setEditingRoles] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const [rolesForm] = Form.useForm<{ roles: { role: string; unitId: string; level?: number }[] }>();
  const chosen = Form.useWatch('roles', rolesForm);

  const load = useCallback(async () => {
    try {
      setUser(await api<User>(`/users/${id}`));
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
    api<Page<Unit>>('/units?pageSize=200')
      .then((r) => setUnits(r.items))
      .catch(() => undefined);
  }, [load]);

  const unitName = (uid: string) => units.find((u) => u.id === uid)?.name ?? uid.slice(0, 8);
  const roleText = (r: User['roles'][number]) =>
    `${label(ROLE, r.role, lang)}${r.level ? (lang === 'zh' ? `（${REVIEW_LEVEL[r.level - 1]}）` : ` (level ${r.level})`) : ''}`;

  const patch = async (body: Record<string, unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await api<User>(`/users/${id}`, { method: 'PATCH', body });
      // Read back through GET: it says, as of now, what the caller may still do (`manageable`).
      await load();
      message.success(done);
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const resetPassword = () =>
    modal.confirm({
      title: t(`重置 ${user!.displayName} 的密码？`, `Reset ${user!.displayName}’s password?`),
      content: t(
        '将生成一个临时密码并只显示一次；该用户的所有会话立即失效，下次登录须修改密码。',
        'A temporary password is generated and shown once; all their sessions end, and they must change it at the next sign-in.',
      ),
      okText: t('重置', 'Reset'),
      cancelText: t('取消', 'Cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        const password = temporaryPassword();
        if (await patch({ password }, t('密码已重置', 'Password reset'))) setIssued(password);
      },
    });

  const setStatus = (next: 'active' | 'disabled') =>
    modal.confirm({
      title:
        next === 'disabled'
          ? t(`停用用户 ${user!.displayName}？`, `Disable ${user!.displayName}?`)
          : t(`启用用户 ${user!.displayName}？`, `Enable ${user!.displayName}?`),
      content: next === 'disabled' ? t('停用后该用户的所有会话立即失效。', 'All of their sessions end at once.') : undefined,
      okText: t('确认', 'Confirm'),
      cancelText: t('取消', 'Cancel'),
      okButtonProps: { danger: next === 'disabled' },
      onOk: () => patch({ status: next }, next === 'disabled' ? t('已停用', 'Disabled') : t('已启用', 'Enabled')),
    });

  const saveRoles = async () => {
    const v = await rolesForm.validateFields();
    setBusy(true);
    setError(null);
    try {
      const roles = (v.roles ?? []).map((r) => ({
        role: r.role,
        unitId: r.unitId,
        ...(r.role === 'reviewer' ? { level: r.level ?? 1 } : {}),
      }));
      await api<User>(`/users/${id}/roles`, { body: { roles } });
      await load();
      message.success(t('角色已保存', 'Roles saved'));
      setEditingRoles(false);
    } catch (e) {
      const rest = applyFieldErrors(rolesForm, e);
      if (rest) setError(rest);
    } finally {
      setBusy(false);
    }
  };

  if (error && !user) return <Alert type="error" title={error} />;
  if (!user) return <Loading />;
  const manageable = user.manageable === true;
  const offered = grantableRoles(has);
  // A role the caller cannot grant may still be shown (it is held); it is never offered.
  const roleOptions = Object.keys(ROLE).map((value) => ({ value, label: label(ROLE, value, lang), disabled: !offered.includes(value) }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {user.displayName}（{user.username}）
        </Typography.Title>
        {manageable && (
          <Space wrap data-testid="user-actions">
            <Button onClick={resetPassword} loading={busy}>
              {t('重置密码', 'Reset password')}
            </Button>
            {user.locked && (
              <Button onClick={() => void patch({ unlock: true }, t('已解锁', 'Unlocked'))} loading={busy}>
                {t('解除锁定', 'Unlock')}
              </Button>
            )}
            {user.status === 'active' ? (
              <Button danger onClick={() => setStatus('disabled')}>
                {t('停用', 'Disable')}
              </Button>
            ) : (
              <Button onClick={() => setStatus('active')}>{t('启用', 'Enable')}</Button>
            )}
          </Space>
        )}
      </Space>
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
      {!manageable && (
        <Alert
          type="info"
          data-testid="not-manageable"
          title={t(
            '你不能修改该用户：只能管理你可以授予其全部角色的用户，不能修改自己，系统管理员、安全管理员、审计管理员之间也不能相互修改。',
            'You cannot change this user: only users whose every role you could grant; not yourself; and the operator, security admin and auditor never change one another.',
          )}
        />
      )}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('所属单位', 'Unit')}>{unitName(user.unitId)}</Descriptions.Item>
          <Descriptions.Item label={t('状态', 'Status')}>
            {user.status === 'active' ? t('正常', 'Active') : t('已停用', 'Disabled')}
            {user.locked && (
              <Tag color="red" style={{ marginLeft: 8, color: 'rgba(0,0,0,0.88)' }}>
                {t('已锁定', 'Locked')}
              </Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('动态口令', 'Two-factor')}>
            {user.totpEnabled ? t('已绑定', 'Enrolled') : t('未绑定', 'Not enrolled')}
          </Descriptions.Item>
          <Descriptions.Item label={t('密码', 'Password')}>
            {user.mustChangePassword ? t('临时密码，下次登录须修改', 'Temporary: must change at next sign-in') : t('已设置', 'Set')}
          </Descriptions.Item>
          <Descriptions.Item label={t('最近登录', 'Last sign-in')}>{beijingTime(user.lastLoginAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('角色', 'Roles')}</h2>}
        extra={
          manageable && !editingRoles ? (
            <Button
              size="small"
              onClick={() => {
                rolesForm.setFieldsValue({
                  roles: user.roles.map((r) => ({ role: r.role, unitId: r.unitId, level: r.level ?? undefined })),
                });
                setEditingRoles(true);
              }}
            >
              {t('编辑角色', 'Edit roles')}
            </Button>
          ) : null
        }
      >
        {!editingRoles ? (
          user.roles.length === 0 ? (
            <Typography.Text type="secondary">{t('没有角色', 'No roles')}</Typography.Text>
          ) : (
            <Space wrap data-testid="user-roles">
              {user.roles.map((r, i) => (
                <Tag key={i} style={{ color: 'rgba(0,0,0,0.88)' }}>
                  {roleText(r)} · {unitName(r.unitId)}
                </Tag>
              ))}
            </Space>
          )
        ) : (
          <Form form={rolesForm} layout="vertical">
            <Form.List name="roles">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} wrap align="start" style={{ display: 'flex' }}>
                      <Form.Item
                        name={[f.name, 'role']}
                        label={t(`角色 ${i + 1}`, `Role ${i + 1}`)}
                        rules={[{ required: true, message: t(`请选择第 ${i + 1} 个角色`, `Choose role ${i + 1}`) }]}
                      >
                        <Select options={roleOptions} style={{ width: 160 }} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'unitId']}
                        label={t('授予单位', 'At unit')}
                        rules={[{ required: true, message: t(`请选择第 ${i + 1} 个角色的单位`, `Choose the unit of role ${i + 1}`) }]}
                      >
                        <Select
                          showSearch
                          optionFilterProp="label"
                          options={units.map((u) => ({ value: u.id, label: u.name }))}
                          style={{ width: 200 }}
                        />
                      </Form.Item>
                      {chosen?.[i]?.role === 'reviewer' && (
                        <Form.Item
                          name={[f.name, 'level']}
                          label={t('审核级别', 'Review level')}
                          initialValue={1}
                          rules={[{ required: true, message: t('请填写审核级别', 'Enter the level') }]}
                        >
                          <InputNumber min={1} max={3} />
                        </Form.Item>
                      )}
                      <Button
                        type="text"
                        aria-label={t(`删除第 ${i + 1} 个角色`, `Remove role ${i + 1}`)}
                        icon={<MinusCircleOutlined />}
                        onClick={() => remove(f.name)}
                        style={{ marginTop: 30 }}
                      />
                    </Space>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ unitId: user.unitId })} style={{ marginBottom: 16 }}>
                    {t('添加角色', 'Add a role')}
                  </Button>
                </>
              )}
            </Form.List>
            <Space>
              <Button type="primary" loading={busy} onClick={() => void saveRoles()}>
                {t('保存角色', 'Save roles')}
              </Button>
              <Button onClick={() => setEditingRoles(false)}>{t('取消', 'Cancel')}</Button>
            </Space>
          </Form>
        )}
      </Card>
      <Modal
        open={!!issued}
        title={t('临时密码（只显示这一次）', 'Temporary password (shown once)')}
        okText={t('我已转交', 'Handed over')}
        onOk={() => setIssued(null)}
        onCancel={() => setIssued(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {t(
            '请通过安全渠道转交给本人。关闭后无法再次查看；用户下次登录须设置新密码。',
            'Hand it over by a safe channel. It cannot be shown again; the user sets a new password at the next sign-in.',
          )}
        </Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: issued ?? '' }} code data-testid="temporary-password" style={{ fontSize: 18 }}>
          {issued}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
