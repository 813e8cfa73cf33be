import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { errorKind, type InboundMessage, type WebhookContext, type WebhookVerdict } from '@tongfa/plugin-sdk';
import { createTestHost, SandboxClient, startSimulators, type RunningSimulators } from '@tongfa/plugin-sdk/testing';
import { parseWechatXml, wechatSignature } from './messages';
import { wechatPlugin as plugin } from './plugin';
import { createWechatSimulator, type WechatSimulator } from './simulator';

const TOKEN = 'inbox-spec-token';

describe('WeChat inbox: pushes through HTTP, message kinds, reply limits', () => {
  let sim: WechatSimulator;
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  let hub: Server;
  let hubUrl: string;
  const verdicts: WebhookVerdict[] = [];
  let slowFirst = 0;
  let held: (() => void) | undefined;

  const ctx: WebhookContext = {
    credentials: { callbackToken: TOKEN },
    settings: {},
    clock: { now: () => sim.now() },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  };

  before(async () => {
    sim = createWechatSimulator({ callbackToken: TOKEN });
    running = await startSimulators([sim]);
    sandbox = new SandboxClient(running.url);
    // A minimal hub: verifies with the plugin, answers its response (the first `slowFirst` pushes too late).
    hub = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url!, 'http://hub');
        void plugin.handleWebhook!(ctx, {
          method: req.method as 'GET' | 'POST',
          query: Object.fromEntries(url.searchParams),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          rawBody: Buffer.concat(chunks),
        }).then((v) => {
          verdicts.push(v);
          const answer = () => {
            if (res.destroyed) return;
            res.writeHead(v.response.status, { 'content-type': v.response.contentType ?? 'text/plain' });
            res.end(v.response.body);
          };
          // A hub too slow for the first push: its answer is held until the platform's retry arrives
          // (the platform has given up on it by then), so no timer decides the outcome.
          if (slowFirst > 0) {
            slowFirst--;
            held = answer;
          } else {
            held?.();
            held = undefined;
            answer();
          }
        });
      });
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/webhooks/wechat`;
  });
  after(async () => {
    held?.();
    await running.close();
    hub.closeAllConnections();
    await new Promise<void>((r) => hub.close(() => r()));
  });

  it('the handshake passes through HTTP; a push answered too late is retried with the same MsgId', async () => {
    const ok = await sandbox.webhookChallenge('wechat', { url: hubUrl });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    const account = await sandbox.createAccount('wechat', '某区发布');
    slowFirst = 1;
    const before = verdicts.length;
    const m = await sandbox.sendMessage('wechat', {
      account: account.id,
      from: 'oCitizen1',
      text: '请问户籍窗口周六上班吗？',
      url: hubUrl,
      timeoutMs: 200,
    });
    assert.deepEqual(
      m.deliveries.map((d) => d.status ?? d.error),
      ['timeout', 200],
    );
    const got = verdicts.slice(before).flatMap((v) => (v.kind === 'accepted' ? v.messages : []));
    assert.equal(got.length, 2, 'both tries reached the hub');
    assert.equal(got[0].messageId, got[1].messageId, 'the retry carries the same MsgId');
    assert.equal(got[0].platformAccountId, account.credentials.originalId);
    assert.equal(got[0].text, '请问户籍窗口周六上班吗？');
  });

  it('describes non-text kinds in Chinese and keeps system events out of the inbox', async () => {
    const account = await sandbox.createAccount('wechat', '某县发布');
    const parsed: InboundMessage[] = [];
    for (const [kind, text] of [
      ['image', ''],
      ['voice', '我想咨询医保'],
      ['event', 'subscribe'],
    ] as const) {
      const m = await sandbox.sendMessage('wechat', { account: account.id, from: 'oCitizen2', kind, text, deliver: false });
      const push = await sandbox.messagePush('wechat', m.id);
      const v = await plugin.handleWebhook!(ctx, {
        method: 'POST',
        query: push.query!,
        headers: push.headers,
        rawBody: Buffer.from(push.body),
      });
      assert.equal(v.kind, 'accepted');
      if (v.kind === 'accepted') parsed.push(...v.messages);
    }
    assert.deepEqual(
      parsed.map((p) => [p.kind, p.text]),
      [
        ['image', '[图片]'],
        ['voice', '[语音] 我想咨询医保'],
        ['event', '[事件] 关注'],
      ],
    );
    const timestamp = '1700000000';
    const nonce = '42';
    const signed = { signature: wechatSignature(TOKEN, timestamp, nonce), timestamp, nonce };
    const job = `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oSys]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event></xml>`;
    const sys = await plugin.handleWebhook!(ctx, { method: 'POST', query: signed, headers: {}, rawBody: Buffer.from(job) });
    assert.deepEqual(sys.kind === 'accepted' ? sys.messages : 'not accepted', []);
    const enc = await plugin.handleWebhook!(ctx, {
      method: 'POST',
      query: { ...signed, encrypt_type: 'aes' },
      headers: {},
      rawBody: Buffer.from(job),
    });
    assert.equal(enc.kind, 'rejected');
    assert.deepEqual(parseWechatXml('<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><B>1 &amp; 2</B></xml>'), { A: 'x]]>y', B: '1 & 2' });
  });

  it('reads a CDATA value split around `]]>`, entities and nested events, and refuses a DOCTYPE, oversize or broken XML', async () => {
    const split = parseWechatXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <Content><![CDATA[请问<b>]]]]><![CDATA[>何时]]]]><![CDATA[>办理]]></Content>\n' +
        '  <Label>&#x5E02;&#27665;&lt;中心&gt;</Label>\n' +
        '  <PublishEventInfo><publish_id>7</publish_id></PublishEventInfo>\n  <MsgType>text</MsgType>\n</xml>',
    );
    assert.deepEqual(split, { Content: '请问<b>]]>何时]]>办理', Label: '市民<中心>', PublishEventInfo: '', MsgType: 'text' });
    // A DTD with an internal entity (billion laughs) or an external one (XXE) is never processed.
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>&b;</Content></xml>';
    const xxe =
      '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName>' +
      '<MsgType>text</MsgType><Content>&x;</Content></xml>';
    assert.equal(parseWechatXml(laughs), null);
    assert.equal(parseWechatXml(xxe), null);
    // An undeclared entity stays text: nothing is looked up.
    assert.equal(parseWechatXml('<xml><Content>&x;</Content></xml>')?.Content, '&x;');
    assert.equal(parseWechatXml(`<xml><Content>${'长'.repeat(30_000)}</Content></xml>`), null);
    assert.equal(parseWechatXml('<xml><Content>cut off'), null);
    assert.equal(parseWechatXml('<html><Content>x</Content></html>'), null);
    assert.equal(parseWechatXml('<xml></xml><xml></xml>'), null);
    assert.equal(parseWechatXml('not xml at all'), null);
    const timestamp = '1700000001';
    const nonce = '43';
    const signed = { signature: wechatSignature(TOKEN, timestamp, nonce), timestamp, nonce };
    for (const rawBody of [Buffer.from(laughs), Buffer.from(xxe), Buffer.alloc(70 * 1024, 0x20)]) {
      const v = await plugin.handleWebhook!(ctx, { method: 'POST', query: signed, headers: {}, rawBody });
      assert.equal(v.kind, 'rejected', 'a hostile push must be refused');
      assert.ok(v.response.status >= 400);
    }
  });

  it('refuses the 21st reply before the citizen writes again (45047), as a permanent error', async () => {
    const account = await sandbox.createAccount('wechat', '某镇发布');
    const host = createTestHost({ plugin, credentials: account.credentials, endpoints: sim.endpointsFor(running.url, ['api']) });
    await host.refresh();
    await sandbox.sendMessage('wechat', { account: account.id, from: 'oCitizen3', text: '你好', deliver: false });
    for (let i = 0; i < 20; i++) {
      await host.call((c) => plugin.sendMessage!(c, { conversationId: 'oCitizen3', text: `回复${i}`, idempotencyKey: `k${i}` }));
    }
    const e = await host
      .call((c) => plugin.sendMessage!(c, { conversationId: 'oCitizen3', text: '第21条', idempotencyKey: 'k20' }))
      .then(
        () => null,
        (err: unknown) => err,
      );
    assert.equal(errorKind(e), 'permanent');
    assert.equal((e as { platformCode?: unknown }).platformCode, 45047);
    assert.equal((await sandbox.replies('wechat', { account: account.id, kind: 'message' })).length, 20);
  });
});
