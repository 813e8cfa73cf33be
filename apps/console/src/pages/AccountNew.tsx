import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { api, qs } from '../api/client';
import type { Account, Page, PluginManifest, Unit } from '../api/types';
import { PageHeader } from '../components/PageHeader';
import { useLang, useT } from '../lib/i18n';
import { applyFieldErrors, errorText } from '../lib/forms';
import { LEVEL, label } from '../lib/labels';

interface Values {
  unitId: string;
  platform: string;
  name: string;
  platformAccountId?: string;
  exceptionReason?: string;
}

/**
 * A unit admin applies to open an account (开设申请). It stays 申请中 until a supervisor above the
 * unit approves it; the opening is then owed as a filing within 3 days. A second account of the
 * unit on one platform needs a reason (一个单位原则上在同一平台只开设一个账号).
 */
export default function AccountNew() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const [search] = useSearchParams();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [units, setUnits] = useState<Unit[]>([]);
  const [plugins, setPlugins] = useState<PluginManifest[]>([]);
  const [existing, setExisting] = useState<Account[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unitId = Form.useWatch('unitId', form);
  const platform = Form.useWatch('platform', form);

  useEffect(() => {
    Promise.all([api<Page<Unit>>('/units?pageSize=200'), api<{ items: PluginManifest[] }>('/plugins')])
      .then(([u, p]) => {
        setUnits(u.items);
        setPlugins(p.items);
        const preset = search.get('unitId');
        if (preset && u.items.some((x) => x.id === preset)) form.setFieldValue('unitId', preset);
      })
      .catch((e) => setError(errorText(e)));
  }, [form, search]);

  // The one-per-platform rule, known before submitting: a live account there makes the reason required.
  useEffect(() => {
    if (!unitId || !platform) return setExisting([]);
    api<Page<Account>>(`/accounts${qs({ unitId, platform, pageSize: 20 })}`)
      .then((r) => setExisting(r.items.filter((a) => !['cancelled', 'rejected'].includes(a.status))))
      .catch(() => setExisting([]));
  }, [unitId, platform]);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const created = await api<Account>('/accounts', {
        body: {
          unitId: v.unitId,
          platform: v.platform,
          name: v.name.trim(),
          platformAccountId: v.platformAccountId?.trim() || undefined,
          exceptionReason: v.exceptionReason?.trim() || undefined,
        },
      });
      message.success(t('已提交开设申请，待主管单位审批', 'Application sent; a supervisor above the unit approves it'));
      nav(`/accounts/${created.id}`);
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  const unitName = units.find((u) => u.id === unitId)?.name;
  return (
    <div>
      <PageHeader title={t('申请开设账号', 'Apply for a new account')} />
      <Card style={{ maxWidth: 640 }}>
        <Typography.Paragraph type="secondary">
          {t(
            '新开账号须经上级主管单位审批；获批后须在 3 日内向主管单位备案。账号名称应与本单位其他账号一致，并以本单位为认证主体。',
            'A supervisor above the unit approves every new account; once approved, the opening is filed with them within 3 days. Name it like the unit’s other accounts, with the unit as the verified subject.',
          )}
        </Typography.Paragraph>
        {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item
            name="unitId"
            label={t('开设单位', 'Unit')}
            rules={[{ required: true, message: t('请选择开设单位', 'Choose the unit') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={units.map((u) => ({ value: u.id, label: `${u.name}（${label(LEVEL, u.level, lang)}）` }))}
            />
          </Form.Item>
          <Form.Item
            name="platform"
            label={t('平台', 'Platform')}
            rules={[{ required: true, message: t('请选择平台', 'Choose the platform') }]}
          >
            <Select options={plugins.map((p) => ({ value: p.id, label: p.name[lang] }))} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('账号名称', 'Account name')}
            extra={
              unitName
                ? t(`例如“${unitName}发布”，与本单位其他账号名称一致`, `e.g. “${unitName}发布”, matching the unit’s other accounts`)
                : undefined
            }
            rules={[
              { required: true, whitespace: true, message: t('请填写账号名称', 'Enter the account name') },
              { max: 100, message: t('账号名称不能超过 100 个字', 'At most 100 characters') },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="platformAccountId"
            label={t('平台账号 ID（可选）', 'Platform account id (optional)')}
            rules={[{ max: 128, message: t('平台账号 ID 不能超过 128 个字符', 'At most 128 characters') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          {existing.length > 0 && (
            <>
              <Alert
                type="warning"
                style={{ marginBottom: 16 }}
                title={t(
                  `本单位在该平台已有账号：${existing.map((a) => a.name).join('、')}。一个单位原则上在同一平台只开设一个账号，确需开设请说明理由，由主管单位审批。`,
                  `The unit already has ${existing.map((a) => a.name).join(', ')} on this platform. One account per platform is the rule; give the reason for an exception.`,
                )}
              />
              <Form.Item
                name="exceptionReason"
                label={t('另开账号的理由', 'Reason for a second account')}
                rules={[
                  { required: true, whitespace: true, message: t('请填写另开账号的理由', 'Give the reason for a second account') },
                  { max: 500, message: t('理由不能超过 500 个字', 'At most 500 characters') },
                ]}
              >
                <Input.TextArea autoSize={{ minRows: 2 }} />
              </Form.Item>
            </>
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('提交申请', 'Apply')}
            </Button>
            <Button onClick={() => nav('/accounts')}>{t('取消', 'Cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
