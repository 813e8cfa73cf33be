import { createHash, timingSafeEqual } from 'node:crypto';
import type { InboundMessage, InboundMessageKind, WebhookContext, WebhookRequest, WebhookVerdict } from '@tongfa/plugin-sdk';

/** The callback signature: sha1 of token, timestamp and nonce sorted and joined (公众号「服务器配置」). */
export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The top-level fields of a push's `<xml>` document, CDATA or plain. WeChat's message XML is flat (nested
 * elements only in some events, which are not read here), so a full XML parser is not needed.
 */
export function parseWechatXml(body: string): Record<string, string> | null {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(body);
  if (!root) return null;
  const fields: Record<string, string> = {};
  // A value is plain text or one or more CDATA sections (a `]]>` inside the text splits it in two).
  const re = /<([A-Za-z][\w]*)>((?:<!\[CDATA\[[\s\S]*?\]\]>)+|[^<]*)<\/\1>/g;
  for (let m = re.exec(root[1]); m; m = re.exec(root[1])) {
    const v = m[2];
    fields[m[1]] ??= v.startsWith('<![CDATA[')
      ? [...v.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((c) => c[1]).join('')
      : decodeEntities(v);
  }
  return fields;
}

const decodeEntities = (t: string) =>
  t
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

// Events about our own jobs, not from a citizen: acknowledged, never an inbox message.
const SYSTEM_EVENTS = new Set(['PUBLISHJOBFINISH', 'MASSSENDJOBFINISH', 'TEMPLATESENDJOBFINISH', 'VIEW_MINIPROGRAM']);

const EVENT_ZH: Record<string, string> = {
  subscribe: '关注',
  unsubscribe: '取消关注',
  SCAN: '扫码',
  CLICK: '点击菜单',
  VIEW: '点击菜单链接',
  LOCATION: '上报位置',
};

function describe(f: Record<string, string>): { kind: InboundMessageKind; text: string } | null {
  switch (f.MsgType) {
    case 'text':
      return { kind: 'text', text: f.Content ?? '' };
    case 'image':
      return { kind: 'image', text: '[图片]' };
    case 'voice':
      // With speech recognition enabled WeChat adds the transcript.
      return { kind: 'voice', text: f.Recognition ? `[语音] ${f.Recognition}` : '[语音]' };
    case 'video':
    case 'shortvideo':
      return { kind: 'video', text: '[视频]' };
    case 'location':
      return { kind: 'other', text: `[位置] ${f.Label ?? ''}`.trim() };
    case 'link':
      return { kind: 'other', text: `[链接] ${f.Title ?? ''} ${f.Url ?? ''}`.trim() };
    case 'event': {
      if (SYSTEM_EVENTS.has(f.Event ?? '')) return null;
      const name = EVENT_ZH[f.Event ?? ''] ?? f.Event ?? '未知';
      return { kind: 'event', text: `[事件] ${name}${f.EventKey ? ` ${f.EventKey}` : ''}` };
    }
    default:
      return { kind: 'other', text: `[${f.MsgType ?? '未知'}消息]` };
  }
}

const text = (status: number, body: string) => ({ status, contentType: 'text/plain; charset=utf-8', body });

/**
 * Verifies and parses a push to the hub's callback URL in plain-text mode (明文模式): the GET handshake
 * echoes `echostr`, a POST carries one message or event as XML. Safe mode (encrypt_type=aes) is refused.
 */
export async function handleWechatWebhook(ctx: WebhookContext, req: WebhookRequest): Promise<WebhookVerdict> {
  const token = ctx.credentials.callbackToken;
  if (!token) {
    ctx.log.error('wechat webhook: callbackToken is not configured');
    return { kind: 'rejected', reason: '未配置服务器令牌（Token）/ callbackToken not configured', response: text(503, '') };
  }
  const { signature = '', timestamp = '', nonce = '' } = req.query;
  if (!signature || !timestamp || !nonce || !sameHex(wechatSignature(token, timestamp, nonce), signature.toLowerCase())) {
    return { kind: 'rejected', reason: '签名不符 / signature mismatch', response: text(403, '') };
  }
  if (req.method === 'GET') {
    const echostr = req.query.echostr;
    if (!echostr) return { kind: 'rejected', reason: '缺少 echostr / echostr missing', response: text(400, '') };
    return { kind: 'challenge', response: text(200, echostr) };
  }
  if (req.query.encrypt_type && req.query.encrypt_type !== 'raw') {
    return {
      kind: 'rejected',
      reason: '不支持安全模式（加密消息），请在公众号后台选择明文模式 / safe (encrypted) mode is not supported',
      response: text(400, ''),
    };
  }
  const f = parseWechatXml(req.rawBody.toString('utf8'));
  if (!f || !f.ToUserName || !f.FromUserName || !f.MsgType) {
    return { kind: 'rejected', reason: '无法解析消息 XML / unparseable message XML', response: text(400, '') };
  }
  const d = describe(f);
  const createdAt = Number(f.CreateTime) * 1000;
  const messages: InboundMessage[] = d
    ? [
        {
          // Events carry no MsgId; WeChat's advice is to dedupe them by sender and CreateTime.
          messageId: f.MsgId ?? `${f.FromUserName}:${f.CreateTime}:${f.Event ?? f.MsgType}`,
          platformAccountId: f.ToUserName,
          conversationId: f.FromUserName,
          text: d.text,
          kind: d.kind,
          createdAt: Number.isFinite(createdAt) && createdAt > 0 ? createdAt : ctx.clock.now(),
          raw: f,
        },
      ]
    : [];
  return { kind: 'accepted', messages, response: text(200, 'success') };
}
