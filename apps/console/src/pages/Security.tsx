import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Form, Input, QRCode, Space, Steps, Typography } from 'antd';
import { api, setTokens } from '../api/client';
import type { TotpSetup } from '../api/types';
import { PageHeader } from '../components/PageHeader';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { applyFieldErrors } from '../lib/forms';

/**
 * One's own sign-in security: enrol a TOTP authenticator (scan the QR code or type the secret,
 * confirm with a first code, keep the ten recovery codes shown once), or remove it with the
 * password and a current code or a recovery code.
 */
export default function Security() {
  const t = useT();
  const { me, reload } = useSession();
  const { message } = App.useApp();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [activateForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ password: string; otp?: string; recoveryCode?: string }>();
  const enrolled = !!me?.totpEnabled && !codes;

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setSetup(await api<TotpSetup>('/auth/totp/setup', { method: 'POST' }));
      activateForm.resetFields();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const activate = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ recoveryCodes: string[]; accessToken?: string }>('/auth/totp/activate', { body: { code: v.code.trim() } });
      // The session may have been held to enrolment only: the fresh token lifts that.
      if (r.accessToken) {
        const refresh = (JSON.parse(sessionStorage.getItem('tongfa.tokens') ?? '{}') as { refreshToken?: string }).refreshToken;
        if (refresh) setTokens({ accessToken: r.accessToken, refreshToken: refresh });
      }
      setCodes(r.recoveryCodes);
      setSetup(null);
      await reload();
    } catch (e) {
      setError(applyFieldErrors(activateForm, e));
    } finally {
      setBusy(false);
    }
  };

  const disable = async (v: { password: string; otp?: string; recoveryCode?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api('/auth/totp', {
        method: 'DELETE',
        body: { password: v.password, otp: v.otp?.trim() || undefined, recoveryCode: v.recoveryCode?.trim() || undefined },
      });
      message.success(t('已解除动态口令', 'Two-factor sign-in removed'));
      disableForm.resetFields();
      await reload();
    } catch (e) {
      setError(applyFieldErrors(disableForm, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title={t('账号安全', 'Sign-in security')} />
      <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 720 }}>
        {me?.restriction === 'mfa_enrollment' && (
          <Alert
            type="warning"
            title={t('你的角色要求绑定动态口令，完成绑定后才能继续使用。', 'Your role requires a second factor: enrol it to continue.')}
          />
        )}
        {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('密码', 'Password')}</h2>}>
          <Link to="/password">{t('修改密码', 'Change password')}</Link>
        </Card>
        <Card
          title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('动态口令（两步验证）', 'Authenticator (two-step sign-in)')}</h2>}
          data-testid="totp"
        >
          {codes ? (
            <>
              <Alert
                type="success"
                style={{ marginBottom: 12 }}
                title={t(
                  '动态口令已启用。以下 10 个恢复码只显示这一次，每个只能用一次，请抄写或打印后妥善保管。',
                  'Enabled. These 10 recovery codes are shown this once and each works once: write them down and keep them safe.',
                )}
              />
              <Typography.Paragraph copyable={{ text: codes.join('\n') }}>
                <ol data-testid="recovery-codes" style={{ columns: 2, fontFamily: 'monospace', fontSize: 16 }}>
                  {codes.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ol>
              </Typography.Paragraph>
              <Button type="primary" onClick={() => setCodes(null)}>
                {t('我已保存恢复码', 'I have stored them')}
              </Button>
            </>
          ) : enrolled ? (
            <>
              <Typography.Paragraph>
                {t('已绑定。登录时除密码外还须输入动态验证码。', 'Enrolled: signing in asks for a code as well as the password.')}
              </Typography.Paragraph>
              <Typography.Title level={3} style={{ fontSize: 15 }}>
                {t('解除绑定', 'Remove')}
              </Typography.Title>
              <Form form={disableForm} layout="vertical" onFinish={(v) => void disable(v)} style={{ maxWidth: 400 }}>
                <Form.Item
                  name="password"
                  label={t('登录密码', 'Password')}
                  rules={[{ required: true, message: t('请输入登录密码', 'Enter your password') }]}
                >
                  <Input.Password autoComplete="current-password" />
                </Form.Item>
                <Form.Item
                  name="otp"
                  label={t('动态验证码', 'One-time code')}
                  rules={[
                    { pattern: /^\d{6}$/, message: t('动态验证码为 6 位数字', 'The code is 6 digits') },
                    ({ getFieldValue }) => ({
                      validator: (_, v) =>
                        v || getFieldValue('recoveryCode')
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('请输入动态验证码或恢复码', 'Enter a code or a recovery code'))),
                    }),
                  ]}
                >
                  <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
                </Form.Item>
                <Form.Item
                  name="recoveryCode"
                  label={t('或恢复码', 'Or a recovery code')}
                  rules={[{ max: 32, message: t('恢复码不超过 32 个字符', 'At most 32 characters') }]}
                >
                  <Input autoComplete="off" />
                </Form.Item>
                <Button danger htmlType="submit" loading={busy}>
                  {t('解除动态口令', 'Remove two-factor sign-in')}
                </Button>
              </Form>
            </>
          ) : !setup ? (
            <>
              <Typography.Paragraph>
                {t(
                  '绑定后，登录时除密码外还须输入手机验证器（如微信小程序“腾讯身份验证器”、Google Authenticator）上的 6 位动态码。',
                  'Once enrolled, signing in also asks for the 6-digit code of an authenticator app.',
                )}
              </Typography.Paragraph>
              <Button type="primary" onClick={() => void start()} loading={busy}>
                {t('开始绑定', 'Start enrolment')}
              </Button>
            </>
          ) : (
            <>
              <Steps
                orientation="vertical"
                size="small"
                current={1}
                items={[
                  { title: t('用验证器扫描二维码，或手动输入密钥', 'Scan the QR code with the app, or type the secret') },
                  { title: t('输入验证器显示的 6 位动态码完成绑定', 'Enter the 6-digit code it shows') },
                ]}
              />
              <Space wrap align="start" size="large" style={{ marginTop: 12 }}>
                <QRCode
                  value={setup.otpauthUrl}
                  size={180}
                  bordered
                  aria-label={t('绑定二维码', 'Enrolment QR code')}
                  data-testid="totp-qr"
                />
                <div style={{ maxWidth: 380 }}>
                  <Typography.Paragraph>
                    {t('密钥：', 'Secret: ')}
                    <Typography.Text code copyable data-testid="totp-secret">
                      {setup.secret}
                    </Typography.Text>
                  </Typography.Paragraph>
                  <Typography.Paragraph type="secondary" style={{ wordBreak: 'break-all', fontSize: 12 }}>
                    {setup.otpauthUrl}
                  </Typography.Paragraph>
                  <Form form={activateForm} layout="vertical" onFinish={(v) => void activate(v)}>
                    <Form.Item
                      name="code"
                      label={t('动态验证码', 'One-time code')}
                      rules={[
                        { required: true, message: t('请输入动态验证码', 'Enter the code') },
                        { pattern: /^\d{6}$/, message: t('动态验证码为 6 位数字', 'The code is 6 digits') },
                      ]}
                    >
                      <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ width: 160 }} />
                    </Form.Item>
                    <Button type="primary" htmlType="submit" loading={busy}>
                      {t('完成绑定', 'Enable')}
                    </Button>
                  </Form>
                </div>
              </Space>
            </>
          )}
        </Card>
      </Space>
    </div>
  );
}
