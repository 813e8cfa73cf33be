import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SandboxClient } from './sandbox-client';
import { createSimulator, startSimulators, type RunningSimulators } from './simulator-harness';

const SECRET = 'gamma-secret';
const sign = (body: string) =>
  createHash('sha1')
    .update(SECRET + body)
    .digest('hex');

/** A platform that pushes messages as signed JSON, retries 3 times, and answers within a 48 h window. */
const gamma = () =>
  createSimulator({
    platform: 'gamma',
    createAccount: () => ({ secret: SECRET }),
    webhook: {
      push: (m) => {
        const body = JSON.stringify({ id: m.id, to: m.account, from: m.from, text: m.text });
        return { method: 'POST', headers: { 'content-type': 'application/json', 'x-sign': sign(body) }, body };
      },
      challenge: () => ({ push: { method: 'GET', query: { challenge: 'c-123' }, headers: {}, body: '' }, expect: 'c-123' }),
      accepted: (status, body) => status === 200 && body === 'ok',
    },
    routes: [
      {
        method: 'POST',
        path: '/send',
        handler: (req, sim) => {
          const account = String(req.body.account);
          const to = String(req.body.to);
          if (!sim.replyWindowOpen(account, to, 48)) return { json: { code: 45015, message: 'response out of time limit' } };
          const r = sim.recordReply({ kind: 'message', account, conversationId: to, text: String(req.body.text) });
          return { json: { code: 0, id: r.id } };
        },
      },
    ],
  });

describe('simulator harness: comments, messages and webhooks', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  let hub: Server;
  let hubUrl: string;
  // How the test hub answers each push: after a delay, with a body.
  let plan: Array<{ delayMs: number; body: string }> = [];
  const received: Array<{ method: string; url: string; body: string; sign?: string }> = [];

  before(async () => {
    running = await startSimulators([gamma()], { port: 0 });
    sandbox = new SandboxClient(running.url);
    hub = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ method: req.method!, url: req.url!, body, sign: req.headers['x-sign'] as string | undefined });
        if (req.method === 'GET') return res.end(new URL(req.url!, 'http://x').searchParams.get('challenge') ?? '');
        const step = plan.shift() ?? { delayMs: 0, body: 'ok' };
        setTimeout(() => {
          if (!res.destroyed) res.end(step.body);
        }, step.delayMs);
      });
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/webhooks/gamma`;
  });
  after(async () => {
    await running.close();
    hub.closeAllConnections();
    await new Promise<void>((r) => hub.close(() => r()));
  });

  it('keeps comment trees: a reply to a comment names its parent; an unknown parent is refused', async () => {
    const sim = running.get('gamma');
    const account = sim.createAccount('甲');
    const post = sim.createPost({ account: account.id, title: 't', text: 'x' });
    const top = await sandbox.addComment('gamma', post.id, '请问几点开始？', '市民甲', { authorId: 'u1' });
    const child = await sandbox.addComment('gamma', post.id, '同问', '市民乙', { parentId: top.id, authorId: 'u2' });
    assert.equal(child.parentId, top.id);
    assert.equal(child.authorId, 'u2');
    await assert.rejects(sandbox.addComment('gamma', post.id, 'x', 'y', { parentId: 'nope' }), /404/);
  });

  it('pushes a message signed, retrying after each timeout until the hub answers, and records every try', async () => {
    const a = await sandbox.createAccount('gamma', '乙');
    plan = [
      { delayMs: 600, body: 'ok' },
      { delayMs: 600, body: 'ok' },
      { delayMs: 0, body: 'ok' },
    ];
    const before = received.length;
    const m = await sandbox.sendMessage('gamma', {
      account: a.id,
      from: 'openid-1',
      text: '你好，办证要带什么？',
      url: hubUrl,
      timeoutMs: 200,
    });
    assert.deepEqual(
      m.deliveries.map((d) => [d.attempt, d.status ?? d.error]),
      [
        [1, 'timeout'],
        [2, 'timeout'],
        [3, 200],
      ],
    );
    const pushes = received.slice(before);
    assert.equal(pushes.length, 3);
    for (const p of pushes) {
      assert.equal(p.sign, sign(p.body));
      assert.equal(JSON.parse(p.body).id, m.id, 'every try carries the same message id');
    }
    assert.equal((await sandbox.messages('gamma', a.id)).length, 1);
  });

  it('stops after the platform tries; an answer that is not what the platform wants counts as failed', async () => {
    const a = await sandbox.createAccount('gamma', '丙');
    plan = Array.from({ length: 6 }, () => ({ delayMs: 0, body: 'nope' }));
    await sandbox.setWebhook('gamma', { url: hubUrl, timeoutMs: 500 });
    const m = await sandbox.sendMessage('gamma', { account: a.id, text: '在吗' });
    assert.equal(m.deliveries.length, 3);
    assert.ok(m.from.length > 0, 'a citizen id is made up when none is given');
    const again = await sandbox.redeliver('gamma', m.id);
    assert.equal(again.length, 3);
    plan = [];
    const push = await sandbox.messagePush('gamma', m.id);
    assert.equal(push.headers['x-sign'], sign(push.body));
  });

  it('makes the handshake and reports whether the hub echoed the challenge', async () => {
    const r = await sandbox.webhookChallenge('gamma', { url: hubUrl });
    assert.equal(r.ok, true);
    assert.equal(r.delivery.status, 200);
  });

  it('enforces a reply window on the simulated clock and lists the replies sent', async () => {
    const a = await sandbox.createAccount('gamma', '丁');
    await sandbox.sendMessage('gamma', { account: a.id, from: 'openid-9', text: '咨询', deliver: false });
    const send = async () =>
      (await fetch(`${running.url}/gamma/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ account: a.id, to: 'openid-9', text: '您好' }),
      }).then((r) => r.json())) as { code: number };
    assert.equal((await send()).code, 0);
    await sandbox.advanceClock('gamma', 48 * 3_600_000 + 1000);
    assert.equal((await send()).code, 45015);
    const replies = await sandbox.replies('gamma', { account: a.id, kind: 'message' });
    assert.deepEqual(
      replies.map((r) => [r.conversationId, r.text]),
      [['openid-9', '您好']],
    );
  });

  it('refuses bad inspection input, naming the field', async () => {
    const r = await fetch(`${running.url}/_sandbox/gamma/webhook`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'ftp://x', tries: 2 }),
    });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /url/);
  });
});
