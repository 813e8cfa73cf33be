import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { authenticator } from 'otplib';
import { AuditEntry } from '@tongfa/audit';
import { Role, User } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { PASSWORD, World } from './support/world';
import { CookieJar, followRedirects } from './support/upstream-idp';

const DAY = 86_400_000;
// Six attempts a minute: enough for every flow below, few enough to reach in a test. The limit's
// window runs on real time (like /auth/login's), so each test uses its own addresses and usernames.
const LIMIT = 6;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A client address of its own for each test, so the per-address limit of one does not touch another. */
let lastOctet = 10;
const nextIp = () => `198.51.100.${++lastOctet}`;

/**
 * Tongfa's OpenID provider signs users in for the matrix's other apps through a form of its own:
 * that form must be no softer than POST /auth/login — the same rate limits and lockout, password
 * expiry, the second factor the user's roles require — and a TOTP code, anywhere, works once.
 */
for (const driver of testDrivers()) {
  describe(`the OpenID provider's sign-in form and TOTP codes (${driver})`, () => {
    const APP = {
      client_id: 'county-app',
      client_secret: 'county-app-secret-0123456789',
      redirect_uris: ['http://127.0.0.1:9/app/callback'],
    };
    let hub: TestHub;
    let world: World;
    let rp: client.Configuration;

    before(async () => {
      const port = await freePort();
      hub = await startTestHub(driver, {
        PORT: String(port),
        TONGFA_PUBLIC_URL: `http://127.0.0.1:${port}`,
        TONGFA_OIDC_PROVIDER_CLIENTS: JSON.stringify([{ ...APP, client_name: '甲市一县政务 App' }]),
        TONGFA_LOGIN_RATE_LIMIT: String(LIMIT),
        TONGFA_MFA_REQUIRED_ROLES: 'auditor',
        // The lockout has tests of its own; here it would only blur which limit answered.
        TONGFA_LOGIN_MAX_FAILURES: '20',
      });
      await hub.app.listen(port, '127.0.0.1');
      world = await World.build(hub.app);
      rp = await client.discovery(
        new URL(`http://127.0.0.1:${port}/oidc`),
        APP.client_id,
        APP.client_secret,
        client.ClientSecretBasic(APP.client_secret),
        { execute: [client.allowInsecureRequests] },
      );
    });
    after(() => hub.close());

    async function toLoginPage() {
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: APP.redirect_uris[0]!,
        scope: 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        state: client.randomState(),
        nonce: client.randomNonce(),
      });
      const jar = new CookieJar();
      const page = await followRedirects(url.href, jar, (u) => u.pathname.startsWith('/oidc/interaction/'));
      return { page, jar };
    }

    async function postForm(page: URL, jar: CookieJar, ip: string, form: Record<string, string>) {
      const res = await fetch(new URL(`${page.pathname}/login`, page), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
        body: new URLSearchParams(form).toString(),
      });
      jar.store(res.headers.getSetCookie());
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    }

    const apiLogin = (ip: string, body: Record<string, string>) =>
      hub.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send(body);

    /** Enrols TOTP for a user through the API; returns a generator of the code at the hub's time. */
    async function enrol(username: string, ip: string): Promise<() => string> {
      const token = (await apiLogin(ip, { username, password: PASSWORD })).body.accessToken as string;
      const setup = await hub.http.post('/api/v1/auth/totp/setup').set('Authorization', `Bearer ${token}`);
      const secret = setup.body.secret as string;
      const code = () => authenticator.clone({ epoch: hub.clock.now().getTime() }).generate(secret);
      const act = await hub.http.post('/api/v1/auth/totp/activate').set('Authorization', `Bearer ${token}`).send({ code: code() });
      assert.equal(act.status, 200, JSON.stringify(act.body));
      return code;
    }

    const failures = async (username: string) =>
      (await hub.ds.getRepository(AuditEntry).findBy({ action: 'auth.oidc_provider.login', actorName: username, result: 'failure' })).map(
        (e) => (e.after as { reason: string }).reason,
      );

    describe('rate limits, shared with POST /auth/login', () => {
      it('refuses the form with 429 after TONGFA_LOGIN_RATE_LIMIT attempts a minute from one address', async () => {
        await world.user('f.ip', Role.Editor, 'countyA1');
        const ip = nextIp();
        const { page, jar } = await toLoginPage();
        for (let i = 0; i < LIMIT; i++) {
          const res = await postForm(page, jar, ip, { username: `f.nobody${i}`, password: 'Wrong#Pass2026' });
          assert.equal(res.status, 401, `attempt ${i + 1}`);
        }
        const limited = await postForm(page, jar, ip, { username: 'f.ip', password: PASSWORD });
        assert.equal(limited.status, 429, 'even the right password waits');
        assert.equal(limited.location, null, 'no code goes to the app');
        assert.match(limited.text, /role="alert"[^>]*>登录尝试过于频繁/);
        // Another address is not held up by this one.
        assert.equal((await postForm(page, jar, nextIp(), { username: 'f.ip', password: PASSWORD })).status, 303);
      });

      it('refuses the form with 429 after TONGFA_LOGIN_RATE_LIMIT attempts a minute at one username, from any address', async () => {
        await world.user('f.user', Role.Editor, 'countyA1');
        const { page, jar } = await toLoginPage();
        for (let i = 0; i < LIMIT; i++) {
          assert.equal((await postForm(page, jar, nextIp(), { username: 'f.user', password: `Wrong#Pass${i}x` })).status, 401);
        }
        const limited = await postForm(page, jar, nextIp(), { username: 'F.User', password: PASSWORD });
        assert.equal(limited.status, 429);
        assert.equal(limited.location, null);
        const api = await apiLogin(nextIp(), { username: 'f.user', password: PASSWORD });
        assert.equal(api.status, 429, 'the console sign-in shares the username’s bucket');
      });

      it('counts console sign-ins and form sign-ins from one address together', async () => {
        const ip = nextIp();
        for (let i = 0; i < LIMIT - 1; i++)
          assert.equal((await apiLogin(ip, { username: `f.mix${i}`, password: 'Wrong#Pass2026' })).status, 401);
        const { page, jar } = await toLoginPage();
        assert.equal((await postForm(page, jar, ip, { username: 'f.mixform', password: 'Wrong#Pass2026' })).status, 401);
        assert.equal((await postForm(page, jar, ip, { username: 'f.mixform2', password: 'Wrong#Pass2026' })).status, 429);
        assert.equal((await apiLogin(ip, { username: 'f.mix9', password: 'Wrong#Pass2026' })).status, 429);
      });
    });

    describe('what a console session would demand first', () => {
      it('refuses a user whose password has expired, and issues no code to the app', async () => {
        const u = await world.user('f.expired', Role.Editor, 'countyA1');
        await hub.ds
          .getRepository(User)
          .update({ id: u.id }, { passwordChangedAt: new Date(hub.clock.now().getTime() - 91 * DAY), mustChangePassword: false });
        const { page, jar } = await toLoginPage();
        const res = await postForm(page, jar, nextIp(), { username: 'f.expired', password: PASSWORD });
        assert.equal(res.status, 403, res.text);
        assert.equal(res.location, null);
        assert.match(res.text, /请先登录统发修改密码/);
        assert.deepEqual(await failures('f.expired'), ['password_change_required']);
        const again = await fetch(page, { headers: { cookie: jar.header() }, redirect: 'manual' });
        assert.match(await again.text(), /统一身份登录/, 'the interaction is still at the sign-in step');
      });

      it('refuses a user with a temporary password', async () => {
        await world.user('f.temp', Role.Editor, 'countyA1', { temporary: true });
        const { page, jar } = await toLoginPage();
        const res = await postForm(page, jar, nextIp(), { username: 'f.temp', password: PASSWORD });
        assert.equal(res.status, 403);
        assert.equal(res.location, null);
      });

      it('refuses a user whose role requires a second factor not yet enrolled', async () => {
        await world.user('f.auditor', Role.Auditor, 'province');
        const { page, jar } = await toLoginPage();
        const res = await postForm(page, jar, nextIp(), { username: 'f.auditor', password: PASSWORD });
        assert.equal(res.status, 403, res.text);
        assert.equal(res.location, null);
        assert.match(res.text, /双因素认证/);
        assert.deepEqual(await failures('f.auditor'), ['mfa_enrollment_required']);
      });

      it('signs in a user of such a role once enrolled, with a fresh code', async () => {
        await world.user('f.auditor2', Role.Auditor, 'province');
        const ip = nextIp();
        // The enrolment session itself is restricted until enrolment: sign in, enrol, come back.
        const code = await enrol('f.auditor2', ip);
        hub.clock.advance(30_000);
        const { page, jar } = await toLoginPage();
        const noCode = await postForm(page, jar, nextIp(), { username: 'f.auditor2', password: PASSWORD });
        assert.equal(noCode.status, 401);
        assert.match(noCode.text, /id="otp"[^>]* required/);
        const res = await postForm(page, jar, nextIp(), { username: 'f.auditor2', password: PASSWORD, otp: code() });
        assert.equal(res.status, 303, res.text);
      });
    });

    describe('a TOTP code is accepted once', () => {
      it('refuses on the form the code just used for enrolment, and takes the next one', async () => {
        await world.user('f.totp', Role.Editor, 'countyA2');
        const code = await enrol('f.totp', nextIp());
        const { page, jar } = await toLoginPage();
        const replay = await postForm(page, jar, nextIp(), { username: 'f.totp', password: PASSWORD, otp: code() });
        assert.equal(replay.status, 401, replay.text);
        assert.equal(replay.location, null);
        assert.match(replay.text, /已使用过/);
        assert.deepEqual(await failures('f.totp'), ['mfa_replayed']);
        hub.clock.advance(30_000);
        const fresh = await postForm(page, jar, nextIp(), { username: 'f.totp', password: PASSWORD, otp: code() });
        assert.equal(fresh.status, 303, fresh.text);
      });

      it('refuses a code used on the form when it comes again to POST /auth/login, and the other way round', async () => {
        await world.user('f.cross', Role.Editor, 'countyA2');
        const code = await enrol('f.cross', nextIp());
        hub.clock.advance(30_000);
        const { page, jar } = await toLoginPage();
        const otp = code();
        assert.equal((await postForm(page, jar, nextIp(), { username: 'f.cross', password: PASSWORD, otp })).status, 303);
        const replay = await apiLogin(nextIp(), { username: 'f.cross', password: PASSWORD, otp });
        assert.equal(replay.status, 401, JSON.stringify(replay.body));
        assert.equal(replay.body.code, 'MFA_REPLAYED');

        hub.clock.advance(30_000);
        const otp2 = code();
        assert.equal((await apiLogin(nextIp(), { username: 'f.cross', password: PASSWORD, otp: otp2 })).status, 200);
        const second = await toLoginPage();
        const again = await postForm(second.page, second.jar, nextIp(), { username: 'f.cross', password: PASSWORD, otp: otp2 });
        assert.equal(again.status, 401);
        assert.equal(again.location, null);
      });

      it('on POST /auth/login: refuses the same code twice, an older code after a newer one, and lets one of two racing sign-ins through', async () => {
        await world.user('f.api', Role.Editor, 'countyA2');
        const code = await enrol('f.api', nextIp());
        const login = (otp: string) => apiLogin(nextIp(), { username: 'f.api', password: PASSWORD, otp });
        assert.equal((await login(code())).body.code, 'MFA_REPLAYED', 'the enrolment code is spent');

        hub.clock.advance(30_000);
        const previous = code();
        hub.clock.advance(30_000);
        assert.equal((await login(code())).status, 200);
        // Still inside the ±1 step window, but older than the code just used.
        const older = await login(previous);
        assert.equal(older.status, 401);
        assert.equal(older.body.code, 'MFA_REPLAYED');
        const row = await hub.ds.getRepository(User).findOneByOrFail({ username: 'f.api' });
        assert.equal(row.failedLoginCount, 1, 'a replay counts as a failed sign-in');

        hub.clock.advance(30_000);
        const otp = code();
        const raced = await Promise.all([login(otp), login(otp)]);
        assert.deepEqual(raced.map((r) => r.status).sort(), [200, 401], 'exactly one of two sign-ins with one code succeeds');
      });
    });
  });
}
