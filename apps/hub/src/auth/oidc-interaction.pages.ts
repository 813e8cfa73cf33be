import { ownValue } from '@tongfa/core';
import { escapeHtml } from '@tongfa/identity';

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f6f8;margin:0;color:#1f2329}
main{max-width:360px;margin:10vh auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.4em;margin:0 0 4px}p.app{color:#555;margin:0 0 20px}label{display:block;margin:14px 0 4px;font-weight:600}
input{box-sizing:border-box;width:100%;padding:9px;font-size:1em;border:1px solid #8a8f99;border-radius:4px}
input:focus,button:focus{outline:3px solid #1d6fd6;outline-offset:1px}.hint{color:#555;font-size:.9em;margin:4px 0 0}
.error{background:#fdecea;color:#8a1c14;border:1px solid #e8a29c;padding:10px;border-radius:4px}
button{margin-top:22px;width:100%;padding:10px;font-size:1em;background:#1d6fd6;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#1d6fd6;border:1px solid #1d6fd6;margin-top:10px}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - 统发</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export interface LoginPageInput {
  uid: string;
  clientName: string;
  username?: string;
  error?: string;
  /** The account needs its one-time code: show the field first and focus it. */
  otpRequired?: boolean;
}

/** The sign-in form of Tongfa's OpenID provider: labelled fields, errors announced to screen readers. */
export function loginPage(p: LoginPageInput): string {
  const err = p.error ? `<p class="error" role="alert" id="form-error">${escapeHtml(p.error)}</p>` : '';
  const described = p.error ? ' aria-describedby="form-error"' : '';
  const focusUser = !p.username ? ' autofocus' : '';
  const focusPassword = p.username && !p.otpRequired ? ' autofocus' : '';
  const focusOtp = p.otpRequired ? ' autofocus' : '';
  return page(
    '统一身份登录',
    `<h1>统一身份登录</h1>
<p class="app">登录后将返回 <strong>${escapeHtml(p.clientName)}</strong></p>
${err}
<form method="post" action="/oidc/interaction/${encodeURIComponent(p.uid)}/login" novalidate${described}>
<label for="username">用户名</label>
<input id="username" name="username" type="text" autocomplete="username" required maxlength="64" value="${escapeHtml(p.username ?? '')}"${focusUser}>
<label for="password">密码</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"${focusPassword}>
<label for="otp">动态验证码${p.otpRequired ? '' : '（已绑定双因素认证时填写）'}</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" aria-describedby="otp-hint"${p.otpRequired ? ' required' : ''}${focusOtp}>
<p class="hint" id="otp-hint">6 位数字，见身份验证器应用</p>
<button type="submit">登录</button>
</form>`,
  );
}

/** Consent for a client that is not one of the matrix's own apps. */
export function consentPage(p: { uid: string; clientName: string; scopes: string[] }): string {
  const names: Record<string, string> = {
    openid: '确认您的身份',
    profile: '姓名和用户名',
    unit: '所在单位（名称、统一社会信用代码）',
    roles: '您在统发中的角色',
    offline_access: '在您离开后继续访问',
  };
  const items = p.scopes.map((s) => `<li>${escapeHtml(ownValue(names, s) ?? s)}</li>`).join('');
  return page(
    '授权确认',
    `<h1>授权确认</h1>
<p class="app"><strong>${escapeHtml(p.clientName)}</strong> 请求获取：</p>
<ul>${items}</ul>
<form method="post" action="/oidc/interaction/${encodeURIComponent(p.uid)}/consent">
<button type="submit" name="decision" value="allow">同意</button>
<button type="submit" name="decision" value="deny" class="secondary">拒绝</button>
</form>`,
  );
}

/** A dead end: the interaction expired or was never this browser's. */
export function interactionErrorPage(message: string): string {
  return page('登录出错', `<h1>登录出错</h1><p class="error" role="alert">${escapeHtml(message)}</p><p>请返回应用重新发起登录。</p>`);
}
