import type { PluginCallError } from '@tongfa/plugins';

const BY_KIND: Record<string, string> = {
  rate_limited: '平台限流',
  transient: '平台暂时不可用',
  auth_expired: '账号授权已失效',
  content_invalid: '稿件不符合平台要求',
  rejected_by_review: '平台审核未通过',
  permanent: '平台拒绝了本次请求',
  ambiguous: '平台未给出明确结果',
};

/** Only a short code-like token from a platform is repeated to users, never free text. */
const CODE = /^[A-Za-z0-9_.:-]{1,32}$/;

export function clipPlatformText(text: string, max: number): string {
  // Plain text on one line: no markup or control characters from outside reach the console.
  const flat = text
    .replace(/<[^>]*>/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * What an editor may read about a failed platform call (a target's lastError): our own words by
 * the error's kind, the platform's error code, the platform review's verdict (which the editor must
 * read to fix the manuscript, bounded) and the plugin's constraint findings. Never the plugin's
 * message itself: built-in plugins quote the platform's response there, and a response body is
 * never echoed to a client; the full message stays in the attempt row and the logs.
 */
export function publicReason(err: PluginCallError | null | undefined): string {
  if (!err) return '原因不明';
  if (err.extra.byHost) return err.message.split(' / ')[0]!;
  let text = BY_KIND[err.kind] ?? '插件调用失败';
  if (err.extra.egressRefused) text = '插件试图访问不允许的地址，已拦截';
  else if (err.extra.timedOut) text = '平台响应超时';
  else if (err.extra.notConnected) text = '账号未连接平台';
  else if (err.extra.unsupported) text = '该平台不支持此操作';
  if (err.kind === 'content_invalid' && err.extra.violations?.length) {
    text += `：${clipPlatformText(err.extra.violations.map((v) => v.message).join('；'), 300)}`;
  } else if (err.kind === 'rejected_by_review' && err.extra.reason) {
    text += `：${clipPlatformText(err.extra.reason, 120)}`;
  }
  const code = err.extra.platformCode;
  if (code !== undefined && CODE.test(String(code))) text += `（平台错误码 ${code}）`;
  return text;
}
