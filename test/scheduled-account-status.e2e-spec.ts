import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AccountReauthService } from '@tongfa/plugins';
import { Account, AccountConnection } from '@tongfa/accounts';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { approvedManuscript } from './support/publish-kit';

interface TargetBody {
  state: string;
  attempts: number;
  lastError: string | null;
}

/**
 * A scheduled publication checks its account again when it comes due: an account suspended
 * (关停), cancelled (注销) or needing re-authorisation since the editor scheduled it gets nothing,
 * and the target ends in a clear state that says why in Chinese.
 */
for (const driver of testDrivers()) {
  describe(`scheduled publications re-check the account when due (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let accountId = '';
    let simAccountId = '';
    const tokens = () => ({ editor: t.get('sa.editor')!, reviewers: ['sa.r1', 'sa.r2', 'sa.r3'].map((r) => t.get(r)!) });
    const posts = async () => sw.sim.posts('own-app', simAccountId);

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['sa.editor', Role.Editor, 'countyA1', 0],
        ['sa.admin', Role.UnitAdmin, 'countyA1', 0],
        ['sa.sup', Role.Supervisor, 'cityA', 0],
        ['sa.r1', Role.Reviewer, 'countyA1', 1],
        ['sa.r2', Role.Reviewer, 'countyA1', 2],
        ['sa.r3', Role.Reviewer, 'countyA1', 3],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const c = await sw.connect(
        await actors.forUser(world.users.get('sa.admin')!.id),
        await actors.forUser(world.users.get('sa.sup')!.id),
        world.units.countyA1.id,
        'own-app',
        '甲市一县发布',
      );
      accountId = c.account.id;
      simAccountId = c.simAccountId;
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    /** Schedules a publication a minute ahead, lets `meanwhile` change the account, moves time past it. */
    async function scheduleThen(title: string, meanwhile: () => Promise<void>): Promise<TargetBody> {
      const ms = await approvedManuscript(hub, tokens(), { title });
      const at = new Date(hub.clock.now().getTime() + 60_000);
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('sa.editor'))
        .send({ accountIds: [accountId], scheduledAt: at.toISOString() });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.status, 'scheduled');
      await meanwhile();
      hub.clock.advance(61_000);
      const done = await pollUntil(
        async () => {
          const pub = await hub.http.get(`/api/v1/publications/${res.body.id}`).set(as('sa.editor'));
          const target = pub.body.targets[0] as TargetBody;
          return ['failed', 'needs_reauth', 'published', 'unconfirmed'].includes(target.state) ? target : false;
        },
        { timeoutMs: 20_000, what: `the scheduled target of “${title}” ends` },
      );
      return done as TargetBody;
    }

    const setStatus = async (status: string) => {
      const res = await hub.http.patch(`/api/v1/accounts/${accountId}`).set(as('sa.admin')).send({ status, reason: '测试账号状态变更' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };

    it('sends nothing to an account suspended (关停) after scheduling', async () => {
      const target = await scheduleThen('甲市一县关停后的定时稿件', () => setStatus('suspended'));
      assert.equal(target.state, 'failed');
      assert.match(target.lastError ?? '', /关停/);
      assert.match(target.lastError ?? '', /未执行/);
      assert.equal(target.attempts, 0, 'no attempt was made at the platform');
      assert.equal((await posts()).length, 0, 'nothing reached the platform');
      await setStatus('active');
    });

    it('sends nothing to an account that needs re-authorisation, and says so', async () => {
      const target = await scheduleThen('甲市一县授权失效后的定时稿件', async () => {
        assert.ok(await hub.app.get(AccountReauthService).markNeedsReauth(accountId, 'token revoked at the platform'));
      });
      assert.equal(target.state, 'needs_reauth');
      assert.match(target.lastError ?? '', /授权已失效/);
      assert.equal((await posts()).length, 0);
      // Reconnected (its credentials still work at the simulator), for the next case.
      await hub.ds.getRepository(Account).update({ id: accountId }, { connection: AccountConnection.Connected });
    });

    it('sends nothing to an account cancelled (注销) after scheduling', async () => {
      const target = await scheduleThen('甲市一县注销后的定时稿件', () => setStatus('cancelled'));
      assert.equal(target.state, 'failed');
      assert.match(target.lastError ?? '', /注销/);
      assert.equal((await posts()).length, 0);
    });
  });
}
