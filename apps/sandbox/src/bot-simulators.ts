import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A message a simulated group received. */
export interface BotMessageRecord {
  id: number;
  provider: 'wecom' | 'dingtalk';
  /** The webhook key (WeCom) or access token (DingTalk) it arrived on. */
  hook: string;
  msgtype: string;
  title: string | null;
  content: string;
  receivedAt: string;
}

interface Robot {
  accessToken: string;
  secret: string | null;
}

/**
 * Simulators of the two group bots units use, on the sandbox's port:
 * - 政务微信 / 企业微信 group bot: `POST /_bots/wecom/cgi-bin/webhook/send?key=…` (point
 *   TONGFA_WECOM_BOT_URL at `<sandbox>/_bots/wecom`). Unknown key → errcode 93000 "invalid webhook url".
 * - 钉钉 custom robot: `POST /_bots/dingtalk/robot/send?access_token=…[&timestamp=&sign=]` (point
 *   TONGFA_DINGTALK_BOT_URL at `<sandbox>/_bots/dingtalk`). Unknown token → 300001 "token is not
 *   exist"; a robot with 加签 checks HMAC-SHA256(timestamp + "\n" + secret) → 310000 "sign not
 *   match", and a timestamp more than an hour away → 310000 "invalid timestamp".
 * Inspection: `POST /_sandbox/bots/wecom/hooks` → `{key}`, `POST /_sandbox/bots/dingtalk/robots
 * {sign?: boolean}` → `{accessToken, secret?}`, `GET /_sandbox/bots/messages`, and
 * `PUT /_sandbox/bots/faults {busy: n}` (the next n sends answer -1 "system busy").
 */
export function createBotSimulators(now: () => number = Date.now) {
  const hooks = new Set<string>();
  const robots = new Map<string, Robot>();
  const messages: BotMessageRecord[] = [];
  let busy = 0;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 64 * 1024) req.destroy(new Error('too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const parse = (raw: string): Record<string, unknown> | null => {
    try {
      const v: unknown = JSON.parse(raw);
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const record = (provider: 'wecom' | 'dingtalk', hook: string, body: Record<string, unknown>) => {
    const msgtype = String(body.msgtype ?? '');
    const part = (body[msgtype] ?? {}) as Record<string, unknown>;
    messages.push({
      id: messages.length + 1,
      provider,
      hook,
      msgtype,
      title: typeof part.title === 'string' ? part.title : null,
      content: String(part.content ?? part.text ?? ''),
      receivedAt: new Date(now()).toISOString(),
    });
  };

  /** Handles the request if it is a bot path; returns false to let the platform simulators have it. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (!path.startsWith('/_bots/') && !path.startsWith('/_sandbox/bots/')) return false;
    const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : '';

    if (path === '/_sandbox/bots/wecom/hooks' && req.method === 'POST') {
      const key = `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(6).toString('hex')}`;
      hooks.add(key);
      json(res, 201, { key });
      return true;
    }
    if (path === '/_sandbox/bots/dingtalk/robots' && req.method === 'POST') {
      const sign = parse(body || '{}')?.sign === true;
      const robot = { accessToken: randomBytes(32).toString('hex'), secret: sign ? `SEC${randomBytes(32).toString('hex')}` : null };
      robots.set(robot.accessToken, robot);
      json(res, 201, robot.secret ? robot : { accessToken: robot.accessToken });
      return true;
    }
    if (path === '/_sandbox/bots/messages' && req.method === 'GET') {
      json(res, 200, messages);
      return true;
    }
    if (path === '/_sandbox/bots/faults' && req.method === 'PUT') {
      busy = Number(parse(body)?.busy ?? 0) || 0;
      json(res, 200, { busy });
      return true;
    }

    if (path === '/_bots/wecom/cgi-bin/webhook/send' && req.method === 'POST') {
      const key = url.searchParams.get('key') ?? '';
      if (!hooks.has(key)) {
        json(res, 200, {
          errcode: 93000,
          errmsg: 'invalid webhook url, hint: [sandbox], more info at https://open.work.weixin.qq.com/devtool/query?e=93000',
        });
        return true;
      }
      const msg = parse(body);
      if (!msg) return (json(res, 200, { errcode: 40001, errmsg: 'invalid json' }), true);
      if (busy > 0) return (busy--, json(res, 200, { errcode: -1, errmsg: 'system busy' }), true);
      if (msg.msgtype === 'markdown') {
        const content = (msg.markdown as { content?: unknown } | undefined)?.content;
        if (typeof content !== 'string' || !content) return (json(res, 200, { errcode: 41009, errmsg: 'missing markdown content' }), true);
        if (Buffer.byteLength(content) > 4096)
          return (json(res, 200, { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' }), true);
      }
      record('wecom', key, msg);
      json(res, 200, { errcode: 0, errmsg: 'ok' });
      return true;
    }

    if (path === '/_bots/dingtalk/robot/send' && req.method === 'POST') {
      const token = url.searchParams.get('access_token') ?? '';
      const robot = robots.get(token);
      if (!robot) return (json(res, 200, { errcode: 300001, errmsg: 'token is not exist' }), true);
      if (robot.secret) {
        const ts = Number(url.searchParams.get('timestamp'));
        const sign = url.searchParams.get('sign') ?? '';
        if (!Number.isFinite(ts) || Math.abs(now() - ts) > 3600_000) {
          json(res, 200, { errcode: 310000, errmsg: 'invalid timestamp' });
          return true;
        }
        const expected = Buffer.from(createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`).digest('base64'));
        const given = Buffer.from(sign);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          json(res, 200, { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' });
          return true;
        }
      }
      const msg = parse(body);
      if (!msg) return (json(res, 200, { errcode: 40035, errmsg: '缺少参数 json' }), true);
      if (busy > 0) return (busy--, json(res, 200, { errcode: -1, errmsg: 'system busy' }), true);
      record('dingtalk', token, msg);
      json(res, 200, { errcode: 0, errmsg: 'ok' });
      return true;
    }
    json(res, 404, { error: 'not_found', message: `no bot simulator for ${path}` });
    return true;
  }

  return { handle, messages };
}
