import { createHash, timingSafeEqual } from 'node:crypto';
import type { InboundMessage, InboundMessageKind, WebhookContext, WebhookRequest, WebhookVerdict } from '@tongfa/plugin-sdk';

/** X-Douyin-Signature: sha1 of the app's client_secret followed by the raw body, hex. */
export function douyinSignature(clientSecret: string, rawBody: Buffer | string): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(clientSecret, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]))
    .digest('hex');
}

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });

interface DouyinEvent {
  event?: string;
  client_key?: string;
  from_user_id?: string;
  to_user_id?: string;
  content?: unknown;
  log_id?: string;
}

const KIND: Record<string, { kind: InboundMessageKind; zh: string }> = {
  image: { kind: 'image', zh: '[图片]' },
  video: { kind: 'video', zh: '[视频]' },
  voice: { kind: 'voice', zh: '[语音]' },
  emoji: { kind: 'other', zh: '[表情]' },
  card: { kind: 'other', zh: '[卡片]' },
};

/**
 * Verifies and parses a Douyin webhook: every push is a signed JSON POST; `verify_webhook` is the
 * challenge to echo, `im_receive_msg` a private message to one of our accounts (to_user_id = its open_id).
 * Other events are acknowledged and not kept.
 */
export async function handleDouyinWebhook(ctx: WebhookContext, req: WebhookRequest): Promise<WebhookVerdict> {
  const secret = ctx.credentials.client_secret;
  if (!secret) {
    ctx.log.error('douyin webhook: client_secret is not configured');
    return { kind: 'rejected', reason: '未配置 client_secret / client_secret not configured', response: json(503, {}) };
  }
  if (req.method !== 'POST')
    return { kind: 'rejected', reason: '抖音只以 POST 推送 / Douyin pushes by POST only', response: json(405, {}) };
  const given = (req.headers['x-douyin-signature'] ?? '').toLowerCase();
  const want = douyinSignature(secret, req.rawBody);
  if (given.length !== want.length || !timingSafeEqual(Buffer.from(given), Buffer.from(want))) {
    return { kind: 'rejected', reason: '签名不符 / signature mismatch', response: json(403, {}) };
  }
  let ev: DouyinEvent;
  try {
    ev = JSON.parse(req.rawBody.toString('utf8')) as DouyinEvent;
  } catch {
    return { kind: 'rejected', reason: '无法解析 JSON / unparseable JSON', response: json(400, {}) };
  }
  if (!ev || typeof ev !== 'object' || typeof ev.event !== 'string') {
    return { kind: 'rejected', reason: '缺少 event / no event', response: json(400, {}) };
  }
  if (ev.client_key && ctx.credentials.client_key && ev.client_key !== ctx.credentials.client_key) {
    return { kind: 'rejected', reason: '不是本应用的推送 / pushed for another app', response: json(403, {}) };
  }
  const content = typeof ev.content === 'string' ? safeParse(ev.content) : ((ev.content ?? {}) as Record<string, unknown>);
  if (ev.event === 'verify_webhook') {
    return { kind: 'challenge', response: json(200, { challenge: content.challenge }) };
  }
  if (ev.event !== 'im_receive_msg') return { kind: 'accepted', messages: [], response: json(200, {}) };
  if (!ev.from_user_id || !ev.to_user_id)
    return { kind: 'rejected', reason: '缺少收发方 / sender or receiver missing', response: json(400, {}) };
  const type = String(content.message_type ?? 'text');
  const k = type === 'text' ? { kind: 'text' as const, zh: '' } : (KIND[type] ?? { kind: 'other' as const, zh: `[${type}消息]` });
  const createdAt = Number(content.create_time) * 1000;
  const messageId = req.headers['msg-id'] || String(content.server_message_id ?? ev.log_id ?? '');
  if (!messageId) return { kind: 'rejected', reason: '缺少 Msg-Id / Msg-Id missing', response: json(400, {}) };
  const message: InboundMessage = {
    messageId,
    platformAccountId: ev.to_user_id,
    conversationId: ev.from_user_id,
    text: k.kind === 'text' ? String(content.text ?? '') : k.zh,
    kind: k.kind,
    createdAt: Number.isFinite(createdAt) && createdAt > 0 ? createdAt : ctx.clock.now(),
    raw: { ...ev, content },
  };
  return { kind: 'accepted', messages: [message], response: json(200, {}) };
}

function safeParse(s: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(s);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
