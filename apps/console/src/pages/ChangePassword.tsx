import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { api, setTokens, accessToken } from '../api/client';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { applyFieldErrors } from '../lib/forms';

export default function ChangePassword() {
  const t = useT();
  const { me, reload } = useSession();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ accessToken: string }>('/auth/password', {
        body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
      });
      const refresh = JSON.parse(sessionStorage.getItem('tongfa.tokens') ?? '{}').refreshToken as string;
      if (res.accessToken) setTokens({ accessToken: res.accessToken, refreshToken: refresh });
      else if (!accessToken()) setTokens(null);
      await reload();
      message.success(t('密码已修改', 'Password changed'));
      nav('/', { replace: true });
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 480 }}>
      <Typography.Title level={1} style={{ fontSize: 20 }}>
        {t('修改密码', 'Change password')}
      </Typography.Title>
      {me?.mustChangePassword && (
        <Alert
          type="warning"
          style={{ marginBottom: 16 }}
          title={t('首次登录或密码已重置，请先设置新密码', 'Set a new password before you continue')}
        />
      )}
      {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          label={t('当前密码', 'Current password')}
          name="currentPassword"
          rules={[{ required: true, message: t('请输入当前密码', 'Required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label={t('新密码', 'New password')}
          name="newPassword"
          extra={t('至少 10 位，含大小写字母、数字和符号中的三类', 'At least 10 characters, three of: upper, lower, digit, symbol')}
          rules={[{ required: true, message: t('请输入新密码', 'Required') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('确认新密码', 'Repeat new password')}
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('请再次输入新密码', 'Required') },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                v === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('两次输入不一致', 'The passwords differ'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('保存', 'Save')}
        </Button>
      </Form>
    </Card>
  );
}
