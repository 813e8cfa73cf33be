import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { Response } from 'supertest';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { JobQueue } from '@tongfa/jobs';
import { Account, AccountCredential, CredentialVault, type SealedCredential } from '@tongfa/accounts';
import { AuditEntry } from '@tongfa/audit';
import { AccountAlert, AccountConnectionsService, CredentialStore, PluginHost, PluginRegistry } from '@tongfa/plugins';
import { SandboxClient } from '@tongfa/plugin-sdk/testing';
import { loadScaffoldedPlugin } from '../libs/plugin-sdk/src/testing/template-fixture.spec-support';
import { startSandbox, type RunningSandbox } from '../apps/sandbox/src/sandbox';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';

const HOUR = 3600_000;
// The scaffold of `tongfa-plugin-sdk init`, compiled against this SDK: an app_secret platform whose
// token lasts two hours. Weibo (oauth2) is a built-in plugin.
const scaffold = loadScaffoldedPlugin('conn-app');
const key = () => randomBytes(32).toString('base64');
const K1 = key();
const K2 = key();

/** Collects everything Nest's loggers print, to search it for secrets. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private push(level: string, args: unknown[]) {
    this.lines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
  }
  log(...a: unknown[]) {
    this.push('log', a);
  }
  error(...a: unknown[]) {
    this.push('error', a);
  }
  warn(...a: unknown[]) {
    this.push('warn', a);
  }
  debug(...a: unknown[]) {
    this.push('debug', a);
  }
  verbose(...a: unknown[]) {
    this.push('verbose', a);
  }
}

for (const driver of testDrivers()) {
  describe(`connecting accounts to platforms (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sandbox: RunningSandbox;
    let sim: SandboxClient;
    const logs = new CapturingLogger();
    const bodies: string[] = [];
    const secrets = new Set<string>();
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const seen = (res: Response) => {
      bodies.push(res.text ?? '', JSON.stringify(res.headers));
      return res;
    };

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_PLUGINS: join(scaffold.dir, 'out', 'index.js'), TONGFA_VAULT_KEYS: `k2:${K2},k1:${K1}` });
      hub.app.useLogger(logs);
      hub.app.flushLogs(); // the test hub buffers Nest's logs; from here on they come to `logs`
      sandbox = await startSandbox(hub.app.get(PluginRegistry));
      hub.app.get(PluginHost).allowSandboxOrigin(sandbox.url);
      sim = new SandboxClient(sandbox.url);
      world = await World.build(hub.app);
      await world.user('cn.operator', Role.PlatformOperator, 'province');
      await world.user('cn.admin', Role.UnitAdmin, 'cityA');
      await world.user('cn.admin2', Role.UnitAdmin, 'cityA');
      await world.user('cn.sup', Role.Supervisor, 'province');
      await world.user('cn.editor', Role.Editor, 'cityA');
      await world.user('cn.auditor', Role.Auditor, 'province');
      for (const u of ['cn.operator', 'cn.admin', 'cn.admin2', 'cn.sup', 'cn.editor', 'cn.auditor']) t.set(u, await login(hub.http, u));
    });
    after(async () => {
      await sandbox.close();
      await hub.close();
    });

    async function openAccount(unit: 'cityA' | 'countyA1' | 'countyA2' | 'deptA', platform: string, name = '甲市发布'): Promise<string> {
      const res = seen(await hub.http.post('/api/v1/accounts').set(as('cn.admin')).send({ unitId: world.units[unit].id, platform, name }));
      assert.equal(res.status, 201, res.text);
      assert.equal(
        (await hub.http.post(`/api/v1/accounts/${res.body.id}/approval`).set(as('cn.sup')).send({ decision: 'approve' })).status,
        200,
      );
      await hub.app.get(AccountConnectionsService).useSandbox(res.body.id, sandbox.endpointsFor(platform));
      return res.body.id as string;
    }

    async function simAccount(platform: string, name: string) {
      const a = await sim.createAccount(platform, name);
      const secretFields = hub.app
        .get(PluginRegistry)
        .get(platform)!
        .manifest.credentials.filter((f) => f.secret)
        .map((f) => f.name);
      for (const f of secretFields) if (a.credentials[f]) secrets.add(a.credentials[f]);
      return a;
    }

    const credentialRow = (accountId: string) => hub.ds.getRepository(AccountCredential).findOneBy({ accountId });

    it('validates credentials against the plugin’s form, verifies them with the platform, and stores them sealed', async () => {
      const id = await openAccount('cityA', 'conn-app');
      const platformAccount = await simAccount('conn-app', '甲市发布');
      const { appId, appSecret } = platformAccount.credentials;

      const unknown = seen(
        await hub.http
          .post(`/api/v1/accounts/${id}/credentials`)
          .set(as('cn.admin'))
          .send({ credentials: { appId, password: appSecret } }),
      );
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.code, 'CREDENTIALS_INVALID');
      assert.deepEqual(unknown.body.details.map((d: { field: string }) => d.field).sort(), ['appSecret', 'password']);

      const wrong = seen(
        await hub.http
          .post(`/api/v1/accounts/${id}/credentials`)
          .set(as('cn.admin'))
          .send({ credentials: { appId, appSecret: `${appSecret}x` } }),
      );
      assert.equal(wrong.status, 400, wrong.text);
      assert.equal(wrong.body.code, 'CREDENTIALS_REFUSED');
      assert.equal(await credentialRow(id), null, 'nothing stored before the platform accepted them');

      const editor = await hub.http
        .post(`/api/v1/accounts/${id}/credentials`)
        .set(as('cn.editor'))
        .send({ credentials: { appId, appSecret } });
      assert.equal(editor.status, 403);

      const ok = seen(
        await hub.http.post(`/api/v1/accounts/${id}/credentials`).set(as('cn.admin')).send({ credentials: { appId, appSecret } }),
      );
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.connection, 'connected');
      assert.equal(ok.body.status, 'active');
      assert.equal(ok.body.platformAccountId, platformAccount.id);
      assert.equal(ok.body.profileName, '甲市发布');
      assert.deepEqual(ok.body.namingIssues.length, 1, 'the simulator reports the account name as subject, not the unit');
      const row = (await credentialRow(id))!;
      assert.equal(row.keyId, 'k2');
      assert.ok(row.expiresAt && row.refreshAt && row.refreshAt < row.expiresAt);
      assert.ok(!row.sealed.includes(appSecret));
      const detail = seen(await hub.http.get(`/api/v1/accounts/${id}`).set(as('cn.admin')));
      assert.equal(detail.body.verifiedSubject, '甲市发布');

      // Publishing through the host uses the stored credentials.
      const host = hub.app.get(PluginHost);
      const rendition = host.render('conn-app', manuscript('连接后的第一条'));
      const out = await host.publish({ accountId: id, idempotencyKey: 'tf-conn-1' }, rendition, {
        load: async () => undefined,
        save: async () => undefined,
      });
      assert.equal(out.state, 'published');
      const posts = await sim.posts('conn-app', platformAccount.id);
      assert.equal(posts.length, 1);
      assert.equal(posts[0]!.idempotencyMarker, 'tf-conn-1');
      const opened = await hub.app.get(PluginHost).getProfile(id);
      for (const v of Object.values(opened)) if (typeof v === 'string' && v.startsWith('tk_')) secrets.add(v);
    });

    it('connects an OAuth account through the platform, refusing forged, reused, expired and cross-account states', async () => {
      const a = await openAccount('countyA1', 'weibo', '甲市一县发布');
      const b = await openAccount('countyA2', 'weibo', '甲市二县发布');
      // What the Weibo plugin needs before an account may connect: a link under the safe domain and rip.
      for (const id of [a, b]) {
        const patched = await hub.http
          .patch(`/api/v1/accounts/${id}`)
          .set(as('cn.admin'))
          .send({ settings: { siteUrl: 'https://www.jiashi.gov.cn/', rip: '127.0.0.1' } });
        assert.equal(patched.status, 200, patched.text);
      }
      const weiboA = await simAccount('weibo', '甲市一县发布');
      const { client_id, client_secret } = weiboA.credentials;
      const app = seen(
        await hub.http
          .put('/api/v1/plugins/weibo/app-credentials')
          .set(as('cn.operator'))
          .send({ credentials: { client_id, client_secret } }),
      );
      assert.equal(app.status, 200, app.text);
      assert.deepEqual(app.body.fields, ['client_id', 'client_secret']);
      assert.equal(
        (await hub.http.put('/api/v1/plugins/weibo/app-credentials').set(as('cn.admin')).send({ credentials: { client_id } })).status,
        403,
      );

      // A script (the web console) cannot read a cross-origin redirect: asking for JSON returns the URL.
      const asJson = seen(await hub.http.get(`/api/v1/accounts/${a}/connect`).set(as('cn.admin')).set('Accept', 'application/json'));
      assert.equal(asJson.status, 200, asJson.text);
      assert.equal(new URL(asJson.body.authorizeUrl).searchParams.get('client_id'), client_id);

      const authorize = async (accountId: string, uid: string): Promise<URL> => {
        const start = seen(await hub.http.get(`/api/v1/accounts/${accountId}/connect`).set(as('cn.admin')));
        assert.equal(start.status, 302, start.text);
        const url = new URL(start.headers.location!);
        url.searchParams.set('uid', uid);
        // The sandbox has no login page: it approves at once and redirects to the hub's callback.
        const res = await fetch(url, { redirect: 'manual' });
        assert.equal(res.status, 302);
        const back = new URL(res.headers.get('location')!);
        assert.equal(back.pathname, '/api/v1/accounts/oauth/callback');
        secrets.add(back.searchParams.get('code')!);
        return back;
      };
      const callback = async (back: URL, who?: string) => {
        const req = hub.http.get('/api/v1/accounts/oauth/callback').query(Object.fromEntries(back.searchParams));
        return seen(await (who ? req.set(as(who)) : req));
      };

      const back = await authorize(a, weiboA.id);
      const forged = await callback(
        new URL(`${back.origin}${back.pathname}?code=${back.searchParams.get('code')}&state=${randomBytes(32).toString('base64url')}`),
      );
      assert.equal(forged.status, 400);
      assert.equal(forged.body.code, 'OAUTH_STATE_INVALID');
      const otherUser = await callback(back, 'cn.admin2');
      assert.equal(otherUser.status, 400, 'a state is bound to the user who started the connection');

      const done = await callback(back);
      assert.equal(done.status, 302, done.text);
      assert.match(done.headers.location!, new RegExp(`/accounts/${a}\\?connected=1$`));
      assert.equal(done.body.connection, 'connected');
      assert.equal(done.body.platformAccountId, weiboA.id);
      const reused = await callback(back);
      assert.equal(reused.status, 409);
      assert.equal(reused.body.code, 'OAUTH_STATE_USED');

      const weiboB = await simAccount('weibo', '甲市二县发布');
      const late = await authorize(b, weiboB.id);
      hub.clock.advance(11 * 60_000);
      const expired = await callback(late);
      assert.equal(expired.status, 400);
      assert.equal(expired.body.code, 'OAUTH_STATE_EXPIRED');

      // B's state, but the platform account that signed in is A's: it cannot be connected twice.
      const cross = await callback(await authorize(b, weiboA.id));
      assert.equal(cross.status, 409, cross.text);
      assert.equal(cross.body.code, 'PLATFORM_ACCOUNT_TAKEN');
      const bRow = await hub.ds.getRepository(Account).findOneByOrFail({ id: b });
      assert.equal(bRow.connection, 'none');

      const good = await callback(await authorize(b, weiboB.id));
      assert.equal(good.status, 302);
      assert.equal(good.body.platformAccountId, weiboB.id);
      const stored = await hub.app.get(CredentialVault).open(b, (await credentialRow(b))! as SealedCredential);
      secrets.add(String(stored.access_token));
      assert.notEqual(stored.access_token, weiboB.credentials.access_token, 'the token came from the code exchange');
    });

    it('refreshes tokens ahead of expiry and hands a dead account to its unit admin', async () => {
      const id = await openAccount('deptA', 'conn-app', '甲市教育发布');
      const platformAccount = await simAccount('conn-app', '甲市教育发布');
      const ok = await hub.http
        .post(`/api/v1/accounts/${id}/credentials`)
        .set(as('cn.admin'))
        .send({ credentials: platformAccount.credentials });
      assert.equal(ok.status, 200, ok.text);
      const before = (await credentialRow(id))!;
      assert.ok(before.refreshAt!.getTime() < before.expiresAt!.getTime() - 60_000);

      const queue = hub.app.get(JobQueue);
      hub.clock.advance(HOUR + 40 * 60_000); // past refreshAt (20 %+ ahead of the 2 h expiry), before expiry
      await queue.add('account.refresh-sweep', {}, { jobId: `sweep-1-${driver}` });
      const after = await pollUntil(
        async () => {
          const r = await credentialRow(id);
          return r && r.version > before.version ? r : null;
        },
        { what: 'token refreshed' },
      );
      assert.ok(after!.expiresAt!.getTime() > before.expiresAt!.getTime());
      assert.ok(after!.refreshAt!.getTime() > hub.clock.now().getTime());
      assert.equal(after!.refreshFailures, 0);

      // The platform forgets the app (revoked): the next refresh fails for good.
      await fetch(`${sandbox.url}/_sandbox/conn-app/reset`, { method: 'POST' });
      hub.clock.advance(2 * HOUR);
      await queue.add('account.refresh-sweep', {}, { jobId: `sweep-2-${driver}` });
      const dead = await pollUntil(
        async () => {
          const a = await hub.ds.getRepository(Account).findOneBy({ id });
          return a?.connection === 'needs_reauth' ? a : null;
        },
        { what: 'needs_reauth' },
      );
      assert.equal(dead!.connection, 'needs_reauth');
      assert.equal((await credentialRow(id))!.refreshAt, null, 'no more automatic refreshes');
      const alerts = await hub.ds.getRepository(AccountAlert).findBy({ accountId: id });
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.unitPath, world.units.deptA.path);
      const audit = await hub.ds.getRepository(AuditEntry).findOneBy({ action: 'account.needs_reauth', targetId: id });
      assert.ok(audit);
      assert.equal(audit.result, 'failure');
    });

    it('re-seals every credential under the new key while reads keep working', async () => {
      // Rows sealed before the rotation, under k1 (now the old key, still in the ring).
      const old = new CredentialVault([{ id: 'k1', material: Buffer.from(K1, 'base64') }], 'aes-256-gcm');
      const vault = hub.app.get(CredentialVault);
      const rows = await hub.ds.getRepository(AccountCredential).find();
      assert.ok(rows.length >= 3);
      for (const r of rows) {
        const plain = vault.open(r.accountId, r as SealedCredential);
        await hub.ds.getRepository(AccountCredential).update({ accountId: r.accountId }, old.seal(r.accountId, plain));
      }
      const ids = rows.map((r) => r.accountId);
      const store = hub.app.get(CredentialStore);
      const before = new Map<string, string>();
      for (const id of ids) before.set(id, JSON.stringify((await store.open(id))!.credentials));
      await hub.app.get(JobQueue).add('vault.rotate', { batch: 1 }, { jobId: `rotate-${driver}` });
      let reads = 0;
      await pollUntil(
        async () => {
          // Reads during the rotation: every row opens, whichever key it is under at this moment.
          for (const id of ids) {
            assert.equal(JSON.stringify((await store.open(id))!.credentials), before.get(id));
            reads++;
          }
          return (await hub.ds.getRepository(AccountCredential).countBy({ keyId: 'k1' })) === 0;
        },
        { timeoutMs: 20_000, what: 'all rows under k2' },
      );
      assert.ok(reads >= ids.length);
      const weibo = await hub.ds.getRepository(Account).findBy({ platform: 'weibo', connection: 'connected' as never });
      assert.equal(weibo.length, 2);
      hub.clock.advance(HOUR);
      for (const a of weibo) assert.equal((await hub.app.get(PluginHost).getProfile(a.id)).platformAccountId, a.platformAccountId);
    });

    it('never lets a credential out: not in responses, audit entries or logs', async () => {
      assert.ok(secrets.size >= 6, `collected ${secrets.size} secrets`);
      t.set('cn.auditor', await login(hub.http, 'cn.auditor')); // the clock moved hours since the last sign-in
      const audit = await hub.http.get('/api/v1/audit').query({ pageSize: 200 }).set(as('cn.auditor'));
      assert.equal(audit.status, 200, audit.text);
      const entries = JSON.stringify(await hub.ds.getRepository(AuditEntry).find());
      const haystacks = { responses: bodies.join('\n'), audit: audit.text + entries, logs: logs.lines.join('\n') };
      assert.ok(
        logs.lines.some((l) => l.includes('conn-app') || l.includes('weibo')),
        `plugin activity was logged: ${logs.lines.slice(0, 5).join('\n')}`,
      );
      for (const [where, text] of Object.entries(haystacks)) {
        for (const s of secrets) assert.ok(!text.includes(s), `a secret (${s.slice(0, 3)}…) appeared in ${where}`);
      }
    });
  });
}

function manuscript(title: string) {
  return {
    manuscriptId: 'm1',
    versionId: 'v1',
    title,
    summary: '摘要',
    bodyHtml: `<p>${title}：正文。</p>`,
    category: 'news' as const,
    source: { type: 'original' as const },
    images: [],
  };
}
