import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { authenticator } from 'otplib';
import { testDrivers } from '@tongfa/database';
import { AuditEntry } from '@tongfa/audit';
import { OidcProviderRecord, OidcSigningKey, Role, User } from '@tongfa/identity';
import { startTestHub, TestHub } from './support/test-hub';
import { login, PASSWORD, World } from './support/world';
import { CookieJar, followRedirects, UpstreamAccount, UpstreamIdp } from './support/upstream-idp';

const CALLBACK = 'http://127.0.0.1:9/api/v1/auth/oidc/callback';
const IDP_CLIENT = { clientId: 'tongfa', clientSecret: 'tongfa-upstream-secret-0123456789', redirectUri: CALLBACK };
const MAPPING = {
  unit: { claim: 'org_credit_code' },
  roles: { claim: 'groups', map: { 'xmt-editor': 'editor', 'xmt-reviewer': { role: 'reviewer', level: 2 } } },
  username: { claim: 'preferred_username', prefix: 'sso.' },
  scope: 'openid profile org',
};

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

for (const driver of testDrivers()) {
  describe(`single sign-on: Tongfa as relying party of the provincial IdP (${driver})`, () => {
    let hub: TestHub;
    let idp: UpstreamIdp;
    let world: World;
    let seq = 0;

    before(async () => {
      idp = await UpstreamIdp.start(IDP_CLIENT);
      hub = await startTestHub(driver, {
        TONGFA_OIDC_ISSUER: idp.issuer,
        TONGFA_OIDC_CLIENT_ID: IDP_CLIENT.clientId,
        TONGFA_OIDC_CLIENT_SECRET: IDP_CLIENT.clientSecret,
        TONGFA_OIDC_REDIRECT_URI: CALLBACK,
        TONGFA_OIDC_MAPPING: JSON.stringify(MAPPING),
      });
      world = await World.build(hub.app);
    });
    after(async () => {
      await hub.close();
      await idp.close();
    });

    const account = (claims: Record<string, unknown>): UpstreamAccount => ({
      sub: `idp-${driver}-${++seq}`,
      claims: { name: '张三', preferred_username: `zhangsan${seq}`, ...claims },
    });

    /** Starts at the hub, signs in at the IdP and stops at the hub's callback; returns it and the browser's state cookie. */
    async function toCallback(who: UpstreamAccount): Promise<{ path: string; cookie: string }> {
      idp.signInAs(who);
      const start = await hub.http.get('/api/v1/auth/oidc/login');
      assert.equal(start.status, 302, JSON.stringify(start.body));
      const setCookie = ([] as string[]).concat(start.headers['set-cookie'] ?? []);
      const cookie = setCookie.find((c) => c.startsWith('tongfa_oidc_state='));
      assert.ok(cookie, 'the login binds its state to the browser with a cookie');
      assert.match(cookie, /HttpOnly/i);
      const authUrl = new URL(start.headers.location as string);
      assert.equal(authUrl.origin, idp.issuer);
      assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authUrl.searchParams.get('nonce'));
      const cb = await followRedirects(authUrl.href, new CookieJar(), (u) => u.href.startsWith(CALLBACK));
      return { path: `${cb.pathname}${cb.search}`, cookie: cookie.split(';')[0]! };
    }

    async function signIn(who: UpstreamAccount): Promise<{ ticket: string; tokens: { accessToken: string } }> {
      const cb = await toCallback(who);
      const res = await hub.http.get(cb.path).set('Cookie', cb.cookie).set('Accept', 'text/html');
      assert.equal(res.status, 302, JSON.stringify(res.body));
      const m = /^\/#ticket=([\w-]+)$/.exec(res.headers.location as string);
      assert.ok(m, `redirects to the console with a ticket, got ${res.headers.location}`);
      const ticket = decodeURIComponent(m[1]!);
      const tokens = await hub.http.post('/api/v1/auth/oidc/ticket').send({ ticket });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      return { ticket, tokens: tokens.body };
    }

    it('provisions a user at the unit named by the credit-code claim, with the mapped role', async () => {
      const who = account({ org_credit_code: world.units.countyA1.creditCode, groups: ['xmt-editor', 'unrelated-group'] });
      const { tokens } = await signIn(who);
      assert.ok(tokens.accessToken);
      assert.equal((tokens as unknown as { mustChangePassword: boolean }).mustChangePassword, false);
      const me = await hub.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${tokens.accessToken}`);
      assert.equal(me.status, 200);
      assert.equal(me.body.unitId, world.units.countyA1.id);
      assert.equal(me.body.username, `sso.${who.claims.preferred_username as string}`);
      assert.equal(me.body.displayName, '张三');
      assert.deepEqual(
        me.body.roles.map((r: { role: string; unitId: string }) => [r.role, r.unitId]),
        [[Role.Editor, world.units.countyA1.id]],
      );
      const user = await hub.ds.getRepository(User).findOneByOrFail({ oidcSubject: who.sub });
      assert.equal(user.oidcIssuer, idp.issuer);
      assert.equal(user.passwordHash, null, 'a provisioned user has no local password');
      const audit = await hub.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'auth.oidc.login', actorId: user.id });
      assert.equal(audit.result, 'success');
      assert.equal((audit.after as { provisioned: boolean }).provisioned, true);
    });

    it('matches the same user on a second sign-in of the same identity', async () => {
      const who = account({ org_credit_code: world.units.cityB.creditCode, groups: 'xmt-reviewer' });
      const first = await signIn(who);
      const second = await signIn(who);
      const meOf = async (t: string) => (await hub.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${t}`)).body;
      const [a, b] = [await meOf(first.tokens.accessToken), await meOf(second.tokens.accessToken)];
      assert.equal(a.id, b.id);
      assert.equal(await hub.ds.getRepository(User).countBy({ oidcSubject: who.sub }), 1);
      assert.deepEqual(
        b.roles.map((r: { role: string; level: number }) => [r.role, r.level]),
        [[Role.Reviewer, 2]],
      );
    });

    it('accepts a ticket once and refuses it afterwards', async () => {
      const { ticket } = await signIn(account({ org_credit_code: world.units.cityA.creditCode, groups: ['xmt-editor'] }));
      const again = await hub.http.post('/api/v1/auth/oidc/ticket').send({ ticket });
      assert.equal(again.status, 401);
      assert.equal(again.body.code, 'OIDC_FAILED');
    });

    it('refuses a ticket after its minute is up', async () => {
      const cb = await toCallback(account({ org_credit_code: world.units.cityA.creditCode, groups: ['xmt-editor'] }));
      const res = await hub.http.get(cb.path).set('Cookie', cb.cookie);
      const ticket = decodeURIComponent(/#ticket=(.+)$/.exec(res.headers.location as string)![1]!);
      hub.clock.advance(61_000);
      const late = await hub.http.post('/api/v1/auth/oidc/ticket').send({ ticket });
      assert.equal(late.status, 401);
    });

    it('returns tokens directly to a client that accepts JSON', async () => {
      const cb = await toCallback(account({ org_credit_code: world.units.cityA.creditCode, groups: ['xmt-editor'] }));
      const res = await hub.http.get(cb.path).set('Cookie', cb.cookie).set('Accept', 'application/json');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.accessToken && res.body.refreshToken);
      assert.equal(typeof res.body.expiresIn, 'number');
      assert.equal(res.body.mustChangePassword, false);
    });

    it('refuses a replayed callback', async () => {
      const cb = await toCallback(account({ org_credit_code: world.units.cityA.creditCode, groups: ['xmt-editor'] }));
      const first = await hub.http.get(cb.path).set('Cookie', cb.cookie);
      assert.equal(first.status, 302);
      const replay = await hub.http.get(cb.path).set('Cookie', cb.cookie);
      assert.equal(replay.status, 401);
      assert.equal(replay.body.code, 'OIDC_FAILED');
      assert.doesNotMatch(String(replay.headers.location ?? ''), /ticket/);
    });

    it('refuses a callback whose state this browser did not start (forged or missing cookie)', async () => {
      const who = account({ org_credit_code: world.units.cityA.creditCode, groups: ['xmt-editor'] });
      const cb = await toCallback(who);
      const noCookie = await hub.http.get(cb.path);
      assert.equal(noCookie.status, 401);
      const forgedCookie = await hub.http.get(cb.path).set('Cookie', 'tongfa_oidc_state=forged-state-value');
      assert.equal(forgedCookie.status, 401);
      const forged = new URL(cb.path, 'http://x');
      forged.searchParams.set('state', 'attacker-chosen-state');
      const forgedBoth = await hub.http.get(`${forged.pathname}${forged.search}`).set('Cookie', 'tongfa_oidc_state=attacker-chosen-state');
      assert.equal(forgedBoth.status, 401);
      assert.equal(await hub.ds.getRepository(User).countBy({ oidcSubject: who.sub }), 0);
      const failures = await hub.ds.getRepository(AuditEntry).countBy({ action: 'auth.oidc.login', result: 'failure' });
      assert.ok(failures >= 3);
    });

    it('refuses a callback after the pending sign-in expired', async () => {
      const cb = await toCallback(account({ org_credit_code: world.units.cityA.creditCode, groups: ['xmt-editor'] }));
      hub.clock.advance(11 * 60_000);
      const res = await hub.http.get(cb.path).set('Cookie', cb.cookie);
      assert.equal(res.status, 401);
    });

    it('refuses an identity whose unit is not registered in Tongfa, with a clear error', async () => {
      const who = account({ org_credit_code: '91110000600037341L', groups: ['xmt-editor'] });
      const cb = await toCallback(who);
      const res = await hub.http.get(cb.path).set('Cookie', cb.cookie);
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'OIDC_NO_MAPPING');
      assert.match(res.body.message, /未映射/);
      assert.match(res.body.details[0].message, /91110000600037341L/);
      assert.equal(await hub.ds.getRepository(User).countBy({ oidcSubject: who.sub }), 0);
    });

    it('refuses an identity none of whose roles map to a Tongfa role', async () => {
      const who = account({ org_credit_code: world.units.cityA.creditCode, groups: ['finance-clerk'] });
      const cb = await toCallback(who);
      const res = await hub.http.get(cb.path).set('Cookie', cb.cookie);
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'OIDC_NO_MAPPING');
      assert.equal(await hub.ds.getRepository(User).countBy({ oidcSubject: who.sub }), 0);
    });

    it('answers 404 with a clear message on /oidc when Tongfa is not configured as a provider', async () => {
      const res = await hub.http.get('/oidc/.well-known/openid-configuration');
      assert.equal(res.status, 404);
      assert.match(res.body.message, /TONGFA_OIDC_PROVIDER_CLIENTS/);
    });
  });

  describe(`single sign-on: Tongfa as OpenID provider for the matrix's apps (${driver})`, () => {
    const APP = {
      client_id: 'county-app',
      client_secret: 'county-app-secret-0123456789',
      redirect_uris: ['http://127.0.0.1:9/app/callback'],
    };
    let hub: TestHub;
    let world: World;
    let issuer: string;
    let rp: client.Configuration;

    before(async () => {
      const port = await freePort();
      hub = await startTestHub(driver, {
        PORT: String(port),
        TONGFA_PUBLIC_URL: `http://127.0.0.1:${port}`,
        TONGFA_OIDC_PROVIDER_CLIENTS: JSON.stringify([{ ...APP, client_name: '甲市一县政务 App' }]),
      });
      await hub.app.listen(port, '127.0.0.1');
      issuer = `http://127.0.0.1:${port}/oidc`;
      world = await World.build(hub.app);
      await world.user('op.editor', Role.Editor, 'countyA1');
      rp = await client.discovery(new URL(issuer), APP.client_id, APP.client_secret, client.ClientSecretBasic(APP.client_secret), {
        execute: [client.allowInsecureRequests],
      });
    });
    after(() => hub.close());

    /** Starts an authorization request as the app and follows it to the hub's sign-in page. */
    async function toLoginPage() {
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: APP.redirect_uris[0]!,
        scope: 'openid profile unit roles',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const jar = new CookieJar();
      const page = await followRedirects(url.href, jar, (u) => u.pathname.startsWith('/oidc/interaction/'));
      return { page, jar, codeVerifier, state, nonce };
    }

    async function postLogin(page: URL, jar: CookieJar, form: Record<string, string>) {
      const res = await fetch(new URL(`${page.pathname}/login`, page), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      jar.store(res.headers.getSetCookie());
      return res;
    }

    it('publishes discovery with the hub issuer, code flow and S256 PKCE', () => {
      const meta = rp.serverMetadata();
      assert.equal(meta.issuer, issuer);
      assert.ok(meta.response_types_supported?.includes('code'));
      assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
      for (const c of ['unit_id', 'unit_name', 'unit_credit_code', 'roles']) assert.ok(meta.claims_supported?.includes(c), c);
    });

    it('signs a World user in through the zh-CN form and issues ID token and userinfo with unit claims', async () => {
      const { page, jar, codeVerifier, state, nonce } = await toLoginPage();
      const html = await fetch(page, { headers: { cookie: jar.header() } });
      assert.equal(html.status, 200);
      const body = await html.text();
      assert.match(body, /<html lang="zh-CN">/);
      assert.match(body, /<label for="username">用户名<\/label>/);
      assert.match(body, /<label for="password">密码<\/label>/);
      assert.match(body, /甲市一县政务 App/);

      const res = await postLogin(page, jar, { username: 'op.editor', password: PASSWORD });
      assert.equal(res.status, 303, await res.clone().text());
      const callback = await followRedirects(new URL(res.headers.get('location')!, page).href, jar, (u) =>
        u.href.startsWith(APP.redirect_uris[0]!),
      );
      assert.ok(callback.searchParams.get('code'));

      const tokens = await client.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
      });
      const user = world.users.get('op.editor')!;
      const claims = tokens.claims()!;
      assert.equal(claims.iss, issuer);
      assert.equal(claims.sub, user.id);
      assert.equal(claims.preferred_username, 'op.editor');
      assert.equal(claims.name, 'op.editor');
      assert.equal(claims.unit_id, world.units.countyA1.id);
      assert.equal(claims.unit_name, world.units.countyA1.name);
      assert.equal(claims.unit_credit_code, world.units.countyA1.creditCode);
      assert.deepEqual(claims.roles, [Role.Editor]);

      const info = await client.fetchUserInfo(rp, tokens.access_token, user.id);
      assert.equal(info.unit_credit_code, world.units.countyA1.creditCode);
      assert.deepEqual(info.roles, [Role.Editor]);

      const audit = await hub.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'auth.oidc_provider.login', actorId: user.id });
      assert.equal(audit.result, 'success');
      assert.equal(audit.targetId, APP.client_id);
    });

    it('does not complete the flow on a wrong password, and counts the failure', async () => {
      const { page, jar } = await toLoginPage();
      const user = world.users.get('op.editor')!;
      const res = await postLogin(page, jar, { username: 'op.editor', password: 'Wrong#Pass2026' });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('location'), null);
      const body = await res.text();
      assert.match(body, /role="alert"/);
      assert.match(body, /用户名或密码错误/);
      assert.equal((await hub.ds.getRepository(User).findOneByOrFail({ id: user.id })).failedLoginCount, 1);
      // The interaction is still open at the login step: no code was issued.
      const again = await fetch(page, { headers: { cookie: jar.header() }, redirect: 'manual' });
      assert.equal(again.status, 200);
      assert.match(await again.text(), /统一身份登录/);
      const failure = await hub.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'auth.oidc_provider.login', result: 'failure' });
      assert.equal(failure.actorId, user.id);
    });

    it('asks an enrolled user for the one-time code and completes with it', async () => {
      await world.user('op.totp', Role.Editor, 'countyA2');
      const token = await login(hub.http, 'op.totp');
      const setup = await hub.http.post('/api/v1/auth/totp/setup').set('Authorization', `Bearer ${token}`);
      const code = () => authenticator.clone({ epoch: hub.clock.now().getTime() }).generate(setup.body.secret as string);
      const activate = await hub.http.post('/api/v1/auth/totp/activate').set('Authorization', `Bearer ${token}`).send({ code: code() });
      assert.equal(activate.status, 200, JSON.stringify(activate.body));

      const { page, jar } = await toLoginPage();
      const withoutCode = await postLogin(page, jar, { username: 'op.totp', password: PASSWORD });
      assert.equal(withoutCode.status, 401);
      const body = await withoutCode.text();
      assert.match(body, /动态验证码/);
      assert.match(body, /id="otp"[^>]* required/);
      // The code of the enrolment was spent; the next window's code is fresh.
      hub.clock.advance(30_000);
      const withCode = await postLogin(page, jar, { username: 'op.totp', password: PASSWORD, otp: code() });
      assert.equal(withCode.status, 303, await withCode.clone().text());
    });

    it('locks the account after repeated wrong passwords, as the console login does', async () => {
      await world.user('op.lock', Role.Editor, 'countyA2');
      const { page, jar } = await toLoginPage();
      const statuses: number[] = [];
      for (let i = 0; i < hub.config.env.TONGFA_LOGIN_MAX_FAILURES; i++) {
        statuses.push((await postLogin(page, jar, { username: 'op.lock', password: `Wrong#Pass${i}` })).status);
      }
      assert.equal(statuses.at(-1), 423);
      const right = await postLogin(page, jar, { username: 'op.lock', password: PASSWORD });
      assert.equal(right.status, 423, 'the right password does not open a locked account');
      assert.match(await right.text(), /锁定/);
    });

    it('refuses an authorization request without PKCE', async () => {
      const url = client.buildAuthorizationUrl(rp, { redirect_uri: APP.redirect_uris[0]!, scope: 'openid', state: 's', nonce: 'n' });
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      assert.ok(location, 'the error goes back to the client');
      assert.equal(new URL(location).searchParams.get('error'), 'invalid_request');
    });

    it('keeps provider state and a sealed signing key in the database', async () => {
      const models = (await hub.ds.getRepository(OidcProviderRecord).find()).map((r) => r.model);
      for (const m of ['Session', 'Grant', 'Interaction']) assert.ok(models.includes(m), `${m} stored in the database`);
      const key = await hub.ds.getRepository(OidcSigningKey).findOneByOrFail({ slot: 'primary' });
      assert.match(key.sealedJwk, /^v1\./);
      assert.doesNotMatch(key.sealedJwk, /"d"/);
      const jwks = (await (await fetch(rp.serverMetadata().jwks_uri!)).json()) as { keys: { kid: string; d?: string }[] };
      assert.deepEqual(
        jwks.keys.map((k) => k.kid),
        [key.kid],
      );
      assert.equal(jwks.keys[0]!.d, undefined, 'the private part is never published');
    });

    it('answers 404 with a clear message for relying-party routes when no upstream IdP is configured', async () => {
      const res = await hub.http.get('/api/v1/auth/oidc/login');
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'OIDC_NOT_CONFIGURED');
      const ticket = await hub.http.post('/api/v1/auth/oidc/ticket').send({ ticket: 'x'.repeat(43) });
      assert.equal(ticket.status, 404);
    });
  });
}
