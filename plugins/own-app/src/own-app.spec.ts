import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorKind, type PluginErrorLike } from '@tongfa/plugin-sdk';
import { createTestHost, sampleManuscript, SandboxClient, startSimulators, type RunningSimulators } from '@tongfa/plugin-sdk/testing';
import plugin, { createOwnAppSimulator } from './index';
import { sign, signingString } from './signature';

describe('own-app: signed push contract', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  let n = 0;

  before(async () => {
    running = await startSimulators([createOwnAppSimulator()]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  const account = () => sandbox.createAccount('own-app', `市融媒体中心${++n}`);
  const hostFor = (credentials: Record<string, string>, clock?: { now(): number }) =>
    createTestHost({
      plugin,
      credentials,
      endpoints: running.get('own-app').endpointsFor(running.url, ['receiver']),
      clock,
      maxAttempts: 3,
      maxBackoffMs: 50,
    });
  const rendition = (over = {}) => plugin.render(sampleManuscript(over), { account: { name: 'x' }, settings: {} });

  /** A raw request signed like the plugin does, for probing the receiver. */
  async function raw(method: string, path: string, secret: string, opts: { body?: string; delivery?: string; ts?: number } = {}) {
    const timestamp = String(opts.ts ?? Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'x-tongfa-timestamp': timestamp,
      'x-tongfa-signature': sign(secret, { timestamp, method, path, deliveryId: opts.delivery ?? '', body: opts.body ?? '' }),
      'content-type': 'application/json',
    };
    if (opts.delivery) headers['x-tongfa-delivery'] = opts.delivery;
    const res = await fetch(running.url + path, { method, headers, body: opts.body });
    return { status: res.status, body: (await res.text()) || '{}' };
  }

  it('signs timestamp, method, path, delivery id and body as five lines', () => {
    const parts = { timestamp: '1700000000', method: 'post', path: '/api/tongfa', deliveryId: 'd-1', body: '{"a":1}\n' };
    assert.equal(signingString(parts), '1700000000\nPOST\n/api/tongfa\nd-1\n{"a":1}\n');
    // Reference computed independently: printf '1700000000\nPOST\n/api/tongfa\nd-1\n{"a":1}\n' | openssl dgst -sha256 -hmac k
    assert.equal(sign('k', parts), 'v1=1715160b3fddd074861613d20c432be50a38b6ddce594e7602e057c3b3b886a1');
    assert.notEqual(sign('k', parts), sign('k', { ...parts, method: 'DELETE' }));
  });

  it('publishes once, and the receiver keeps the delivery id as the marker', async () => {
    const a = await account();
    const out = await hostFor(a.credentials).publish(rendition());
    assert.equal(out.state, 'published');
    assert.match(out.result!.url!, /^https:\/\/www\.unit\d+\.gov\.cn\/content\//);
    const posts = await sandbox.posts('own-app', a.id);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].idempotencyMarker, out.idempotencyKey);
  });

  it('receiver rejects a body changed after signing', async () => {
    const a = await account();
    const path = a.credentials.endpoint;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({ title: '原标题' });
    const res = await fetch(running.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tongfa-timestamp': timestamp,
        'x-tongfa-delivery': 'd-tamper',
        'x-tongfa-signature': sign(a.credentials.secret, { timestamp, method: 'POST', path, deliveryId: 'd-tamper', body }),
      },
      body: body.replace('原标题', '篡改后'),
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_signature');
  });

  it('a signed GET cannot be replayed as a DELETE', async () => {
    const a = await account();
    const out = await hostFor(a.credentials).publish(rendition());
    const path = `${a.credentials.endpoint}/items/${out.result!.remoteId}`;
    const ts = Math.floor(Date.now() / 1000);
    const timestamp = String(ts);
    const getSig = sign(a.credentials.secret, { timestamp, method: 'GET', path, deliveryId: '', body: '' });
    const res = await fetch(running.url + path, {
      method: 'DELETE',
      headers: { 'x-tongfa-timestamp': timestamp, 'x-tongfa-signature': getSig },
    });
    assert.equal(res.status, 401);
    assert.equal((await sandbox.posts('own-app', a.id))[0].deleted, false);
  });

  it('a clock more than five minutes off fails the target with a clock message, not a retry loop', async () => {
    const a = await account();
    const skewed = { now: () => Date.now() - 6 * 60_000 };
    const out = await hostFor(a.credentials, skewed).publish(rendition());
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'permanent');
    assert.match((out.error as Error).message, /5 分钟|5 minutes/);
    assert.equal((await sandbox.posts('own-app', a.id)).length, 0);
  });

  it('a wrong secret ends in needs_reauth after one refresh', async () => {
    const a = await account();
    const host = hostFor({ ...a.credentials, secret: 'f'.repeat(64) });
    const out = await host.publish(rendition());
    assert.equal(out.state, 'needs_reauth');
    assert.ok(!(out.error as Error).message.includes('f'.repeat(64)));
    assert.equal((await sandbox.posts('own-app', a.id)).length, 0);
  });

  it('the same delivery id with a different document is a conflict, not a second item', async () => {
    const a = await account();
    const host = hostFor(a.credentials);
    const first = await host.publish(rendition(), { idempotencyKey: 'tf-conflict-1' });
    assert.equal(first.state, 'published');
    const again = await host.publish(rendition({ title: '另一篇稿件的标题' }), { idempotencyKey: 'tf-conflict-1' });
    assert.equal(again.state, 'failed');
    assert.equal((again.error as PluginErrorLike).platformCode, 'delivery_conflict');
    assert.equal((await sandbox.posts('own-app', a.id)).length, 1);
  });

  it('the receiver refuses an over-long title and the plugin names the constraint', async () => {
    const a = await account();
    const r = rendition();
    const long = { ...r, payload: { ...r.payload, title: '长'.repeat(201) } };
    const out = await hostFor(a.credentials).publish(long);
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'content_invalid');
    assert.deepEqual(
      (out.error as PluginErrorLike).violations!.map((v) => v.constraint),
      ['title.max'],
    );
  });

  it('the receiver refuses image bytes that do not match their declared type', async () => {
    const a = await account();
    const delivery = 'tf-bad-image';
    const doc = {
      ...rendition().payload,
      deliveryId: delivery,
      cover: { key: 'cover', contentType: 'image/png', width: 1, height: 1, data: Buffer.from('not a png').toString('base64') },
      images: [],
    };
    const res = await raw('POST', a.credentials.endpoint, a.credentials.secret, { body: JSON.stringify(doc), delivery });
    assert.equal(res.status, 422);
    assert.deepEqual(
      (JSON.parse(res.body) as { violations: Array<{ field: string }> }).violations.map((v) => v.field),
      ['cover.formats'],
    );
  });

  it('render counts CJK and emoji titles in code points and never cuts a title', () => {
    const ok = plugin.render(sampleManuscript({ title: '😀'.repeat(200) }), { account: { name: 'x' }, settings: {} });
    assert.deepEqual(ok.violations, []);
    const long = plugin.render(sampleManuscript({ title: '👨‍👩‍👧'.repeat(41) }), { account: { name: 'x' }, settings: {} });
    // 41 family emoji are 205 code points (5 each): over 200, reported, left untouched.
    assert.deepEqual(
      long.violations.map((v) => [v.constraint, v.actual]),
      [['title.max', 205]],
    );
    assert.equal(long.fields.title, '👨‍👩‍👧'.repeat(41));
  });

  it('retract deletes the item, publishStatus then reports deleted, and findExisting still finds it', async () => {
    const a = await account();
    const host = hostFor(a.credentials);
    const out = await host.publish(rendition());
    const id = out.result!.remoteId;
    assert.deepEqual(await host.call((ctx) => plugin.publishStatus(ctx, id)), { status: 'published', url: out.result!.url });
    await host.call((ctx) => plugin.retract!(ctx, id));
    assert.equal((await host.call((ctx) => plugin.publishStatus(ctx, id))).status, 'deleted');
    const found = await host.call((ctx) => plugin.findExisting(ctx, out.idempotencyKey));
    assert.equal(found?.remoteId, id);
  });
});

describe('own-app: listing the unit’s items', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  before(async () => {
    running = await startSimulators([createOwnAppSimulator()]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  async function connect() {
    const a = await sandbox.createAccount('own-app', '某县融媒体中心');
    const host = createTestHost({ plugin, credentials: a.credentials, endpoints: { receiver: running.url } });
    return { host, id: a.id };
  }

  it('lists items made in the unit’s CMS, signing the query, and verifies an address outside gov.cn by asking the receiver', async () => {
    const { host, id } = await connect();
    const item = await sandbox.nativePost('own-app', { account: id, title: '县融媒体中心自采稿件', text: '由编辑在客户端后台直接发布' });
    const { posts } = await host.call((ctx) => plugin.listPosts!(ctx, { limit: 5 }));
    assert.deepEqual(
      posts.map((p) => [p.title, p.text, p.url]),
      [['县融媒体中心自采稿件', '由编辑在客户端后台直接发布', item.url]],
    );
    assert.equal((await host.call((ctx) => plugin.getPostByUrl!(ctx, item.url!)))?.remoteId, posts[0].remoteId);
    assert.equal(await host.call((ctx) => plugin.getPostByUrl!(ctx, 'https://app.example-media.cn/content/1.html')), null);
  });

  it('says clearly when the receiver never implemented the list call', async () => {
    const other = await startSimulators([createOwnAppSimulator({ noList: true })]);
    try {
      const a = await new SandboxClient(other.url).createAccount('own-app', '旧接收方');
      const host = createTestHost({ plugin, credentials: a.credentials, endpoints: { receiver: other.url } });
      const e = (await host.call((ctx) => plugin.listPosts!(ctx, {})).catch((x: unknown) => x)) as PluginErrorLike;
      assert.equal(errorKind(e), 'permanent');
      assert.match(e.message, /GET E\/items/);
    } finally {
      await other.close();
    }
  });
});
