import { createHash, timingSafeEqual } from 'node:crypto';
import { Parser } from 'htmlparser2';
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

/** Largest push body read: WeChat's messages are a few hundred bytes (text content at most 2048). */
export const MAX_PUSH_XML_BYTES = 64 * 1024;

/**
 * The top-level fields of a push's `<xml>` document, CDATA or plain, or null when it is not one.
 * Parsed by htmlparser2 in XML mode (already a dependency of this plugin): CDATA sections, the five
 * predefined entities and character references are handled by the parser, nested elements (some
 * events) are skipped. No DTD is ever processed: a document that declares one is refused before
 * parsing, so no entity of the sender's can expand (billion laughs) or reach outside (XXE).
 */
export function parseWechatXml(body: string): Record<string, string> | null {
  if (Buffer.byteLength(body, 'utf8') > MAX_PUSH_XML_BYTES) return null;
  // WeChat never sends a DTD; anything declaring one (or an entity) is not a WeChat push.
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return null;
  const fields: Record<string, string> = {};
  const stack: string[] = [];
  let rootSeen = false;
  let rootClosed = false;
  let stray = false;
  let field: { name: string; text: string } | null = null;
  const parser = new Parser(
    {
      onopentag(name) {
        if (stack.length === 0) {
          if (rootSeen || name !== 'xml') stray = true;
          rootSeen = true;
        } else if (stack.length === 1) field = { name, text: '' };
        stack.push(name);
      },
      ontext(t) {
        if (stack.length === 2 && field) field.text += t;
        else if (stack.length === 0 && t.trim()) stray = true;
      },
      onclosetag(name, implied) {
        // An element the document never closed is malformed: a truncated push is refused whole.
        if (implied) stray = true;
        stack.pop();
        if (stack.length === 1 && field && field.name === name) {
          // The first of a repeated field wins, as before.
          fields[name] ??= field.text;
          field = null;
        }
        if (stack.length === 0 && name === 'xml') rootClosed = true;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(body);
  return rootSeen && rootClosed && !stray ? fields : null;
}

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
  if (req.rawBody.length > MAX_PUSH_XML_BYTES) {
    return { kind: 'rejected', reason: '消息体过大 / push body too large', response: text(413, '') };
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
