import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../api/client';
import type { Page, Unit } from '../api/types';
import { PageHeader } from '../components/PageHeader';
import { ScrollRegion } from '../components/ScrollRegion';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { applyFieldErrors, errorText } from '../lib/forms';
import { formatLocalTime } from '../lib/beijing-time';
import { NOTIFICATION_KIND, type NotificationItem } from '../lib/notifications';

type Provider = 'wecom' | 'dingtalk';

interface Channel {
  id: string;
  unitId: string;
  provider: Provider;
  name: string;
  kinds: string[];
  enabled: boolean;
  signed: boolean;
  secretHint: string;
  createdAt: string;
  updatedAt: string;
  recent?: { state: string; attempts: number; lastError: string | null; sentAt: string | null; createdAt: string; title: string }[];
}

interface Values {
  provider: Provider;
  name: string;
  webhook?: string;
  signSecret?: string;
  kinds: string[];
  enabled: boolean;
}

const PROVIDER: Record<Provider, { zh: string; en: string }> = {
  wecom: { zh: '政务微信', en: 'WeCom (gov)' },
  dingtalk: { zh: '钉钉', en: 'DingTalk' },
};

const SECRET = /^[A-Za-z0-9_\-+/=]{8,128}$/;

/**
 * What the admin pasted: the whole webhook address as the group's robot settings show it, or only
 * its `key` (政务微信) / `access_token` (钉钉). Returns the secret part, or null when it is neither.
 */
export function webhookSecret(provider: Provider, input: string): string | null {
  const v = input.trim();
  if (/^https?:\/\//i.test(v)) {
    try {
      const found = new URL(v).searchParams.get(provider === 'wecom' ? 'key' : 'access_token');
      return found && SECRET.test(found) ? found : null;
    } catch {
      return null;
    }
  }
  return SECRET.test(v) ? v : null;
}

/**
 * The kinds as a checkbox group. Form.Item puts `aria-invalid` on its child, which ARIA does not
 * allow on a group; this keeps the description (the error text) and drops that one attribute.
 */
function KindsField(props: {
  label: string;
  options: { value: string; label: string }[];
  id?: string;
  value?: string[];
  onChange?: (v: string[]) => void;
  'aria-describedby'?: string;
}) {
  return (
    <div role="group" id={props.id} aria-label={props.label} aria-describedby={props['aria-describedby']}>
      <Checkbox.Group options={props.options} value={props.value} onChange={(v) => props.onChange?.(v as string[])} />
    </div>
  );
}

const DELIVERY: Record<string, { zh: string; en: string; color: string }> = {
  pending: { zh: '待推送', en: 'Pending', color: 'blue' },
  sent: { zh: '已送达', en: 'Sent', color: 'green' },
  failed: { zh: '推送失败', en: 'Failed', color: 'red' },
};

/**
 * A unit's 政务微信 / 钉钉 group bots (issue #12): which of the unit's notifications are pushed to
 * which group. Unit admins only; the secret is write-only (the list shows its last four characters).
 */
export default function NotificationChannels() {
  const t = useT();
  const lang = useLang();
  const { me, has } = useSession();
  const { message, modal } = App.useApp();
  const admin = has('unit_admin');
  const [units, setUnits] = useState<Unit[]>([]);
  const [unitId, setUnitId] = useState<string>(me?.roles.find((r) => r.role === 'unit_admin')?.unitId ?? '');
  const [items, setItems] = useState<Channel[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const provider = Form.useWatch('provider', form) ?? 'wecom';

  useEffect(() => {
    if (!admin) return;
    api<Page<Unit>>('/units?pageSize=200')
      .then((r) => setUnits(r.items))
      .catch(() => undefined);
  }, [admin]);

  // The units this admin may configure: those of their unit_admin grants and everything below.
  const adminUnits = useMemo(() => {
    const roots = new Set((me?.roles ?? []).filter((r) => r.role === 'unit_admin').map((r) => r.unitId));
    const byId = new Map(units.map((u) => [u.id, u]));
    const under = (u: Unit): boolean => {
      for (let c: Unit | undefined = u; c; c = c.parentId ? byId.get(c.parentId) : undefined) if (roots.has(c.id)) return true;
      return false;
    };
    return units.filter(under);
  }, [units, me]);

  const load = useCallback(async () => {
    if (!admin || !unitId) return;
    try {
      setItems(await api<Channel[]>(`/units/${unitId}/notification-channels`));
      setLoadError(null);
    } catch (e) {
      setItems([]);
      setLoadError(t(`加载失败：${errorText(e)}`, `Could not load: ${errorText(e)}`));
    }
  }, [admin, unitId]); // `t` follows the language; a reload picks it up.
  useEffect(() => void load(), [load]);

  const open = (c: Channel | 'new') => {
    form.resetFields();
    setFormError(null);
    if (c === 'new') form.setFieldsValue({ provider: 'wecom', kinds: ['publish_failed', 'alert'], enabled: true });
    else form.setFieldsValue({ provider: c.provider, name: c.name, kinds: c.kinds, enabled: c.enabled });
    setEditing(c);
  };

  const save = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const secret = v.webhook?.trim() ? webhookSecret(v.provider, v.webhook) : undefined;
    // The hub seals token and signing secret together: a new signing secret needs the token again.
    if (v.provider === 'dingtalk' && v.signSecret?.trim() && !secret) {
      form.setFields([
        { name: 'webhook', errors: [t('更换加签密钥时请同时填写 Webhook 地址', 'Enter the webhook address with the new signing secret')] },
      ]);
      return;
    }
    const body: Record<string, unknown> = { name: v.name.trim(), kinds: v.kinds, enabled: v.enabled };
    if (secret) body[v.provider === 'wecom' ? 'key' : 'accessToken'] = secret;
    if (v.provider === 'dingtalk' && v.signSecret?.trim()) body.signSecret = v.signSecret.trim();
    setBusy(true);
    setFormError(null);
    try {
      if (editing === 'new') await api(`/units/${unitId}/notification-channels`, { body: { provider: v.provider, ...body } });
      else if (editing) await api(`/notification-channels/${editing.id}`, { method: 'PATCH', body });
      message.success(editing === 'new' ? t('已添加机器人', 'Bot added') : t('已保存', 'Saved'));
      // The form stays mounted: clear it so the secret does not linger in the page.
      form.resetFields();
      setEditing(null);
      await load();
    } catch (e) {
      // The API names the secret by its wire name; on this form it is the one webhook field.
      const mapped =
        e instanceof ApiError
          ? new ApiError(
              e.status,
              e.message,
              e.details.map((d) => (d.field === 'key' || d.field === 'accessToken' ? { ...d, field: 'webhook' } : d)),
              e.code,
            )
          : e;
      setFormError(applyFieldErrors(form, mapped));
    } finally {
      setBusy(false);
    }
  };

  const remove = (c: Channel) =>
    modal.confirm({
      title: t(`删除机器人“${c.name}”？`, `Remove the bot “${c.name}”?`),
      content: t(
        '删除后该群不再收到本单位的通知，尚未推送的消息也将取消。',
        'The group gets no more notifications from this unit; messages not yet sent are dropped.',
      ),
      okText: t('删除', 'Remove'),
      cancelText: t('取消', 'Cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await api(`/notification-channels/${c.id}`, { method: 'DELETE' });
          message.success(t('已删除', 'Removed'));
          await load();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const kindLabel = (k: string) => {
    const l = NOTIFICATION_KIND[k as NotificationItem['kind']];
    return l ? (lang === 'en' ? l.en : l.zh) : k;
  };

  if (!admin) {
    return (
      <div>
        <PageHeader title={t('通知机器人', 'Notification bots')} />
        <Alert
          type="info"
          role="status"
          data-testid="channels-not-admin"
          title={t(
            '只有单位管理员可以设置本单位的政务微信、钉钉通知机器人。',
            'Only unit admins can configure their unit’s WeCom and DingTalk bots.',
          )}
        />
      </div>
    );
  }

  return (
    <div>
      <PageHeader
        title={t('通知机器人', 'Notification bots')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} disabled={!unitId} data-testid="channel-add">
            {t('添加机器人', 'Add a bot')}
          </Button>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">
          {t(
            '把本单位的通知（发布异常、值班提醒、联动任务等）推送到政务微信或钉钉工作群。在群设置中添加“自定义机器人”，复制其 Webhook 地址填在这里；钉钉机器人开启“加签”时一并填写 SEC 开头的密钥。密钥保存后不再显示。',
            'Push this unit’s notifications (publish failures, duty alerts, campaign tasks…) to a WeCom or DingTalk group. Add a custom robot in the group’s settings and paste its webhook address here; for a DingTalk robot with signing on, add its SEC… secret too. Secrets are never shown again.',
          )}
        </Typography.Paragraph>
        {adminUnits.length > 1 && (
          <Space style={{ marginBottom: 12 }} wrap>
            <label htmlFor="channel-unit">{t('单位', 'Unit')}</label>
            <Select
              id="channel-unit"
              style={{ minWidth: 220 }}
              value={unitId}
              onChange={(v) => {
                setItems(null);
                setUnitId(v);
              }}
              showSearch
              optionFilterProp="label"
              options={adminUnits.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Space>
        )}
        {loadError && <Alert type="error" role="alert" title={loadError} style={{ marginBottom: 12 }} />}
        <ScrollRegion label={t('通知机器人列表', 'Notification bots')} minWidth={760}>
          <Table<Channel>
            rowKey="id"
            size="small"
            data-testid="channels"
            loading={items === null && !loadError}
            dataSource={items ?? []}
            pagination={false}
            locale={{ emptyText: t('还没有通知机器人', 'No bots yet') }}
            onRow={(c) => ({ 'data-channel': c.name }) as HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('名称', 'Name'), dataIndex: 'name' },
              {
                title: t('类型', 'Type'),
                render: (_, c) => (
                  <span>
                    {lang === 'en' ? PROVIDER[c.provider].en : PROVIDER[c.provider].zh}
                    {c.signed ? t('（加签）', ' (signed)') : ''}
                  </span>
                ),
              },
              {
                title: t('密钥', 'Secret'),
                render: (_, c) => (
                  <Typography.Text code data-testid="secret-hint">
                    {c.secretHint}
                  </Typography.Text>
                ),
              },
              {
                title: t('推送的通知', 'Kinds pushed'),
                render: (_, c) => (
                  <Space wrap size={4}>
                    {c.kinds.map((k) => (
                      <Tag key={k} style={{ color: 'rgba(0,0,0,0.88)' }}>
                        {kindLabel(k)}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              { title: t('状态', 'State'), render: (_, c) => (c.enabled ? t('启用', 'On') : t('停用', 'Off')) },
              {
                title: t('最近推送', 'Last delivery'),
                render: (_, c) => {
                  const d = c.recent?.[0];
                  if (!d) return '—';
                  const s = DELIVERY[d.state] ?? { zh: d.state, en: d.state, color: 'default' };
                  return (
                    <Space direction="vertical" size={0} data-testid="last-delivery">
                      <Tag color={s.color} style={{ color: 'rgba(0,0,0,0.88)' }}>
                        {lang === 'en' ? s.en : s.zh}
                      </Tag>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatLocalTime(d.sentAt ?? d.createdAt, lang)} {d.title}
                      </Typography.Text>
                    </Space>
                  );
                },
              },
              {
                title: t('操作', 'Actions'),
                render: (_, c) => (
                  <Space>
                    <Button size="small" onClick={() => open(c)}>
                      {t('修改', 'Edit')}
                    </Button>
                    <Button size="small" danger onClick={() => remove(c)}>
                      {t('删除', 'Remove')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </ScrollRegion>
      </Card>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('添加通知机器人', 'Add a notification bot') : t('修改通知机器人', 'Edit the notification bot')}
        okText={t('保存', 'Save')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy, 'data-testid': 'channel-save' } as ButtonProps}
        onOk={() => void save()}
        onCancel={() => {
          form.resetFields();
          setEditing(null);
        }}
        forceRender
      >
        {formError && <Alert type="error" role="alert" title={formError} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="provider" label={t('机器人类型', 'Bot type')}>
            <Radio.Group disabled={editing !== 'new'}>
              <Radio value="wecom">{t('政务微信群机器人', 'WeCom (gov) group robot')}</Radio>
              <Radio value="dingtalk">{t('钉钉自定义机器人', 'DingTalk custom robot')}</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="name"
            label={t('名称', 'Name')}
            extra={t('如“一县新媒体值班群”，便于区分', 'e.g. “county media duty group”, to tell bots apart')}
            rules={[
              { required: true, whitespace: true, message: t('请填写名称', 'Enter a name') },
              { max: 64, message: t('名称不能超过 64 个字', 'At most 64 characters') },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="webhook"
            label={t('Webhook 地址', 'Webhook address')}
            extra={
              editing === 'new'
                ? provider === 'wecom'
                  ? t(
                      '粘贴群机器人的 Webhook 地址（含 key=…），或只填 key',
                      'Paste the robot’s webhook address (with key=…), or only the key',
                    )
                  : t(
                      '粘贴机器人的 Webhook 地址（含 access_token=…），或只填 access_token',
                      'Paste the webhook address (with access_token=…), or only the access_token',
                    )
                : t('留空则保持原密钥不变', 'Leave empty to keep the current secret')
            }
            rules={[
              {
                validator: (_, v: string | undefined) => {
                  if (!v?.trim())
                    return editing === 'new'
                      ? Promise.reject(new Error(t('请填写 Webhook 地址', 'Enter the webhook address')))
                      : Promise.resolve();
                  return webhookSecret(provider, v)
                    ? Promise.resolve()
                    : Promise.reject(
                        new Error(
                          provider === 'wecom'
                            ? t('Webhook 地址不正确：应含 key=…（8–128 位字母、数字）', 'Not a WeCom webhook: it should contain key=…')
                            : t(
                                'Webhook 地址不正确：应含 access_token=…（8–128 位字母、数字）',
                                'Not a DingTalk webhook: it should contain access_token=…',
                              ),
                        ),
                      );
                },
              },
            ]}
          >
            <Input.Password autoComplete="off" placeholder={editing !== 'new' && editing ? editing.secretHint : undefined} />
          </Form.Item>
          {provider === 'dingtalk' && (
            <Form.Item
              name="signSecret"
              label={t('加签密钥（可选）', 'Signing secret (optional)')}
              extra={t(
                '钉钉机器人安全设置选择“加签”时填写，以 SEC 开头',
                'When the robot’s security setting is “signing”: starts with SEC',
              )}
              rules={[
                {
                  pattern: /^\s*SEC[A-Za-z0-9]{8,125}\s*$/,
                  message: t('加签密钥应以 SEC 开头，后接字母或数字', 'The signing secret starts with SEC followed by letters or digits'),
                },
              ]}
            >
              <Input.Password autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item
            name="kinds"
            label={t('推送哪些通知', 'Which notifications to push')}
            rules={[{ required: true, type: 'array', min: 1, message: t('请至少选择一类通知', 'Choose at least one kind') }]}
          >
            <KindsField
              label={t('推送哪些通知', 'Which notifications to push')}
              options={Object.keys(NOTIFICATION_KIND).map((k) => ({ value: k, label: kindLabel(k) }))}
            />
          </Form.Item>
          <Form.Item name="enabled" label={t('启用', 'Enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
