import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import { AuditEntry } from '@tongfa/audit';
import { Role, Session, User } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { PASSWORD, World } from './support/world';
import { LeakWatch } from './support/leak-watch';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppConfig } from '@tongfa/core';
import { createHub } from '../apps/hub/src/bootstrap';

const MIN = 60_000;
const DAY = 86_400_000;
const TEMP = 'Temp#Pass2026x';

/** The code an authenticator app would show at the hub's (manual) time. */
function totpAt(hub: TestHub, secret: string): string {
  return authenticator.clone({ epoch: hub.clock.now().getTime() }).generate(secret);
}

/** Sign-in helpers bound to one hub, routed through a LeakWatch. */
function authApi(hub: TestHub, w: LeakWatch) {
  const api = {
    async login(username: string, password = PASSWORD, extra: { otp?: string; recoveryCode?: string } = {}) {
      const res = await w.call('post', '/api/v1/auth/login', {
        body: { username, password: w.secret(password), ...extra },
        shows: ['refreshToken'],
      });
      if (res.status === 200) w.secret(res.body.refreshToken as string);
      return res;
    },
    async tokens(username: string, password = PASSWORD) {
      const res = await api.login(username, password);
      assert.equal(res.status, 200, `login ${username}: ${JSON.stringify(res.body)}`);
      return res.body as { accessToken: string; refreshToken: string; mustChangePassword: boolean; mfaEnrollmentRequired: boolean };
    },
    async refresh(refreshToken: string) {
      const res = await w.call('post', '/api/v1/auth/refresh', { body: { refreshToken }, shows: ['refreshToken'] });
      if (res.status === 200) w.secret(res.body.refreshToken as string);
      return res;
    },
    changePassword(token: string, currentPassword: string, newPassword: string) {
      return w.call('post', '/api/v1/auth/password', { token, body: { currentPassword, newPassword: w.secret(newPassword) } });
    },
    me: (token: string) => w.call('get', '/api/v1/auth/me', { token }),
    /** Enrols TOTP for the session's user; returns the secret, recovery codes and the new access token. */
    async enrolTotp(token: string) {
      const setup = await w.call('post', '/api/v1/auth/totp/setup', { token, shows: ['secret', 'otpauthUrl'] });
      assert.equal(setup.status, 200, JSON.stringify(setup.body));
      const secret = w.secret(setup.body.secret as string);
      const act = await w.call('post', '/api/v1/auth/totp/activate', {
        token,
        body: { code: totpAt(hub, secret) },
        shows: ['recoveryCodes'],
      });
      assert.equal(act.status, 200, JSON.stringify(act.body));
      const recoveryCodes = act.body.recoveryCodes as string[];
      recoveryCodes.forEach((c) => w.secret(c));
      return { secret, recoveryCodes, accessToken: act.body.accessToken as string, setupBody: setup.body };
    },
  };
  return api;
}

async function auditRows(hub: TestHub, action: string, actorName?: string) {
  const rows = (await hub.ds.query('SELECT * FROM audit_entry ORDER BY seq')) as {
    action: string;
    actorName: string | null;
    actorId: string | null;
    result: string;
    after: string | null;
  }[];
  return rows.filter((r) => r.action === action && (actorName === undefined || r.actorName === actorName));
}

for (const driver of testDrivers()) {
  describe(`sign-in and sessions (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let w: LeakWatch;
    let api: ReturnType<typeof authApi>;
    let secAdmin: string;
    const sec = () => api.tokens('a.sec').then((t) => t.accessToken);

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      w = new LeakWatch(hub.http);
      api = authApi(hub, w);
      w.secret(PASSWORD);
      w.secret(TEMP);
      await world.user('a.sec', Role.SecurityAdmin, 'province');
      await world.user('a.auditor', Role.Auditor, 'province');
      await world.user('a.editor', Role.Editor, 'cityA');
      secAdmin = world.users.get('a.sec')!.id;
    });
    after(() => hub.close());

    describe('login', () => {
      it('signs in through passport-local and returns exactly the token contract', async () => {
        const res = await api.login('a.editor');
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(Object.keys(res.body).sort(), [
          'accessToken',
          'expiresIn',
          'mfaEnrollmentRequired',
          'mustChangePassword',
          'refreshToken',
        ]);
        assert.equal(res.body.expiresIn, 900);
        assert.equal(res.body.mustChangePassword, false);
        assert.equal(res.body.mfaEnrollmentRequired, false);
        const me = await api.me(res.body.accessToken);
        assert.equal(me.status, 200);
        assert.equal(me.body.username, 'a.editor');
        assert.equal(me.body.via, 'session');
      });

      it('audits a successful sign-in once, with the user as actor', async () => {
        const before = (await auditRows(hub, 'auth.login', 'a.auditor')).length;
        await api.tokens('a.auditor');
        const rows = await auditRows(hub, 'auth.login', 'a.auditor');
        assert.equal(rows.length, before + 1);
        assert.equal(rows.at(-1)!.result, 'success');
        assert.equal(rows.at(-1)!.actorId, world.users.get('a.auditor')!.id);
        // The passport guard handled the request: no second, request-level record.
        assert.equal((await auditRows(hub, 'http.post')).filter((r) => r.actorName === 'a.auditor').length, 0);
      });

      it('refuses a wrong password with 401 and audits the failure and its reason', async () => {
        const res = await api.login('a.editor', 'Wrong#Pass2026');
        assert.equal(res.status, 401);
        assert.equal(res.body.code, 'INVALID_CREDENTIALS');
        assert.equal(res.body.message, '用户名或密码错误');
        const last = (await auditRows(hub, 'auth.login', 'a.editor')).at(-1)!;
        assert.equal(last.result, 'failure');
        assert.match(String(last.after), /wrong_password/);
      });

      it('answers an unknown username exactly like a wrong password', async () => {
        const unknown = await api.login('nobody.here', 'Wrong#Pass2026');
        const wrong = await api.login('a.editor', 'Wrong#Pass2026');
        assert.equal(unknown.status, 401);
        assert.deepEqual(
          { code: unknown.body.code, message: unknown.body.message },
          { code: wrong.body.code, message: wrong.body.message },
        );
        assert.equal((await auditRows(hub, 'auth.login', 'nobody.here')).at(-1)?.result, 'failure');
      });

      it('rejects a malformed body with 400 naming the fields, before any sign-in attempt', async () => {
        const before = (await auditRows(hub, 'auth.login')).length;
        const missing = await w.call('post', '/api/v1/auth/login', { body: { username: 'a.editor' } });
        assert.equal(missing.status, 400);
        assert.equal(missing.body.code, 'VALIDATION_FAILED');
        assert.ok(missing.body.details.some((d: { field: string }) => d.field === 'password'));
        const extra = await w.call('post', '/api/v1/auth/login', { body: { username: 'a.editor', password: PASSWORD, admin: true } });
        assert.equal(extra.status, 400);
        const badOtp = await w.call('post', '/api/v1/auth/login', { body: { username: 'a.editor', password: PASSWORD, otp: '12ab' } });
        assert.equal(badOtp.status, 400);
        assert.equal((await auditRows(hub, 'auth.login')).length, before);
      });

      it('stores passwords as argon2id hashes', async () => {
        const user = await hub.ds.getRepository(User).findOneByOrFail({ username: 'a.editor' });
        assert.match(user.passwordHash!, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      });
    });

    describe('lockout', () => {
      async function lock(username: string) {
        for (let i = 1; i <= 4; i++) assert.equal((await api.login(username, `Wrong#Pass${i}x`)).status, 401, `attempt ${i}`);
        const fifth = await api.login(username, 'Wrong#Pass5x');
        assert.equal(fifth.status, 423, 'the fifth failure locks');
        return fifth;
      }

      it('locks the account after five failures with 423 and a clear message, even for the right password', async () => {
        await world.user('l.one', Role.Editor, 'countyA1');
        const fifth = await lock('l.one');
        assert.equal(fifth.body.code, 'ACCOUNT_LOCKED');
        assert.match(fifth.body.message, /账号已锁定，请于 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）后重试/);
        assert.doesNotMatch(fifth.body.message, /T\d\d:|Z\b/, 'no UTC ISO time');
        const right = await w.call('post', '/api/v1/auth/login', { body: { username: 'l.one', password: PASSWORD }, lang: 'en' });
        assert.equal(right.status, 423);
        assert.match(right.body.message, /locked until \d{4}-\d\d-\d\d \d\d:\d\d \(Beijing time\)/);
        const view = await w.call('get', `/api/v1/users/${world.users.get('l.one')!.id}`, { token: await sec() });
        assert.equal(view.body.locked, true);
      });

      it('unlocks by itself after 15 minutes', async () => {
        await world.user('l.two', Role.Editor, 'countyA1');
        await lock('l.two');
        hub.clock.advance(14 * MIN);
        assert.equal((await api.login('l.two')).status, 423, 'still locked after 14 minutes');
        hub.clock.advance(2 * MIN);
        assert.equal((await api.login('l.two')).status, 200, 'unlocked after 16 minutes');
      });

      it('counts again from zero after the lock expires', async () => {
        await world.user('l.three', Role.Editor, 'countyA1');
        await lock('l.three');
        hub.clock.advance(16 * MIN);
        assert.equal((await api.login('l.three', 'Wrong#Pass9x')).status, 401, 'one failure after the lock does not re-lock');
        assert.equal((await api.login('l.three')).status, 200);
      });

      it('unlocks at once when an administrator PATCHes unlock: true, and audits it', async () => {
        const u = await world.user('l.four', Role.Editor, 'countyA1');
        await lock('l.four');
        const res = await w.call('patch', `/api/v1/users/${u.id}`, { token: await sec(), body: { unlock: true } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.locked, false);
        assert.equal((await api.login('l.four')).status, 200);
        const rows = (await hub.ds.query('SELECT * FROM audit_entry')) as { action: string; targetId: string; actorId: string }[];
        assert.ok(rows.some((r) => r.action === 'user.unlock' && r.targetId === u.id && r.actorId === secAdmin));
      });
    });

    describe('passwords', () => {
      it('restricts the session of an admin-created user until the temporary password is changed', async () => {
        const created = await w.call('post', '/api/v1/users', {
          token: await sec(),
          body: {
            username: 'p.temp',
            displayName: '临时密码',
            unitId: world.units.cityA.id,
            password: TEMP,
            roles: [{ role: 'editor', unitId: world.units.cityA.id }],
          },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const first = await api.tokens('p.temp', TEMP);
        assert.equal(first.mustChangePassword, true);
        const blocked = await w.call('get', '/api/v1/units', { token: first.accessToken });
        assert.equal(blocked.status, 403);
        assert.equal(blocked.body.code, 'PASSWORD_CHANGE_REQUIRED');
        const me = await api.me(first.accessToken);
        assert.equal(me.status, 200);
        assert.equal(me.body.restriction, 'password_change');
        // A refresh keeps the restriction: it lives in the session, not only in the token.
        const refreshed = await api.refresh(first.refreshToken);
        assert.equal(refreshed.body.mustChangePassword, true);

        const changed = await api.changePassword(refreshed.body.accessToken, TEMP, 'Fresh#Pass2026');
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
        assert.equal((await w.call('get', '/api/v1/units', { token: changed.body.accessToken })).status, 200);
        const after = await api.refresh(refreshed.body.refreshToken);
        assert.equal(after.status, 200);
        assert.equal(after.body.mustChangePassword, false);
        assert.equal((await w.call('get', '/api/v1/units', { token: after.body.accessToken })).status, 200);
        assert.equal((await api.login('p.temp', 'Fresh#Pass2026')).body.mustChangePassword, false);
      });

      it('refuses a wrong current password and passwords that break the complexity rules', async () => {
        await world.user('p.rules', Role.Editor, 'cityA');
        const t = await api.tokens('p.rules');
        const wrong = await api.changePassword(t.accessToken, 'Not#ThePass2026', 'Another#Pass2026');
        assert.equal(wrong.status, 400);
        assert.equal(wrong.body.code, 'PASSWORD_WRONG');
        for (const weak of ['Sh0rt#x', 'alllowercaseletters', 'p.rules#Pass2026', 'Aaaa#1111bbb']) {
          const res = await api.changePassword(t.accessToken, PASSWORD, weak);
          assert.equal(res.status, 400, weak);
          assert.equal(res.body.code, 'PASSWORD_TOO_WEAK', weak);
          assert.ok(!JSON.stringify(res.body).includes(weak), 'the error does not echo the password');
        }
        const created = await w.call('post', '/api/v1/users', {
          token: await sec(),
          body: { username: 'p.weak', displayName: '弱密码', unitId: world.units.cityA.id, password: 'weakpass' },
        });
        assert.equal(created.status, 400);
        assert.equal(created.body.code, 'PASSWORD_TOO_WEAK');
      });

      it('refuses any of the last five passwords and accepts the sixth back', async () => {
        await world.user('p.history', Role.Editor, 'cityA');
        let token = (await api.tokens('p.history')).accessToken;
        const seq = [PASSWORD, 'Second#Pass2026', 'Third#Pass2026', 'Fourth#Pass2026', 'Fifth#Pass2026', 'Sixth#Pass2026'];
        for (let i = 1; i < seq.length; i++) {
          const res = await api.changePassword(token, seq[i - 1]!, seq[i]!);
          assert.equal(res.status, 200, `change ${i}: ${JSON.stringify(res.body)}`);
          token = res.body.accessToken;
        }
        for (const old of seq.slice(1)) {
          const res = await api.changePassword(token, seq.at(-1)!, old);
          assert.equal(res.status, 400, old);
          assert.equal(res.body.code, 'PASSWORD_REUSED');
        }
        const sixthBack = await api.changePassword(token, seq.at(-1)!, PASSWORD);
        assert.equal(sixthBack.status, 200, JSON.stringify(sixthBack.body));
      });

      it('ends the other sessions of a user who changes the password', async () => {
        await world.user('p.others', Role.Editor, 'cityA');
        const a = await api.tokens('p.others');
        const b = await api.tokens('p.others');
        assert.equal((await api.changePassword(a.accessToken, PASSWORD, 'Changed#Pass2026')).status, 200);
        assert.equal((await api.me(b.accessToken)).status, 401);
        assert.equal((await api.refresh(b.refreshToken)).status, 401);
        assert.equal((await api.refresh(a.refreshToken)).status, 200, 'the session that changed it stays');
      });

      it('ends every session when an administrator resets the password, and the reset is temporary', async () => {
        const u = await world.user('p.reset', Role.Editor, 'cityA');
        const s = await api.tokens('p.reset');
        const res = await w.call('patch', `/api/v1/users/${u.id}`, { token: await sec(), body: { password: 'Reset#Pass2026' } });
        assert.equal(res.status, 200);
        w.secret('Reset#Pass2026');
        assert.equal((await api.refresh(s.refreshToken)).status, 401);
        assert.equal((await api.login('p.reset', 'Reset#Pass2026')).body.mustChangePassword, true);
      });
    });

    describe('tokens and sessions', () => {
      it('issues access tokens that expire after 15 minutes; the refresh token renews them', async () => {
        await world.user('s.ttl', Role.Editor, 'cityA');
        const t = await api.tokens('s.ttl');
        hub.clock.advance(14 * MIN);
        assert.equal((await api.me(t.accessToken)).status, 200);
        hub.clock.advance(2 * MIN);
        const expired = await api.me(t.accessToken);
        assert.equal(expired.status, 401);
        assert.equal(expired.body.code, 'TOKEN_INVALID');
        const r = await api.refresh(t.refreshToken);
        assert.equal(r.status, 200);
        assert.equal((await api.me(r.body.accessToken)).status, 200);
      });

      it('rotates refresh tokens and stores only their hashes', async () => {
        await world.user('s.rotate', Role.Editor, 'cityA');
        const t = await api.tokens('s.rotate');
        const r1 = await api.refresh(t.refreshToken);
        assert.equal(r1.status, 200);
        assert.notEqual(r1.body.refreshToken, t.refreshToken);
        const r2 = await api.refresh(r1.body.refreshToken);
        assert.equal(r2.status, 200);
        const sessions = await hub.ds.getRepository(Session).findBy({ userId: world.users.get('s.rotate')!.id });
        const text = JSON.stringify(sessions);
        for (const tok of [t.refreshToken, r1.body.refreshToken, r2.body.refreshToken]) assert.ok(!text.includes(tok));
        assert.equal(sessions[0]!.generation, 3);
      });

      it('revokes the whole session when a rotated refresh token is replayed; the newest stops working too', async () => {
        await world.user('s.reuse', Role.Editor, 'cityA');
        const t = await api.tokens('s.reuse');
        const r1 = await api.refresh(t.refreshToken);
        assert.equal(r1.status, 200);
        const replay = await api.refresh(t.refreshToken);
        assert.equal(replay.status, 401);
        assert.equal(replay.body.code, 'REFRESH_REUSED');
        const newest = await api.refresh(r1.body.refreshToken);
        assert.equal(newest.status, 401, 'the newest refresh token is refused too');
        assert.equal((await api.me(r1.body.accessToken)).status, 401, 'and so is the access token of that session');
        const session = await hub.ds.getRepository(Session).findOneByOrFail({ userId: world.users.get('s.reuse')!.id });
        assert.equal(session.revokedReason, 'refresh_reuse');
        assert.equal((await api.login('s.reuse')).status, 200, 'a fresh sign-in still works');
      });

      it('refuses a forged refresh token without touching the session', async () => {
        await world.user('s.forge', Role.Editor, 'cityA');
        const t = await api.tokens('s.forge');
        const [sid, , rand, mac] = t.refreshToken.split('.');
        const forged = await api.refresh(`${sid}.1.${rand}x.${mac}`);
        assert.equal(forged.status, 401);
        assert.equal(forged.body.code, 'REFRESH_INVALID');
        assert.equal((await api.refresh(t.refreshToken)).status, 200);
      });

      it('logout revokes the session: its access and refresh tokens are refused', async () => {
        await world.user('s.logout', Role.Editor, 'cityA');
        const t = await api.tokens('s.logout');
        const res = await w.call('post', '/api/v1/auth/logout', { token: t.accessToken });
        assert.equal(res.status, 204);
        assert.equal((await api.me(t.accessToken)).status, 401);
        assert.equal((await api.refresh(t.refreshToken)).status, 401);
        const rows = (await hub.ds.query('SELECT * FROM audit_entry')) as { action: string; actorName: string }[];
        assert.ok(rows.some((r) => r.action === 'auth.logout' && r.actorName === 's.logout'));
      });

      it('keeps an active session alive and ends one idle for more than 30 minutes', async () => {
        await world.user('s.idle', Role.Editor, 'cityA');
        const t = await api.tokens('s.idle');
        hub.clock.advance(10 * MIN);
        assert.equal((await api.me(t.accessToken)).status, 200);
        hub.clock.advance(25 * MIN);
        // 35 minutes after sign-in but 25 after the last request: still alive.
        const r = await api.refresh(t.refreshToken);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        hub.clock.advance(29 * MIN);
        assert.equal((await api.me(r.body.accessToken)).status, 401, 'the access token itself has expired by now');
        hub.clock.advance(2 * MIN);
        const idle = await api.refresh(r.body.refreshToken);
        assert.equal(idle.status, 401);
        assert.equal(idle.body.code, 'SESSION_EXPIRED');
        const session = await hub.ds.getRepository(Session).findOneByOrFail({ userId: world.users.get('s.idle')!.id });
        assert.equal(session.revokedReason, 'idle');
      });

      it('refuses requests without a token, with a garbage token, and with a token signed by another key', async () => {
        assert.equal((await w.call('get', '/api/v1/auth/me')).status, 401);
        assert.equal((await api.me('not-a-jwt')).status, 401);
        const t = await api.tokens('a.editor');
        const [h, p] = t.accessToken.split('.');
        assert.equal((await api.me(`${h}.${p}.c2lnbmF0dXJl`)).status, 401);
      });
    });

    describe('second factor', () => {
      it('enrols TOTP, then requires a code at sign-in; a recovery code works exactly once', async () => {
        const u = await world.user('m.totp', Role.Editor, 'cityA');
        const t = await api.tokens('m.totp');
        const setup = await w.call('post', '/api/v1/auth/totp/setup', { token: t.accessToken, shows: ['secret', 'otpauthUrl'] });
        assert.equal(setup.status, 200);
        const secret = w.secret(setup.body.secret as string);
        assert.match(setup.body.otpauthUrl, /^otpauth:\/\/totp\/.*secret=/);
        const badCode = totpAt(hub, secret) === '000000' ? '111111' : '000000';
        const bad = await w.call('post', '/api/v1/auth/totp/activate', { token: t.accessToken, body: { code: badCode } });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.code, 'MFA_CODE_WRONG');
        const act = await w.call('post', '/api/v1/auth/totp/activate', {
          token: t.accessToken,
          body: { code: totpAt(hub, secret) },
          shows: ['recoveryCodes'],
        });
        assert.equal(act.status, 200, JSON.stringify(act.body));
        const codes = act.body.recoveryCodes as string[];
        codes.forEach((c) => w.secret(c));
        assert.equal(codes.length, 10);
        assert.equal(new Set(codes).size, 10);

        const stored = await hub.ds.getRepository(User).findOneByOrFail({ id: u.id });
        assert.ok(stored.totpEnabled);
        assert.ok(!stored.totpSecret!.includes(secret), 'the TOTP secret is stored sealed');

        const noCode = await api.login('m.totp');
        assert.equal(noCode.status, 401);
        assert.equal(noCode.body.code, 'MFA_REQUIRED');
        const wrong = await api.login('m.totp', PASSWORD, { otp: badCode });
        assert.equal(wrong.status, 401);
        assert.equal(wrong.body.code, 'MFA_INVALID');
        hub.clock.advance(MIN);
        assert.equal((await api.login('m.totp', PASSWORD, { otp: totpAt(hub, secret) })).status, 200);
        assert.equal((await api.login('m.totp', PASSWORD, { recoveryCode: codes[3] })).status, 200);
        const again = await api.login('m.totp', PASSWORD, { recoveryCode: codes[3] });
        assert.equal(again.status, 401, 'a recovery code is spent after one use');
        assert.equal((await api.login('m.totp', PASSWORD, { recoveryCode: codes[4]!.toLowerCase() })).status, 200);
        const reSetup = await w.call('post', '/api/v1/auth/totp/setup', { token: t.accessToken });
        assert.equal(reSetup.status, 409);
        assert.equal(reSetup.body.code, 'MFA_ALREADY_ENABLED');
      });

      it('counts wrong codes towards the lockout', async () => {
        await world.user('m.guess', Role.Editor, 'cityA');
        const { secret } = await api.enrolTotp((await api.tokens('m.guess')).accessToken);
        const wrong = totpAt(hub, secret) === '000000' ? '111111' : '000000';
        for (let i = 0; i < 4; i++) assert.equal((await api.login('m.guess', PASSWORD, { otp: wrong })).status, 401);
        assert.equal((await api.login('m.guess', PASSWORD, { otp: wrong })).status, 423);
        assert.equal((await api.login('m.guess', PASSWORD, { otp: totpAt(hub, secret) })).status, 423);
      });

      it('removes the second factor only with the password and a fresh code from the factor itself', async () => {
        await world.user('m.off', Role.Editor, 'cityA');
        const { accessToken, secret } = await api.enrolTotp((await api.tokens('m.off')).accessToken);
        hub.clock.advance(30_000); // enrolment spent this window's code
        const code = totpAt(hub, secret);
        const off = (body: Record<string, string>) => w.call('delete', '/api/v1/auth/totp', { token: accessToken, body });
        const wrong = await off({ password: 'Wrong#Pass2026', otp: code });
        assert.equal(wrong.status, 400);
        // A stolen session with the password alone cannot strip the factor.
        const noCode = await off({ password: PASSWORD });
        assert.equal(noCode.status, 400);
        assert.equal(noCode.body.code, 'MFA_CODE_WRONG');
        assert.match(JSON.stringify(noCode.body.details), /otp/);
        assert.equal((await off({ password: PASSWORD, otp: code === '000000' ? '111111' : '000000' })).status, 400);
        assert.equal((await api.login('m.off')).body.code, 'MFA_REQUIRED');
        const ok = await off({ password: PASSWORD, otp: code });
        assert.equal(ok.status, 204);
        assert.equal((await api.login('m.off')).status, 200);
      });

      it('takes a recovery code instead of the app code to remove the factor, once', async () => {
        await world.user('m.lost', Role.Editor, 'cityA');
        const { accessToken, recoveryCodes } = await api.enrolTotp((await api.tokens('m.lost')).accessToken);
        const ok = await w.call('delete', '/api/v1/auth/totp', {
          token: accessToken,
          body: { password: PASSWORD, recoveryCode: recoveryCodes[0] },
        });
        assert.equal(ok.status, 204);
        assert.equal((await api.login('m.lost')).status, 200);
      });
    });

    describe('separation of duties', () => {
      it('refuses to create a user holding two of operator, security admin and auditor (409)', async () => {
        for (const pair of [
          ['platform_operator', 'auditor'],
          ['security_admin', 'auditor'],
          ['platform_operator', 'security_admin'],
        ]) {
          const res = await w.call('post', '/api/v1/users', {
            token: await sec(),
            body: {
              username: `sod.${pair.join('.')}`,
              displayName: '兼任',
              unitId: world.units.province.id,
              password: TEMP,
              roles: pair.map((role) => ({ role, unitId: world.units.province.id })),
            },
          });
          assert.equal(res.status, 409, pair.join('+'));
          assert.equal(res.body.code, 'SEPARATION_OF_DUTIES');
        }
        const list = await w.call('get', '/api/v1/users?q=sod.', { token: await sec() });
        assert.equal(list.body.total, 0, 'nothing was created');
      });

      it('refuses to give an existing user two separated roles, even at different units', async () => {
        const editor = world.users.get('a.editor')!;
        const res = await w.call('post', `/api/v1/users/${editor.id}/roles`, {
          token: await sec(),
          body: {
            roles: [
              { role: 'editor', unitId: world.units.cityA.id },
              { role: 'auditor', unitId: world.units.province.id },
              { role: 'platform_operator', unitId: world.units.cityB.id },
            ],
          },
        });
        assert.equal(res.status, 409);
        assert.equal(res.body.code, 'SEPARATION_OF_DUTIES');
        const view = await w.call('get', `/api/v1/users/${editor.id}`, { token: await sec() });
        assert.deepEqual(
          view.body.roles.map((r: { role: string }) => r.role),
          ['editor'],
        );
      });

      it('refuses to add a role to another holder of a separated role: their accounts are not one another’s', async () => {
        const auditor = world.users.get('a.auditor')!;
        const res = await w.call('post', `/api/v1/users/${auditor.id}/roles`, {
          token: await sec(),
          body: {
            roles: [
              { role: 'auditor', unitId: world.units.province.id },
              { role: 'platform_operator', unitId: world.units.cityB.id },
            ],
          },
        });
        assert.equal(res.status, 403);
        assert.equal(res.body.code, 'SEPARATED_ROLE_TARGET');
        const view = await w.call('get', `/api/v1/users/${auditor.id}`, { token: await sec() });
        assert.deepEqual(
          view.body.roles.map((r: { role: string }) => r.role),
          ['auditor'],
        );
      });
    });

    it('never shows a password, refresh token, TOTP secret or recovery code in a response body or an audit entry', async () => {
      const auditor = await api.tokens('a.auditor');
      const audit = await w.call('get', '/api/v1/audit?pageSize=200', { token: auditor.accessToken });
      assert.equal(audit.status, 200);
      assert.ok(audit.body.items.length > 20);
      await w.call('get', '/api/v1/users?pageSize=200', { token: await sec() });
      assert.ok(w.count.secrets > 20 && w.count.bodies > 100, JSON.stringify(w.count));
      await w.assertNoLeaks(hub.ds);
    });
  });

  describe(`sign-in policies (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let w: LeakWatch;
    let api: ReturnType<typeof authApi>;
    /** q.sec's TOTP secret, once the first test enrolled it. */
    let secSecret = '';

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_MFA_REQUIRED_ROLES: 'security_admin,auditor', TONGFA_PASSWORD_MAX_AGE_DAYS: '30' });
      world = await World.build(hub.app);
      w = new LeakWatch(hub.http);
      api = authApi(hub, w);
      w.secret(PASSWORD);
      await world.user('q.sec', Role.SecurityAdmin, 'province');
      await world.user('q.editor', Role.Editor, 'cityA');
    });
    after(() => hub.close());

    it('forces a role listed in TONGFA_MFA_REQUIRED_ROLES to enrol before anything else', async () => {
      const t = await api.tokens('q.sec');
      assert.equal(t.mfaEnrollmentRequired, true);
      assert.equal(t.mustChangePassword, false);
      const blocked = await w.call('get', '/api/v1/users', { token: t.accessToken });
      assert.equal(blocked.status, 403);
      assert.equal(blocked.body.code, 'MFA_ENROLLMENT_REQUIRED');
      const { secret, accessToken } = await api.enrolTotp(t.accessToken);
      secSecret = secret;
      assert.equal((await w.call('get', '/api/v1/users', { token: accessToken })).status, 200);
      const r = await api.refresh(t.refreshToken);
      assert.equal(r.body.mfaEnrollmentRequired, false);
      assert.equal((await w.call('get', '/api/v1/users', { token: r.body.accessToken })).status, 200);
      const off = await w.call('delete', '/api/v1/auth/totp', { token: accessToken, body: { password: PASSWORD } });
      assert.equal(off.status, 403);
      assert.equal(off.body.code, 'MFA_REQUIRED_BY_ROLE');
      assert.equal((await api.login('q.sec')).body.code, 'MFA_REQUIRED');
      // The enrolment spent this window's code: the next one signs in.
      hub.clock.advance(30_000);
      const next = await api.login('q.sec', PASSWORD, { otp: totpAt(hub, secret) });
      assert.equal(next.status, 200);
      assert.equal(next.body.mfaEnrollmentRequired, false);
    });

    it('does not restrict roles outside the list', async () => {
      const t = await api.tokens('q.editor');
      assert.equal(t.mfaEnrollmentRequired, false);
      assert.equal((await w.call('get', '/api/v1/units', { token: t.accessToken })).status, 200);
    });

    it('after a temporary password is changed, a role that needs MFA stays restricted until enrolment', async () => {
      assert.ok(secSecret, 'q.sec enrolled in the first test');
      hub.clock.advance(30_000); // a code is good once; the last one was used in the first test
      const otp = totpAt(hub, secSecret);
      const created = await w.call('post', '/api/v1/users', {
        token: (await api.login('q.sec', PASSWORD, { otp })).body.accessToken,
        body: {
          username: 'q.auditor',
          displayName: '审计',
          unitId: world.units.province.id,
          password: w.secret(TEMP),
          roles: [{ role: 'auditor', unitId: world.units.province.id }],
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const t = await api.tokens('q.auditor', TEMP);
      assert.equal(t.mustChangePassword, true);
      const changed = await api.changePassword(t.accessToken, TEMP, 'Audit#Pass2026');
      assert.equal(changed.status, 200);
      const blocked = await w.call('get', '/api/v1/audit', { token: changed.body.accessToken });
      assert.equal(blocked.body.code, 'MFA_ENROLLMENT_REQUIRED');
      const r = await api.refresh(t.refreshToken);
      assert.equal(r.body.mustChangePassword, false);
      assert.equal(r.body.mfaEnrollmentRequired, true, 'the refreshed session still owes the enrolment');
      const { accessToken } = await api.enrolTotp(r.body.accessToken);
      assert.equal((await w.call('get', '/api/v1/audit', { token: accessToken })).status, 200);
    });

    it('expires a password after TONGFA_PASSWORD_MAX_AGE_DAYS and restricts the session until it is changed', async () => {
      hub.clock.advance(29 * DAY);
      assert.equal((await api.tokens('q.editor')).mustChangePassword, false);
      hub.clock.advance(2 * DAY);
      const t = await api.tokens('q.editor');
      assert.equal(t.mustChangePassword, true);
      assert.equal((await w.call('get', '/api/v1/units', { token: t.accessToken })).body.code, 'PASSWORD_CHANGE_REQUIRED');
      const changed = await api.changePassword(t.accessToken, PASSWORD, 'Renewed#Pass2026');
      assert.equal(changed.status, 200);
      assert.equal((await w.call('get', '/api/v1/units', { token: changed.body.accessToken })).status, 200);
      assert.equal((await api.tokens('q.editor', 'Renewed#Pass2026')).mustChangePassword, false);
    });

    it('leaks no secret in responses or audit entries', async () => {
      await w.assertNoLeaks(hub.ds);
    });
  });

  describe(`bootstrap operator (${driver})`, () => {
    let hub: TestHub;
    let w: LeakWatch;
    let api: ReturnType<typeof authApi>;
    const BOOT = 'Boot#Strap2026x';

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_BOOTSTRAP_ADMIN: `root:${BOOT}` });
      w = new LeakWatch(hub.http);
      api = authApi(hub, w);
      w.secret(BOOT);
      w.secret(TEMP);
    });
    after(() => hub.close());

    it('may grant roles only until a security admin exists', async () => {
      const root = await api.tokens('root', BOOT);
      assert.equal(root.mustChangePassword, false, 'the bootstrap password is not temporary');
      const units = await w.call('get', '/api/v1/units', { token: root.accessToken });
      const rootUnit = units.body.items[0].id as string;
      const mk = (username: string, role: string) =>
        w.call('post', '/api/v1/users', {
          token: root.accessToken,
          body: { username, displayName: username, unitId: rootUnit, password: TEMP, roles: [{ role, unitId: rootUnit }] },
        });
      assert.equal((await mk('b.auditor', 'auditor')).status, 201);
      assert.equal((await mk('b.clerk', 'editor')).status, 201);
      const clerk = (await hub.ds.getRepository(User).findOneByOrFail({ username: 'b.clerk' })).id;
      const twoSeparated = await w.call('post', `/api/v1/users/${clerk}/roles`, {
        token: root.accessToken,
        body: {
          roles: [
            { role: 'auditor', unitId: rootUnit },
            { role: 'security_admin', unitId: rootUnit },
          ],
        },
      });
      assert.equal(twoSeparated.status, 409, 'not even the bootstrap operator may give one user two separated roles');
      const self = await w.call(
        'post',
        `/api/v1/users/${(await hub.ds.getRepository(User).findOneByOrFail({ username: 'root' })).id}/roles`,
        {
          token: root.accessToken,
          body: {
            roles: [
              { role: 'platform_operator', unitId: rootUnit },
              { role: 'security_admin', unitId: rootUnit },
            ],
          },
        },
      );
      assert.equal(self.status, 403, 'nor change its own roles');
      assert.equal(self.body.code, 'SELF_ADMINISTRATION');
      assert.equal((await mk('b.sec', 'security_admin')).status, 201);
      const late = await mk('b.editor', 'editor');
      assert.equal(late.status, 403, JSON.stringify(late.body));
      assert.equal(late.body.code, 'ROLE_NOT_GRANTABLE');

      const sec = await api.tokens('b.sec', TEMP);
      const changed = await api.changePassword(sec.accessToken, TEMP, 'Security#Pass2026');
      const byAdmin = await w.call('post', '/api/v1/users', {
        token: changed.body.accessToken,
        body: {
          username: 'b.editor',
          displayName: 'b.editor',
          unitId: rootUnit,
          password: TEMP,
          roles: [{ role: 'editor', unitId: rootUnit }],
        },
      });
      assert.equal(byAdmin.status, 201, 'the security admin grants roles from now on');
    });
  });

  describe(`login rate limit (${driver})`, () => {
    let hub: TestHub;
    let w: LeakWatch;

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_LOGIN_RATE_LIMIT: '3' });
      w = new LeakWatch(hub.http);
    });
    after(() => hub.close());

    it('answers 429 after TONGFA_LOGIN_RATE_LIMIT attempts a minute from one address', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await w.call('post', '/api/v1/auth/login', { body: { username: 'r.nobody', password: 'Wrong#Pass2026' } });
        assert.equal(res.status, 401, `attempt ${i + 1}`);
      }
      const limited = await w.call('post', '/api/v1/auth/login', { body: { username: 'r.nobody', password: 'Wrong#Pass2026' } });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.code, 'RATE_LIMITED');
      assert.equal(limited.headers['retry-after'], '60');
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await w.call('post', '/api/v1/auth/login', { body: { username: 'r.nobody', password: 'Wrong#Pass2026' } })).status,
          429,
        );
      }
      // The guessing run is on the record once per block, not once per refused attempt.
      const trace = await hub.ds.getRepository(AuditEntry).findBy({ action: 'auth.login.throttled' });
      assert.equal(trace.length, 1, JSON.stringify(trace));
      assert.equal(trace[0].actorName, 'r.nobody');
      assert.equal(trace[0].result, 'failure');
      assert.deepEqual(trace[0].after, { bucket: 'ip', limitPerMinute: 3 });
      assert.ok(trace[0].ip, 'the address is recorded');
      // Other routes are not throttled by the login limit.
      assert.equal((await w.call('post', '/api/v1/auth/refresh', { body: { refreshToken: 'x'.repeat(20) } })).status, 401);
    });
  });
}

/**
 * A province runs several hubs behind a load balancer: the sign-in limit is one limit for all of
 * them (counters in Redis), and a Redis outage does not turn every sign-in into a 500.
 */
describe('login rate limit across hubs (mysql + Redis)', () => {
  let hub: TestHub;
  let second: INestApplication;
  let secondHttp: TestAgent;

  before(async () => {
    hub = await startTestHub('mysql', { TONGFA_LOGIN_RATE_LIMIT: '4' });
    second = await createHub(hub.config, { clock: hub.clock, consumeJobs: false, quiet: true });
    await second.init();
    secondHttp = request(second.getHttpServer());
  });
  after(async () => {
    await second.close();
    await hub.close();
  });

  it('refuses the fifth attempt from one address when four went to two different hubs', async () => {
    const ip = '203.0.113.77';
    const attempt = (http: TestAgent, i: number) =>
      http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ username: `x.nobody${i}`, password: 'Wrong#Pass2026' });
    for (let i = 0; i < 4; i++) assert.equal((await attempt(i % 2 ? secondHttp : hub.http, i)).status, 401, `attempt ${i + 1}`);
    assert.equal((await attempt(hub.http, 5)).status, 429, 'the first hub counts what the second saw');
    assert.equal((await attempt(secondHttp, 6)).status, 429);
  });

  it('keeps signing in, limited per process, when Redis cannot be reached', async () => {
    const down = AppConfig.fromEnv({
      NODE_ENV: 'test',
      DATABASE_URL: hub.db.url,
      TONGFA_SECRET_KEY: hub.config.env.TONGFA_SECRET_KEY,
      TONGFA_LOG_LEVEL: 'silent',
      TONGFA_DEMO: '0',
      TONGFA_QUEUE_PREFIX: hub.config.env.TONGFA_QUEUE_PREFIX,
      REDIS_URL: 'redis://127.0.0.1:9',
      TONGFA_LOGIN_RATE_LIMIT: '2',
    });
    const app = await createHub(down, { clock: hub.clock, consumeJobs: false, quiet: true });
    try {
      await app.init();
      const http = request(app.getHttpServer());
      const attempt = () =>
        http.post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.78').send({ username: 'x.gone', password: 'Wrong#Pass2026' });
      assert.equal((await attempt()).status, 401);
      assert.equal((await attempt()).status, 401);
      assert.equal((await attempt()).status, 429);
    } finally {
      await app.close();
    }
  });
});
