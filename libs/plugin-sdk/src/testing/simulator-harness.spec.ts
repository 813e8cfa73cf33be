import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SandboxClient } from './sandbox-client';
import { createSimulator, startSimulators, type RunningSimulators, type Simulator } from './simulator-harness';

function echoPlatform(platform: string): Simulator {
  return createSimulator({
    platform,
    createAccount: (a) => ({ key: `k-${a.id}` }),
    faultResponses: { rate_limit: () => ({ status: 200, json: { errcode: 45009 } }) },
    routes: [
      { method: 'POST', path: '/token', auth: true, handler: () => ({ json: { token: 't' } }) },
      {
        method: 'POST',
        path: '/posts',
        handler: (req, sim) => {
          const post = sim.createPost({
            account: String(req.body.account),
            title: String(req.body.title),
            text: 'x',
            idempotencyMarker: String(req.body.key),
          });
          return { status: 201, json: { id: post.id } };
        },
      },
      { method: 'GET', path: '/posts/:id', handler: (req, sim) => ({ json: { id: req.params.id, found: !!sim.findPost(req.params.id) } }) },
    ],
  });
}

describe('simulator harness', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  before(async () => {
    running = await startSimulators([echoPlatform('alpha'), echoPlatform('beta')], { port: 0 });
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  const post = (platform: string, body: unknown) =>
    fetch(`${running.url}/${platform}/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('serves several platforms on one port with separate state', async () => {
    const a = await sandbox.createAccount('alpha', '甲');
    assert.deepEqual(a.credentials, { key: `k-${a.id}` });
    assert.equal((await post('alpha', { account: a.id, title: '一', key: 'k1' })).status, 201);
    const alpha = await sandbox.posts('alpha');
    assert.equal(alpha.length, 1);
    assert.deepEqual(
      { account: alpha[0].account, title: alpha[0].title, marker: alpha[0].idempotencyMarker, deleted: alpha[0].deleted },
      { account: a.id, title: '一', marker: 'k1', deleted: false },
    );
    assert.equal((await sandbox.posts('beta')).length, 0);
    const r = await fetch(`${running.url}/alpha/posts/${alpha[0].id}`);
    assert.deepEqual(await r.json(), { id: alpha[0].id, found: true });
    assert.equal((await fetch(`${running.url}/gamma/posts`)).status, 404);
  });

  it('validates fault settings', async () => {
    const bad = await fetch(`${running.url}/_sandbox/alpha/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 2, kinds: ['meteor'] }),
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /meteor/);
  });

  it('injects platform-shaped faults, never on auth routes, and stops after `remaining`', async () => {
    await sandbox.setFaults('beta', { rate: 1, kinds: ['rate_limit'], remaining: 1 });
    const token = await fetch(`${running.url}/beta/token`, { method: 'POST' });
    assert.deepEqual(await token.json(), { token: 't' });
    assert.deepEqual(await (await post('beta', { account: 'x', title: 't', key: 'k' })).json(), { errcode: 45009 });
    assert.equal((await post('beta', { account: 'x', title: 't', key: 'k' })).status, 201);
    assert.equal((await sandbox.faults('beta')).injected, 1);
    await sandbox.setFaults('beta', { rate: 0, kinds: [] });
  });

  it('replays the same fault sequence for the same seed', async () => {
    const run = async () => {
      await sandbox.setFaults('alpha', { rate: 0.5, kinds: ['server_error', 'rate_limit'], seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await post('alpha', { account: 'seed', title: String(i), key: `s${i}` })).status);
      return statuses;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.includes(500) && first.includes(201), `expected a mix, got ${first.join(',')}`);
    await sandbox.setFaults('alpha', { rate: 0, kinds: [] });
  });

  it('commits and then drops the connection on lost_response', async () => {
    await sandbox.setFaults('alpha', { rate: 1, kinds: ['lost_response'], remaining: 1 });
    const before = (await sandbox.posts('alpha')).length;
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${running.url}/alpha/posts`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) =>
        resolve(`response ${res.statusCode}`),
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
      req.end(JSON.stringify({ account: 'lost', title: 'lost', key: 'lost-1' }));
    });
    assert.match(outcome, /^error (ECONNRESET|socket hang up)/);
    const posts = await sandbox.posts('alpha');
    assert.equal(posts.length, before + 1);
    assert.equal(posts.filter((p) => p.idempotencyMarker === 'lost-1').length, 1);
  });

  it('creates native posts through the inspection API, with their URL, for accounts it knows only', async () => {
    const a = await sandbox.createAccount('alpha', '乙');
    const p = await sandbox.nativePost('alpha', {
      account: a.id,
      title: '应用内发布',
      text: '在平台应用内直接发布',
      link: 'https://www.example.gov.cn/x',
    });
    assert.equal(p.native, true);
    assert.equal(p.account, a.id);
    assert.equal(p.title, '应用内发布');
    // echoPlatform defines no postUrl hook: the harness cannot know the platform's address format.
    assert.equal(p.url, null);
    const listed = (await sandbox.posts('alpha', a.id)).find((x) => x.id === p.id);
    assert.equal(listed?.native, true);
    const bad = await fetch(`${running.url}/_sandbox/alpha/native-posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'nobody', text: 'x' }),
    });
    assert.equal(bad.status, 404);
    const noText = await fetch(`${running.url}/_sandbox/alpha/native-posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: a.id }),
    });
    assert.equal(noText.status, 400);
  });

  it('counts daily quotas per account and API, resetting at Beijing midnight on the simulated clock', () => {
    const sim = running.get('beta');
    const until = sim.untilQuotaReset();
    assert.ok(until > 0 && until <= 86_400_000);
    assert.equal(new Date(sim.now() + until + 8 * 3_600_000).toISOString().slice(11, 23), '00:00:00.000', 'resets at 00:00 Beijing time');
    assert.equal(sim.takeDailyQuota('acct-1', 'list', 2), true);
    assert.equal(sim.takeDailyQuota('acct-1', 'list', 2), true);
    assert.equal(sim.takeDailyQuota('acct-1', 'list', 2), false);
    assert.equal(sim.dailyQuotaUsed('acct-1', 'list'), 2, 'a refused call is not counted');
    assert.equal(sim.takeDailyQuota('acct-2', 'list', 2), true, 'accounts have quotas of their own');
    assert.equal(sim.takeDailyQuota('acct-1', 'other', 2), true, 'APIs have quotas of their own');
    sim.advanceClock(until);
    assert.equal(sim.takeDailyQuota('acct-1', 'list', 2), true, 'a new day has a new quota');
    assert.equal(sim.dailyQuotaUsed('acct-1', 'list'), 1);
  });

  it('refuses two simulators for one platform', async () => {
    await assert.rejects(startSimulators([echoPlatform('same'), echoPlatform('same')]), /two simulators/);
  });
});

describe('the sandbox page of a simulated post', () => {
  let running: RunningSimulators;
  before(async () => {
    const gamma = createSimulator({
      platform: 'gamma',
      createAccount: () => ({}),
      postUrl: (p) => `https://gamma.example/p/${p.id}`,
      routes: [],
    });
    running = await startSimulators([gamma], { port: 0 });
  });
  after(() => running.close());

  it('shows the post by its public url, escaped, marked as a simulation, without scripts', async () => {
    const sandbox = new SandboxClient(running.url);
    const a = await sandbox.createAccount('gamma', '甲县发布');
    const p = await sandbox.nativePost('gamma', { account: a.id, title: '<b>通知</b>', text: '第一行\n<script>alert(1)</script>' });
    const res = await fetch(`${running.url}/_sandbox/gamma/view?url=${encodeURIComponent(p.url!)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await res.text();
    assert.match(html, /统发沙箱模拟/);
    assert.match(html, /&lt;b&gt;通知&lt;\/b&gt;/);
    assert.match(html, /第一行<br>&lt;script&gt;/);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /甲县发布/);
  });

  it('answers 404 with a page for an unknown url', async () => {
    const res = await fetch(`${running.url}/_sandbox/gamma/view?url=${encodeURIComponent('https://gamma.example/p/none')}`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /帖子不存在/);
  });

  it('serves an account page with its name, verified subject and posts newest first, escaped', async () => {
    const sandbox = new SandboxClient(running.url);
    const a = await sandbox.createAccount('gamma', '乙县<发布>');
    await sandbox.nativePost('gamma', { account: a.id, title: '第一条', text: '一' });
    await sandbox.nativePost('gamma', { account: a.id, title: '第二条<i>', text: '二' });
    const res = await fetch(`${running.url}/_sandbox/gamma/page?account=${encodeURIComponent(a.id)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await res.text();
    assert.match(html, /乙县&lt;发布&gt;/);
    assert.match(html, /认证主体/);
    assert.match(html, /发布 2 条/);
    assert.match(html, /第一条/);
    assert.match(html, /第二条&lt;i&gt;/);
    assert.match(html, /<time datetime="/);
    assert.doesNotMatch(html, /<i>/);
    const missing = await fetch(`${running.url}/_sandbox/gamma/page?account=nobody`);
    assert.equal(missing.status, 404);
  });
});
