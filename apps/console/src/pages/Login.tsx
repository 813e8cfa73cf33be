import { useEffect, useState, useContext } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Alert, Button, Card, Divider, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { api, ApiError } from '../api/client';
import type { TokenResponse } from '../api/types';
import { useSession } from '../lib/session';
import { LangContext, useT } from '../lib/i18n';
import { applyFieldErrors } from '../lib/forms';

interface LoginForm {
  username: string;
  password: string;
  otp?: string;
}

export default function Login() {
  const t = useT();
  const { lang, setLang } = useContext(LangContext);
  const { signIn, me } = useSession();
  const nav = useNavigate();
  const loc = useLocation();
  const [form] = Form.useForm<LoginForm>();
  const [needOtp, setNeedOtp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState(false);
  const from = (loc.state as { from?: string } | null)?.from ?? '/';

  const done = (mustChange: boolean) => nav(mustChange ? '/password' : from, { replace: true });

  useEffect(() => {
    if (me) nav(from, { replace: true });
  }, [me, nav, from]);

  useEffect(() => {
    api<{ enabled: boolean }>('/auth/oidc/config')
      .then((c) => setOidc(c.enabled))
      .catch(() => setOidc(false));
    // Single sign-on came back with a one-time ticket in the fragment (never sent to a server).
    const m = /#ticket=([^&]+)/.exec(window.location.hash);
    if (m) {
      history.replaceState(null, '', '/login');
      setBusy(true);
      api<TokenResponse>('/auth/oidc/ticket', { body: { ticket: decodeURIComponent(m[1]) } })
        .then(async (tok) => {
          await signIn(tok);
          done(tok.mustChangePassword);
        })
        .catch((e) => setError(e instanceof Error ? e.message : String(e)))
        .finally(() => setBusy(false));
    }
  }, []);

  const submit = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const tok = await api<TokenResponse>('/auth/login', {
        body: { username: v.username, password: v.password, ...(v.otp ? { otp: v.otp } : {}) },
      });
      await signIn(tok);
      done(tok.mustChangePassword);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MFA_REQUIRED') {
        setNeedOtp(true);
        setError(
          t(
            '此账号已绑定动态口令，请输入验证器中的 6 位验证码',
            'This account uses a one-time code: enter the 6 digits from your authenticator',
          ),
        );
      } else setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 400 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            统发 Tongfa
          </Typography.Title>
          <Segmented
            aria-label={t('界面语言', 'Language')}
            size="small"
            value={lang}
            onChange={(v) => setLang(v as 'zh' | 'en')}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'EN', value: 'en' },
            ]}
          />
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('政务新媒体矩阵统一发布平台', 'Publishing hub for government new-media matrices')}
        </Typography.Paragraph>
        {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label={t('用户名', 'Username')}
            name="username"
            rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('密码', 'Password')}
            name="password"
            rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
          >
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
          </Form.Item>
          {needOtp && (
            <Form.Item
              label={t('动态验证码', 'One-time code')}
              name="otp"
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('请输入 6 位数字', 'Enter 6 digits') }]}
            >
              <Input prefix={<SafetyOutlined aria-hidden />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('登录', 'Sign in')}
          </Button>
        </Form>
        {oidc && (
          <>
            <Divider plain>{t('或', 'or')}</Divider>
            <Button block href="/api/v1/auth/oidc/login">
              {t('统一身份认证登录', 'Sign in with the provincial identity service')}
            </Button>
          </>
        )}
      </Card>
    </main>
  );
}
