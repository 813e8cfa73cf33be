import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig } from '@tongfa/core';
import { createHttpClient, isEgressRefusal, type HttpClient } from '@tongfa/plugin-sdk';
import { BotProvider } from './entities';

export type BotTarget =
  { provider: BotProvider.WeCom; key: string } | { provider: BotProvider.DingTalk; accessToken: string; signSecret?: string };

export interface BotMessage {
  title: string;
  /** Markdown. */
  text: string;
}

export interface BotResult {
  ok: boolean;
  /** Retrying cannot help (a wrong key, a bad signature): the delivery fails at once. */
  permanent: boolean;
  /** The platform's errcode, or `http_<status>` / `network`. */
  code: string;
  message: string;
}

/** Sends a markdown message to a group bot. One real adapter (HTTP); tests use it against the sandbox's simulators. */
export abstract class BotTransport {
  abstract send(target: BotTarget, msg: BotMessage, now: Date): Promise<BotResult>;
}

/**
 * 钉钉 加签: HMAC-SHA256 over `timestamp + "\n" + secret` keyed by the secret, base64 (the caller
 * URL-encodes it as a query parameter).
 */
export function dingTalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

// Errors worth another try later: WeCom 45009 / DingTalk 130101 (sending too fast), -1 (system busy).
const TRANSIENT_CODES = new Set(['-1', '45009', '130101']);

/**
 * HTTP adapter. Egress: the two bot hosts, at public addresses only, plus the origins configured in
 * TONGFA_WECOM_BOT_URL / TONGFA_DINGTALK_BOT_URL (the operator's choice; the demo's sandbox by default). The
 * key, token and signature are redacted from every error the client raises.
 */
@Injectable()
export class HttpBotTransport extends BotTransport {
  private wecom: string;
  private dingtalk: string;
  private readonly demoSandbox: boolean;

  constructor(config: AppConfig) {
    super();
    const urls = config.botUrls;
    this.wecom = urls.wecom.replace(/\/$/, '');
    this.dingtalk = urls.dingtalk.replace(/\/$/, '');
    this.demoSandbox = urls.fromSandbox;
  }

  /**
   * The demo's sandbox as it actually listens (SANDBOX_PORT=0 picks a free port): bots follow it
   * unless the operator configured their URLs. Returns whether they now point there.
   */
  useDemoSandbox(sandboxUrl: string): boolean {
    if (!this.demoSandbox) return false;
    const base = sandboxUrl.replace(/\/$/, '');
    this.wecom = `${base}/_bots/wecom`;
    this.dingtalk = `${base}/_bots/dingtalk`;
    return true;
  }

  private client(redact: string[]): HttpClient {
    return createHttpClient({
      allowedHosts: ['qyapi.weixin.qq.com', 'oapi.dingtalk.com'],
      allowedOrigins: [new URL(this.wecom).origin, new URL(this.dingtalk).origin],
      timeoutMs: 10_000,
      redact,
      headers: { 'user-agent': 'Tongfa-Notify/0.1' },
    });
  }

  async send(target: BotTarget, msg: BotMessage, now: Date): Promise<BotResult> {
    try {
      if (target.provider === BotProvider.WeCom) {
        const res = await this.client([target.key]).request({
          method: 'POST',
          url: `${this.wecom}/cgi-bin/webhook/send`,
          query: { key: target.key },
          json: { msgtype: 'markdown', markdown: { content: `**${msg.title}**\n${msg.text}` } },
        });
        return this.result(res.status, res.body);
      }
      const query: Record<string, string> = { access_token: target.accessToken };
      const secrets = [target.accessToken];
      if (target.signSecret) {
        const ts = now.getTime();
        query.timestamp = String(ts);
        query.sign = dingTalkSign(ts, target.signSecret);
        secrets.push(target.signSecret, query.sign, encodeURIComponent(query.sign));
      }
      const res = await this.client(secrets).request({
        method: 'POST',
        url: `${this.dingtalk}/robot/send`,
        query,
        json: { msgtype: 'markdown', markdown: { title: msg.title, text: `### ${msg.title}\n${msg.text}` } },
      });
      return this.result(res.status, res.body);
    } catch (e) {
      // Network trouble or an egress refusal; the client has redacted the secrets from the message.
      const message = e instanceof Error ? e.message : String(e);
      return {
        ok: false,
        permanent: isEgressRefusal(e),
        code: isEgressRefusal(e) ? 'egress_refused' : 'network',
        message: message.slice(0, 200),
      };
    }
  }

  private result(status: number, body: string): BotResult {
    if (status >= 500 || status === 429) return { ok: false, permanent: false, code: `http_${status}`, message: body.slice(0, 200) };
    let parsed: { errcode?: number; errmsg?: string } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return { ok: false, permanent: status >= 400, code: `http_${status}`, message: body.slice(0, 200) };
    }
    const code = String(parsed.errcode ?? (status >= 400 ? `http_${status}` : 0));
    if (code === '0') return { ok: true, permanent: false, code, message: 'ok' };
    return { ok: false, permanent: !TRANSIENT_CODES.has(code), code, message: String(parsed.errmsg ?? '').slice(0, 200) };
  }
}
