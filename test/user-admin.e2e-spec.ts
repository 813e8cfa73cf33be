import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, RoleAssignment, Role, User, UserStatus, UsersService } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, PASSWORD, UnitKey, World } from './support/world';

const TEMP = 'Reset#Pass2026x';

type Op = 'edit' | 'unlock' | 'roles' | 'disable' | 'enable' | 'reset';
const OPS: Op[] = ['edit', 'unlock', 'roles', 'disable', 'enable', 'reset'];

type ActorKey = 'sec' | 'op' | 'aud' | 'sup' | 'uaCity' | 'uaCounty' | 'ed';
type TargetKey = 'edA1' | 'edA1B1' | 'revA1' | 'uaA1' | 'supA' | 'supProv' | 'noRolesA2' | 'opX' | 'secX' | 'audX';

/** Who acts, with the one role they hold and where. */
const ACTORS: Record<ActorKey, [Role, UnitKey]> = {
  sec: [Role.SecurityAdmin, 'province'],
  op: [Role.PlatformOperator, 'province'],
  aud: [Role.Auditor, 'province'],
  sup: [Role.Supervisor, 'cityA'],
  uaCity: [Role.UnitAdmin, 'cityA'],
  uaCounty: [Role.UnitAdmin, 'countyA1'],
  ed: [Role.Editor, 'countyA1'],
};

/** The users acted upon: home unit and roles held. */
const TARGETS: Record<TargetKey, { home: UnitKey; roles: [Role, UnitKey][] }> = {
  edA1: { home: 'countyA1', roles: [[Role.Editor, 'countyA1']] },
  // Works for county A1 and, on loan, for city B's county: outside city A's reach.
  edA1B1: {
    home: 'countyA1',
    roles: [
      [Role.Editor, 'countyA1'],
      [Role.Editor, 'countyB1'],
    ],
  },
  revA1: { home: 'countyA1', roles: [[Role.Reviewer, 'countyA1']] },
  uaA1: { home: 'countyA1', roles: [[Role.UnitAdmin, 'countyA1']] },
  supA: { home: 'cityA', roles: [[Role.Supervisor, 'cityA']] },
  supProv: { home: 'province', roles: [[Role.Supervisor, 'province']] },
  noRolesA2: { home: 'countyA2', roles: [] },
  opX: { home: 'province', roles: [[Role.PlatformOperator, 'province']] },
  secX: { home: 'province', roles: [[Role.SecurityAdmin, 'province']] },
  audX: { home: 'province', roles: [[Role.Auditor, 'province']] },
};

/**
 * What each actor may do to whom. Read it as the rule's consequences, written out by hand: the
 * security admin manages every business user but no other 三员 account; a unit admin manages the
 * editors, reviewers and role-less users of its own subtree only; the operator (after the
 * bootstrap window) grants nothing, so it manages only users without roles, and cannot give them
 * one; auditors, supervisors and editors manage nobody. Everything not listed is refused.
 */
const ALLOWED: Record<ActorKey, Partial<Record<TargetKey, readonly Op[]>>> = {
  sec: { edA1: OPS, edA1B1: OPS, revA1: OPS, uaA1: OPS, supA: OPS, supProv: OPS, noRolesA2: OPS },
  op: { noRolesA2: ['edit', 'unlock', 'disable', 'enable', 'reset'] },
  aud: {},
  sup: {},
  uaCity: { edA1: OPS, revA1: OPS, noRolesA2: OPS },
  uaCounty: { edA1: OPS, revA1: OPS },
  ed: {},
};

for (const driver of testDrivers()) {
  describe(`who may change whom: 三权分立 and scope of user administration (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const tokens = new Map<ActorKey, string>();
    const ids = new Map<string, string>();

    async function mkUser(username: string, home: UnitKey, roles: [Role, UnitKey][]): Promise<string> {
      const v = await hub.app.get(UsersService).create(
        null,
        {
          username,
          displayName: username,
          unitId: world.units[home].id,
          password: PASSWORD,
          roles: roles.map(([role, unit]) => ({ role, unitId: world.units[unit].id, level: role === Role.Reviewer ? 1 : undefined })),
        },
        { permanent: true },
      );
      ids.set(username, v.id);
      return v.id;
    }

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [key, [role, unit]] of Object.entries(ACTORS) as [ActorKey, [Role, UnitKey]][]) {
        await mkUser(`ua.${key}`, unit, [[role, unit]]);
        tokens.set(key, await login(hub.http, `ua.${key}`));
      }
      for (const [key, t] of Object.entries(TARGETS) as [TargetKey, (typeof TARGETS)[TargetKey]][])
        await mkUser(`ut.${key}`, t.home, t.roles);
    });
    after(() => hub.close());

    const bearer = (actor: ActorKey) => ({ Authorization: `Bearer ${tokens.get(actor)}` });

    /** Everything an administrator could change about a user, to prove a refusal changed nothing. */
    async function snapshot(userId: string) {
      const u = await hub.ds.getRepository(User).findOneByOrFail({ id: userId });
      const roles = await hub.ds.getRepository(RoleAssignment).findBy({ userId });
      return {
        displayName: u.displayName,
        status: u.status,
        passwordHash: u.passwordHash,
        mustChangePassword: u.mustChangePassword,
        failedLoginCount: u.failedLoginCount,
        lockedUntil: u.lockedUntil?.getTime() ?? null,
        roles: roles.map((r) => `${r.role}@${r.unitId}:${r.level ?? ''}`).sort(),
      };
    }

    async function lockInDb(userId: string) {
      await hub.ds
        .getRepository(User)
        .update({ id: userId }, { failedLoginCount: 3, lockedUntil: new Date(hub.clock.now().getTime() + 3_600_000) });
    }

    /** Performs `op` on the user as `actor` (for unlock, lock the user first); returns the response. */
    async function perform(actor: ActorKey, op: Op, userId: string, home: UnitKey) {
      if (op === 'roles') {
        const current = (await hub.ds.getRepository(RoleAssignment).findBy({ userId })).map((r) => ({
          role: r.role,
          unitId: r.unitId,
          ...(r.level ? { level: r.level } : {}),
        }));
        return hub.http
          .post(`/api/v1/users/${userId}/roles`)
          .set(bearer(actor))
          .send({ roles: [...current, { role: Role.DutyOfficer, unitId: world.units[home].id }] });
      }
      const body = {
        edit: { displayName: `改名-${actor}` },
        unlock: { unlock: true },
        disable: { status: UserStatus.Disabled },
        enable: { status: UserStatus.Active },
        reset: { password: TEMP },
      }[op];
      return hub.http.patch(`/api/v1/users/${userId}`).set(bearer(actor)).send(body);
    }

    /** Checks that an allowed `op` did what it says. */
    function assertDone(op: Op, before: Awaited<ReturnType<typeof snapshot>>, after: Awaited<ReturnType<typeof snapshot>>, what: string) {
      if (op === 'edit') assert.match(after.displayName, /^改名-/, what);
      if (op === 'unlock') assert.equal(after.lockedUntil, null, what);
      if (op === 'roles')
        assert.ok(
          after.roles.some((r) => r.startsWith(`${Role.DutyOfficer}@`)),
          what,
        );
      if (op === 'disable') assert.equal(after.status, UserStatus.Disabled, what);
      if (op === 'enable') assert.equal(after.status, UserStatus.Active, what);
      if (op === 'reset') {
        assert.notEqual(after.passwordHash, before.passwordHash, what);
        assert.equal(after.mustChangePassword, true, `${what}: an administrator's reset is temporary`);
      }
    }

    for (const actor of Object.keys(ACTORS) as ActorKey[]) {
      it(`${actor}: changes exactly the users it may manage, and nothing of the others`, async () => {
        for (const target of Object.keys(TARGETS) as TargetKey[]) {
          const userId = ids.get(`ut.${target}`)!;
          // What the console is told it may do is exactly what the hub then allows.
          const seen = await hub.http.get(`/api/v1/users/${userId}`).set(bearer(actor));
          if (seen.status === 200) {
            const mayReset = ALLOWED[actor][target]?.includes('reset') ?? false;
            assert.equal(seen.body.manageable, mayReset, `${actor} sees ${target} as manageable=${seen.body.manageable}`);
          }
          // Enable runs right after disable, so it has something to undo.
          for (const op of OPS) {
            const what = `${actor} ${op} ${target}`;
            const allowed = ALLOWED[actor][target]?.includes(op) ?? false;
            if (op === 'unlock') await lockInDb(userId);
            const before = await snapshot(userId);
            const res = await perform(actor, op, userId, TARGETS[target].home);
            const after = await snapshot(userId);
            if (allowed) {
              assert.equal(res.status, 200, `${what}: ${JSON.stringify(res.body)}`);
              assertDone(op, before, after, what);
            } else {
              assert.ok([403, 404].includes(res.status), `${what} was not refused: ${res.status} ${JSON.stringify(res.body)}`);
              assert.deepEqual(after, before, `${what} was refused but changed the user`);
            }
          }
          // Leave the target as it was for the next actor: active, unlocked, with its own roles only.
          await hub.ds.getRepository(RoleAssignment).delete({ userId, role: Role.DutyOfficer });
          await hub.ds
            .getRepository(User)
            .update({ id: userId }, { status: UserStatus.Active, lockedUntil: null, failedLoginCount: 0, displayName: `ut.${target}` });
        }
      });

      it(`${actor}: changes nothing of its own account or roles through user administration`, async () => {
        const me = ids.get(`ua.${actor}`)!;
        const own = await hub.http.get(`/api/v1/users/${me}`).set(bearer(actor));
        if (own.status === 200) assert.equal(own.body.manageable, false, `${actor} is not offered to manage itself`);
        const [role, unit] = ACTORS[actor];
        for (const op of OPS) {
          if (op === 'unlock') await lockInDb(me);
          const before = await snapshot(me);
          const res = await perform(actor, op, me, unit);
          assert.ok([403, 404].includes(res.status), `${actor} ${op} self: ${res.status} ${JSON.stringify(res.body)}`);
          if (res.status === 403) assert.equal(res.body.code, 'SELF_ADMINISTRATION', `${actor} ${op} self`);
          assert.deepEqual(await snapshot(me), before);
        }
        await hub.ds.getRepository(User).update({ id: me }, { lockedUntil: null, failedLoginCount: 0 });
        assert.equal((await hub.http.get('/api/v1/auth/me').set(bearer(actor))).body.roles.length, 1, `${actor} still holds only ${role}`);
      });
    }

    describe('the attacks, one by one', () => {
      async function attack(actor: ActorKey, username: string, body: object, status: number, code?: string) {
        const id = ids.get(username)!;
        const before = await snapshot(id);
        const res = await hub.http.patch(`/api/v1/users/${id}`).set(bearer(actor)).send(body);
        assert.equal(res.status, status, JSON.stringify(res.body));
        if (code) assert.equal(res.body.code, code);
        assert.match(res.body.message, /[\u4e00-\u9fa5]/, 'the refusal is explained in Chinese');
        assert.deepEqual(await snapshot(id), before);
        return id;
      }
      const stillSignsIn = async (username: string) =>
        assert.ok(await login(hub.http, username), `${username} still signs in with the old password`);

      it('a unit admin cannot reset the password of the supervisor at its own unit, nor of one above it', async () => {
        await mkUser('atk.supA', 'cityA', [[Role.Supervisor, 'cityA']]);
        await mkUser('atk.supProv', 'province', [[Role.Supervisor, 'province']]);
        await attack('uaCity', 'atk.supA', { password: TEMP }, 403, 'USER_NOT_MANAGEABLE');
        await attack('uaCity', 'atk.supProv', { password: TEMP }, 404);
        await stillSignsIn('atk.supA');
        await stillSignsIn('atk.supProv');
      });

      it('a unit admin cannot reset an editor who also holds a role at a sibling city', async () => {
        await mkUser('atk.shared', 'countyA1', [
          [Role.Editor, 'countyA1'],
          [Role.Reviewer, 'countyB1'],
        ]);
        await attack('uaCity', 'atk.shared', { password: TEMP }, 403, 'USER_NOT_MANAGEABLE');
        await attack('uaCity', 'atk.shared', { status: 'disabled' }, 403, 'USER_NOT_MANAGEABLE');
        await stillSignsIn('atk.shared');
      });

      it('the security admin cannot reset, disable or unlock the operator, nor the operator the security admin', async () => {
        await mkUser('atk.op', 'province', [[Role.PlatformOperator, 'province']]);
        await mkUser('atk.sec', 'province', [[Role.SecurityAdmin, 'province']]);
        for (const body of [{ password: TEMP }, { status: 'disabled' }, { unlock: true }, { displayName: '改名' }]) {
          await attack('sec', 'atk.op', body, 403, 'SEPARATED_ROLE_TARGET');
          await attack('op', 'atk.sec', body, 403, 'SEPARATED_ROLE_TARGET');
          await attack('aud', 'atk.sec', body, 404);
        }
        await stillSignsIn('atk.op');
        await stillSignsIn('atk.sec');
      });

      it('the security admin cannot strip another 三员 account of its role (to reset it next)', async () => {
        const id = await mkUser('atk.aud', 'province', [[Role.Auditor, 'province']]);
        const res = await hub.http.post(`/api/v1/users/${id}/roles`).set(bearer('sec')).send({ roles: [] });
        assert.equal(res.status, 403);
        assert.equal(res.body.code, 'SEPARATED_ROLE_TARGET');
        assert.deepEqual((await snapshot(id)).roles, [`auditor@${world.units.province.id}:`]);
      });

      it('nobody grants itself roles: a unit admin cannot make itself editor or reviewer, the security admin cannot add a role', async () => {
        const self = async (actor: ActorKey, roles: object[]) => {
          const id = ids.get(`ua.${actor}`)!;
          const before = await snapshot(id);
          const res = await hub.http.post(`/api/v1/users/${id}/roles`).set(bearer(actor)).send({ roles });
          assert.equal(res.status, 403, JSON.stringify(res.body));
          assert.equal(res.body.code, 'SELF_ADMINISTRATION');
          assert.match(res.body.message, /本人/);
          assert.deepEqual(await snapshot(id), before);
        };
        const a1 = world.units.countyA1.id;
        await self('uaCounty', [
          { role: 'unit_admin', unitId: a1 },
          { role: 'editor', unitId: a1 },
        ]);
        await self('uaCounty', [
          { role: 'unit_admin', unitId: a1 },
          { role: 'reviewer', unitId: a1, level: 1 },
        ]);
        await self('sec', [
          { role: 'security_admin', unitId: world.units.province.id },
          { role: 'supervisor', unitId: world.units.province.id },
        ]);
        await self('sec', []);
      });

      it('nobody disables, unlocks or resets itself through PATCH /users/:id', async () => {
        for (const body of [{ status: 'disabled' }, { unlock: true }, { password: TEMP }]) {
          const id = ids.get('ua.uaCity')!;
          const res = await hub.http.patch(`/api/v1/users/${id}`).set(bearer('uaCity')).send(body);
          assert.equal(res.status, 403);
          assert.equal(res.body.code, 'SELF_ADMINISTRATION');
        }
        await stillSignsIn('ua.uaCity');
      });

      it("revokes another user's API key only when it may manage that user; its own always", async () => {
        const a1 = world.units.countyA1.id;
        const cityAdmin = await login(hub.http, 'ua.uaCity');
        const mk = await hub.http
          .post('/api/v1/api-keys')
          .set({ Authorization: `Bearer ${cityAdmin}` })
          .send({ name: '县级接口', unitId: a1, grants: [{ role: 'unit_admin', unitId: a1 }] });
        assert.equal(mk.status, 201, JSON.stringify(mk.body));
        // Inside county A1's subtree, but owned by the city's unit admin: not the county admin's to revoke.
        const byCounty = await hub.http.delete(`/api/v1/api-keys/${mk.body.id}`).set(bearer('uaCounty'));
        assert.equal(byCounty.status, 403, JSON.stringify(byCounty.body));
        assert.equal(byCounty.body.code, 'USER_NOT_MANAGEABLE');
        const byOperator = await hub.http.delete(`/api/v1/api-keys/${mk.body.id}`).set(bearer('op'));
        assert.equal(byOperator.status, 403);
        assert.equal((await hub.http.get('/api/v1/units').set({ Authorization: `Bearer ${mk.body.token}` })).status, 200, 'still valid');
        const byOwner = await hub.http.delete(`/api/v1/api-keys/${mk.body.id}`).set({ Authorization: `Bearer ${cityAdmin}` });
        assert.equal(byOwner.status, 200);
        assert.equal((await hub.http.get('/api/v1/units').set({ Authorization: `Bearer ${mk.body.token}` })).status, 401);
      });
    });
  });

  describe(`the bootstrap operator's grant power ends for good (${driver})`, () => {
    let hub: TestHub;
    const BOOT = 'Boot#Strap2026x';

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_BOOTSTRAP_ADMIN: `root:${BOOT}` });
    });
    after(() => hub.close());

    it('does not come back when the security admin is disabled and loses its role', async () => {
      const root = await login(hub.http, 'root', BOOT);
      const auth = { Authorization: `Bearer ${root}` };
      const rootUnit = (await hub.http.get('/api/v1/units').set(auth)).body.items[0].id as string;
      const mk = (username: string, role: string) =>
        hub.http
          .post('/api/v1/users')
          .set(auth)
          .send({ username, displayName: username, unitId: rootUnit, password: TEMP, roles: [{ role, unitId: rootUnit }] });
      assert.equal((await mk('bs.editor1', 'editor')).status, 201, 'inside the bootstrap window');
      const sec = await mk('bs.sec', 'security_admin');
      assert.equal(sec.status, 201);

      // The security admin leaves: disabled and its role taken away (the break-glass path, or the
      // database by hand). Every trace of a security admin is gone from the current roles.
      await hub.ds.getRepository(User).update({ id: sec.body.id }, { status: UserStatus.Disabled });
      await hub.ds.getRepository(RoleAssignment).delete({ userId: sec.body.id });
      hub.app.get(ActorLoader).invalidate(); // as a restart of the hub would
      assert.equal(await hub.ds.getRepository(RoleAssignment).countBy({ role: Role.SecurityAdmin }), 0);

      const late = await mk('bs.editor2', 'editor');
      assert.equal(late.status, 403, JSON.stringify(late.body));
      assert.equal(late.body.code, 'ROLE_NOT_GRANTABLE');
      const again = await mk('bs.sec2', 'security_admin');
      assert.equal(again.status, 403, 'nor may it appoint a security admin of its choosing');
      const editor1 = (await hub.ds.getRepository(User).findOneByOrFail({ username: 'bs.editor1' })).id;
      const regrant = await hub.http
        .post(`/api/v1/users/${editor1}/roles`)
        .set(auth)
        .send({ roles: [{ role: 'unit_admin', unitId: rootUnit }] });
      assert.equal(regrant.status, 403, JSON.stringify(regrant.body));
      assert.equal(await hub.ds.getRepository(User).countBy({ username: 'bs.editor2' }), 0);
    });
  });
}
