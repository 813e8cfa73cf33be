import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import { DataSource } from 'typeorm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorLoader, Role, User } from '@tongfa/identity';
import { AccountConnectionsService } from '@tongfa/plugins';
import { AccountsService } from '@tongfa/accounts';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { startSandboxWorld, SandboxWorld } from '../support/sandbox-accounts';
import { pollUntil } from '../support/poll';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, screenshot, signIn } from '../support/browser';

const UI_TIMEOUT = 20_000;

/**
 * Account and team administration in Chromium: a unit admin applies for an account, a supervisor
 * approves it, the admin sets the plugin's settings (rendered from its manifest), connects with
 * the credential form, files changes within the 3-day rule; team administration offers only what
 * the hub allows (a unit admin sees no reset or roles for a supervisor, and the API refuses anyway);
 * API keys are shown once; TOTP is enrolled from a QR code and removed with a recovery code.
 */
describe('console: account and team administration (sqlite + sandbox)', () => {
  let hub: TestHub;
  let world: World;
  let sw: SandboxWorld;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];

  const as = (username: string, viewport?: { width: number; height: number }, password = PASSWORD): Promise<Page> =>
    signIn(browser, base, username, password, contexts, { timeoutMs: UI_TIMEOUT, viewport });
  const check = (page: Page, name: string) => checkPage(page, name, axeReport);
  const api = async (username: string) => ({ Authorization: `Bearer ${await login(hub.http, username)}` });
  /** The text antd shows under a form field (its explain line), found by the field's label. */
  const fieldError = (page: Page, text: string | RegExp) => page.locator('.ant-form-item-explain-error', { hasText: text }).first();

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    await world.user('ad.admin', Role.UnitAdmin, 'countyA1');
    await world.user('ad.sup', Role.Supervisor, 'cityA');
    // A supervisor inside the unit admin's subtree: visible to the admin, but not theirs to manage.
    await world.user('ad.countysup', Role.Supervisor, 'countyA1');
    await world.user('ad.ed', Role.Editor, 'countyA1');
    await world.user('ad.ed2', Role.Editor, 'countyA1');
    await world.user('ad.locked', Role.Editor, 'countyA1');
    await world.user('ad.totp', Role.Editor, 'countyA1');
    sw = await startSandboxWorld(hub);
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await sw?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  it('a unit admin applies for an account, the supervisor approves it, settings and filings follow the rules', async () => {
    const admin = await as('ad.admin');
    await admin.goto(`${base}/accounts`);
    await admin.getByRole('button', { name: /申请开设账号/ }).click();
    await admin.getByRole('heading', { level: 1, name: /申请开设账号/ }).waitFor();
    // Nothing filled: each field says what it needs, in Chinese.
    await admin.getByRole('button', { name: /提交申请/ }).click();
    for (const text of ['请选择开设单位', '请选择平台', '请填写账号名称']) await fieldError(admin, text).waitFor();
    await admin.getByLabel('开设单位').click();
    await admin.getByTitle(/^甲市一县政府办公室/).click();
    await admin.getByLabel('平台', { exact: true }).click();
    await admin.locator('.ant-select-item-option', { hasText: /^新浪微博$/ }).click();
    await admin.getByLabel('账号名称').fill('甲市一县发布');
    await check(admin, 'admin-account-new');
    await admin.getByRole('button', { name: /提交申请/ }).click();
    await admin.getByTestId('approval').getByText('等待上级主管单位审批').waitFor();
    const accountId = new URL(admin.url()).pathname.split('/').pop()!;
    assert.match(accountId, /^[0-9a-f-]{36}$/);
    // The applicant sees no approve button on their own application.
    assert.equal(await admin.getByRole('button', { name: /批准开设/ }).count(), 0);

    const sup = await as('ad.sup');
    await sup.goto(`${base}/accounts`);
    await sup.getByTestId('applications').getByRole('link', { name: '甲市一县发布' }).click();
    await sup.getByRole('button', { name: /批准开设/ }).waitFor();
    await check(sup, 'admin-account-approval');
    // Rejecting needs a comment: said at the field.
    await sup.getByRole('button', { name: /不予批准/ }).click();
    await fieldError(sup, '不批准时请填写意见').waitFor();
    await sup.getByLabel('审批意见').fill('同意开设，请于 3 日内备案');
    await sup.getByRole('button', { name: /批准开设/ }).click();
    await sup.getByText('已开设').first().waitFor();
    const approved = await hub.http.get(`/api/v1/accounts/${accountId}`).set(await api('ad.admin'));
    assert.equal(approved.body.status, 'opened');
    assert.deepEqual(
      approved.body.filings.map((f: { kind: string }) => f.kind),
      ['open'],
    );

    // Settings from the Weibo plugin's manifest: required rip, a URL, a switch, a number.
    await admin.reload();
    const settings = admin.getByTestId('settings');
    await settings.waitFor();
    await settings.getByLabel(/上报的操作用户真实 IP/).waitFor();
    assert.equal(await settings.getByRole('switch').count(), 1, 'the boolean setting is a switch');
    await settings.getByRole('button', { name: /保存设置/ }).click();
    await fieldError(admin, '请填写“上报的操作用户真实 IP”').waitFor();
    await settings.getByLabel(/上报的操作用户真实 IP/).fill('127.0.0.1');
    await settings.getByLabel(/单位网站地址/).fill('www.jiashi.gov.cn');
    await settings.getByRole('button', { name: /保存设置/ }).click();
    await fieldError(admin, '“单位网站地址”须为 http(s):// 开头的网址').waitFor();
    // The plugin's own rule, from the hub, on the field it names: a weibo must link somewhere.
    await settings.getByLabel(/单位网站地址/).fill('');
    await settings.getByRole('button', { name: /保存设置/ }).click();
    await fieldError(admin, /微博须含安全域名下的链接/).waitFor();
    assert.doesNotMatch(await settings.innerText(), /A weibo must/, 'no English half under the Chinese switch');
    await settings.getByLabel(/单位网站地址/).fill('https://www.jiashi.gov.cn/');
    await settings.getByRole('button', { name: /保存设置/ }).click();
    await admin.getByText('账号设置已保存').waitFor();
    const saved = await hub.http.get(`/api/v1/accounts/${accountId}`).set(await api('ad.admin'));
    assert.equal(saved.body.settings.siteUrl, 'https://www.jiashi.gov.cn/');
    assert.equal(saved.body.settings.rip, '127.0.0.1');

    // An OAuth platform connects through the platform's authorization page (the sandbox's here).
    const connections = hub.app.get(AccountConnectionsService);
    await connections.useSandbox(accountId, sw.sandbox.endpointsFor('weibo'));
    const simWeibo = await sw.sim.createAccount('weibo', '甲市一县发布');
    const appFields = ['client_id', 'client_secret'];
    await connections.setAppCredentials(
      'weibo',
      Object.fromEntries(Object.entries(simWeibo.credentials).filter(([k]) => appFields.includes(k))),
    );
    // The platform's authorize page is stood in for here: the browser test checks what the console
    // sends there; the page itself and the callback are covered by test/account-connections.
    await admin.route(`${sw.sandbox.url}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<title>授权</title><p>授权页</p>' }),
    );
    const leaving = admin.waitForRequest((r) => r.url().startsWith(sw.sandbox.url) && r.isNavigationRequest());
    await admin.getByRole('button', { name: /连接平台/ }).click();
    const authorize = new URL((await leaving).url());
    assert.equal(authorize.searchParams.get('client_id'), simWeibo.credentials.client_id);
    assert.ok(authorize.searchParams.get('state'), 'a single-use state goes with it');
    assert.match(authorize.searchParams.get('redirect_uri') ?? '', /\/api\/v1\/accounts\/oauth\/callback$/);
    // Where the browser landed is the platform's page (the sandbox's, which would go on to the hub's
    // public callback address): wait for that navigation to end before coming back, or Chromium aborts
    // one of the two.
    await admin.waitForURL((u) => u.href.startsWith(sw.sandbox.url), { waitUntil: 'load' });
    await admin.unroute(`${sw.sandbox.url}/**`);
    await admin.goto(`${base}/accounts/${accountId}`);
    await admin.getByTestId('settings').waitFor();

    // A change of name is filed within 3 days: the filing shows its deadline and is recorded.
    await admin.getByRole('button', { name: /变更信息/ }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('账号名称').fill('');
    await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
    await fieldError(admin, '请填写账号名称').waitFor();
    await dialog.getByLabel('账号名称').fill('甲市一县政务');
    await dialog.getByLabel('原因').fill('统一更名');
    await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
    await admin.getByText(/请于 .* 前向主管单位备案/).waitFor();
    const changeRow = admin.getByRole('row', { name: /变更/ });
    await changeRow.getByText('待备案').waitFor();
    await changeRow.getByRole('button', { name: /登记已备案/ }).click();
    await admin
      .getByRole('dialog')
      .getByText(/备案截止时间：.*（生效后 3 日）/)
      .waitFor();
    await admin.getByRole('dialog').getByLabel('备案文号').fill('甲一府办备〔2026〕3号');
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /^保\s*存$/ })
      .click();
    await changeRow.getByText('已备案').waitFor();
    await changeRow.getByText('甲一府办备〔2026〕3号').waitFor();

    // Suspension needs a reason and owes its own filing.
    await admin.getByRole('button', { name: /^关\s*停$/ }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /^保\s*存$/ })
      .click();
    await fieldError(admin, '请填写原因').waitFor();
    await admin.getByRole('dialog').getByLabel('原因').fill('机构调整，暂停运营');
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /^保\s*存$/ })
      .click();
    await admin.getByRole('row', { name: /关停/ }).getByText('待备案').waitFor();
    const after = await hub.http.get(`/api/v1/accounts/${accountId}`).set(await api('ad.admin'));
    assert.equal(after.body.status, 'suspended');
    assert.deepEqual(
      after.body.filings.map((f: { kind: string; filedAt: string | null }) => [f.kind, !!f.filedAt]),
      [
        ['open', false],
        ['change', true],
        ['suspend', false],
      ],
    );
    await check(admin, 'admin-account-detail');
  });

  it('connects with the credential form (secrets write-only) and shows the naming findings', async () => {
    const actors = hub.app.get(ActorLoader);
    const accounts = hub.app.get(AccountsService);
    const adminActor = await actors.forUser(world.users.get('ad.admin')!.id);
    // A second unit's account: its own-app name will differ from the unit's weibo name.
    const { account } = await accounts.create(adminActor, { unitId: world.units.countyA1.id, platform: 'own-app', name: '甲市一县发布' });
    await accounts.decide(await actors.forUser(world.users.get('ad.sup')!.id), account.id, 'approve', null);
    await hub.app.get(AccountConnectionsService).useSandbox(account.id, sw.sandbox.endpointsFor('own-app'));
    const sim = await sw.sim.createAccount('own-app', '甲市一县发布');

    const admin = await as('ad.admin');
    await admin.goto(`${base}/accounts/${account.id}`);
    await admin.getByRole('button', { name: /连接平台/ }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByRole('button', { name: /核验并保存/ }).click();
    await fieldError(admin, '请填写“接收地址”').waitFor();
    await fieldError(admin, '请填写“签名密钥”').waitFor();
    await dialog.getByLabel('签名密钥').fill('too-short');
    await fieldError(admin, '“签名密钥”格式不正确').waitFor();
    assert.equal(await dialog.getByLabel('签名密钥').getAttribute('type'), 'password', 'a secret is typed as a password');
    await checkPage(admin, 'admin-account-credentials', axeReport);
    await dialog.getByLabel('接收地址').fill(sim.credentials.endpoint!);
    await dialog.getByLabel('签名密钥').fill(sim.credentials.secret!);
    await dialog.getByRole('button', { name: /核验并保存/ }).click();
    await admin.getByText('已核验并连接').waitFor();
    await admin.getByRole('button', { name: /重新连接/ }).waitFor();
    assert.ok(!(await admin.locator('body').innerText()).includes(sim.credentials.secret!), 'the secret is not on the page');
    const view = await hub.http.get(`/api/v1/accounts/${account.id}`).set(await api('ad.admin'));
    assert.equal(view.body.connection, 'connected');
    assert.ok(!JSON.stringify(view.body).includes(sim.credentials.secret!), 'the hub never sends the secret back');
    // Reconnecting starts from an empty form: nothing is filled back in.
    await admin.getByRole('button', { name: /重新连接/ }).click();
    assert.equal(await admin.getByRole('dialog').getByLabel('签名密钥').inputValue(), '');
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /取\s*消/ })
      .click();

    // The weibo account was renamed 甲市一县政务 in the first test: the names of the unit now differ.
    await pollUntil(
      async () => {
        const r = await hub.http.get(`/api/v1/accounts/${account.id}`).set(await api('ad.admin'));
        return Array.isArray(r.body.namingIssues) && r.body.namingIssues.length > 0;
      },
      { timeoutMs: 10_000, what: 'naming findings' },
    );
    await admin.reload();
    const findings = admin.getByTestId('naming-findings');
    await findings.waitFor();
    // The own-app profile names the account itself as its subject: not the host unit.
    assert.match(await findings.innerText(), /不是主办单位“甲市一县政府办公室”|不一致/);
    assert.doesNotMatch(await findings.innerText(), /name differs|verified subject is not/);

    const phone = await as('ad.admin', PHONE);
    await phone.goto(`${base}/accounts/${account.id}`);
    await phone.getByRole('heading', { level: 1, name: /甲市一县发布/ }).waitFor();
    await screenshot(phone, 'admin-account-detail-390');
    assert.ok(((await phone.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width, 'account page fits 390 px');
    await check(phone, 'admin-account-detail-390');
    await phone.goto(`${base}/accounts`);
    await phone.getByRole('heading', { level: 1, name: /账号矩阵/ }).waitFor();
    assert.ok(((await phone.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width, 'matrix fits 390 px');
    await check(phone, 'admin-matrix-390');
  });

  it('offers a unit admin no reset or roles for a supervisor, and the API refuses them anyway', async () => {
    const admin = await as('ad.admin');
    await admin.goto(`${base}/admin/users`);
    // The new-user form names each field it refuses, in Chinese.
    await admin.getByRole('button', { name: /新建用户/ }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /创\s*建/ })
      .click();
    for (const text of ['请填写用户名', '请填写姓名', '请选择所属单位', '请填写初始密码']) await fieldError(admin, text).waitFor();
    await admin.getByRole('dialog').getByLabel('用户名').fill('x');
    await fieldError(admin, '用户名须为 3–64 位字母、数字或 _ . -').waitFor();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await admin.getByRole('link', { name: 'ad.countysup' }).click();
    await admin.getByTestId('not-manageable').waitFor();
    assert.equal(await admin.getByRole('button', { name: /重置密码/ }).count(), 0);
    assert.equal(await admin.getByRole('button', { name: /编辑角色/ }).count(), 0);
    assert.equal(await admin.getByTestId('user-actions').count(), 0);
    await check(admin, 'admin-user-not-manageable');
    const headers = await api('ad.admin');
    const supId = world.users.get('ad.countysup')!.id;
    const reset = await hub.http.patch(`/api/v1/users/${supId}`).set(headers).send({ password: 'Taken#Over2026x' });
    assert.equal(reset.status, 403, reset.text);
    assert.match(reset.body.message, /[\u4e00-\u9fff]/, 'the refusal is in Chinese');
    const roles = await hub.http
      .post(`/api/v1/users/${supId}/roles`)
      .set(headers)
      .send({ roles: [{ role: 'editor', unitId: world.units.countyA1.id }] });
    assert.equal(roles.status, 403, roles.text);
    // Nor on oneself: the admin's own page offers nothing either.
    await admin.goto(`${base}/admin/users/${world.users.get('ad.admin')!.id}`);
    await admin.getByTestId('not-manageable').waitFor();
  });

  it('resets a password to a temporary one shown once, which must be changed at sign-in', async () => {
    const admin = await as('ad.admin');
    await admin.goto(`${base}/admin/users/${world.users.get('ad.ed2')!.id}`);
    await admin.getByRole('button', { name: /重置密码/ }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /重\s*置/ })
      .click();
    const shown = admin.getByTestId('temporary-password');
    await shown.waitFor();
    const temporary = (await shown.innerText()).trim();
    assert.ok(temporary.length >= 14, temporary);
    await screenshot(admin, 'admin-user-temporary-password');
    await admin.getByRole('button', { name: /我已转交/ }).click();
    await admin.getByText('临时密码，下次登录须修改').waitFor();
    await admin.getByTestId('temporary-password').waitFor({ state: 'detached' });
    assert.ok(!(await admin.locator('body').innerText()).includes(temporary), 'shown once');
    const res = await hub.http.post('/api/v1/auth/login').send({ username: 'ad.ed2', password: PASSWORD });
    assert.equal(res.status, 401, 'the old password no longer works');
    const user = await as('ad.ed2', undefined, temporary);
    await user.getByRole('heading', { level: 1, name: /修改密码/ }).waitFor();
    assert.equal(new URL(user.url()).pathname, '/password');
  });

  it('unlocks a locked user, disables and enables, and edits roles within what the admin may grant', async () => {
    const id = world.users.get('ad.locked')!.id;
    await hub.app
      .get(DataSource)
      .getRepository(User)
      .update({ id }, { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 30 * 60_000) });
    const admin = await as('ad.admin');
    await admin.goto(`${base}/admin/users/${id}`);
    await admin.getByText('已锁定').waitFor();
    await admin.getByRole('button', { name: /解除锁定/ }).click();
    await admin.getByText('已解锁').waitFor();
    assert.equal((await hub.http.post('/api/v1/auth/login').send({ username: 'ad.locked', password: PASSWORD })).status, 200);

    await admin.getByRole('button', { name: /^停\s*用$/ }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*认/ })
      .click();
    await admin.getByText('已停用').first().waitFor();
    const refused = await hub.http.post('/api/v1/auth/login').send({ username: 'ad.locked', password: PASSWORD });
    assert.ok([401, 403].includes(refused.status), `a disabled user cannot sign in: ${refused.status}`);
    await admin.getByRole('button', { name: /^启\s*用$/ }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*认/ })
      .click();
    await admin.getByRole('button', { name: /^停\s*用$/ }).waitFor();

    // Roles: a unit admin is offered editor, reviewer and duty officer only.
    await admin.getByRole('button', { name: /编辑角色/ }).click();
    await admin.getByRole('button', { name: /添加角色/ }).click();
    await admin.getByLabel('角色 2').click();
    const supervisorOption = admin.locator('.ant-select-item-option', { hasText: /^主管单位$/ });
    assert.match((await supervisorOption.getAttribute('class')) ?? '', /disabled/, 'supervisor is not offered');
    await admin.locator('.ant-select-item-option', { hasText: /^审核$/ }).click();
    await admin.getByLabel('审核级别').fill('2');
    await admin.getByRole('button', { name: /保存角色/ }).click();
    await admin.getByText('角色已保存').waitFor();
    await admin
      .getByTestId('user-roles')
      .getByText(/审核（复审）/)
      .waitFor();
    const view = await hub.http.get(`/api/v1/users/${id}`).set(await api('ad.admin'));
    assert.deepEqual(view.body.roles.map((r: { role: string; level: number | null }) => [r.role, r.level]).sort(), [
      ['editor', null],
      ['reviewer', 2],
    ]);
    // What the console does not offer, the hub refuses.
    const grant = await hub.http
      .post(`/api/v1/users/${id}/roles`)
      .set(await api('ad.admin'))
      .send({ roles: [{ role: 'supervisor', unitId: world.units.countyA1.id }] });
    assert.equal(grant.status, 403, grant.text);
    assert.equal(grant.body.message, '您无权在该单位授予“主管单位”角色', 'the role by its Chinese name, not its code');
    await check(admin, 'admin-user-detail');

    const phone = await as('ad.admin', PHONE);
    await phone.goto(`${base}/admin/users`);
    await phone.getByRole('heading', { level: 1, name: /用户管理/ }).waitFor();
    await phone.getByRole('link', { name: 'ad.locked' }).waitFor();
    assert.ok(((await phone.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width, 'users page fits 390 px');
    await check(phone, 'admin-users-390');
    await phone.goto(`${base}/admin/users/${id}`);
    await phone.getByRole('heading', { level: 1, name: /ad\.locked/ }).waitFor();
    assert.ok(((await phone.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width, 'user page fits 390 px');
    await check(phone, 'admin-user-detail-390');
  });

  it('creates an API key shown once, which works until it is revoked', async () => {
    const admin = await as('ad.admin');
    await admin.goto(`${base}/admin/api-keys`);
    await admin.getByRole('heading', { level: 1, name: /API 密钥/ }).waitFor();
    await admin.getByRole('button', { name: /创建密钥/ }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await fieldError(admin, '请填写用途名称').waitFor();
    await fieldError(admin, '请选择所属单位').waitFor();
    await dialog.getByLabel('用途名称').fill('县政府网站智能问答');
    await dialog.getByLabel('所属单位').click();
    await admin.locator('.ant-select-item-option', { hasText: /^甲市一县政府办公室$/ }).click();
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await fieldError(admin, '请至少选择一个角色或“答问库查询”').waitFor();
    await dialog.getByLabel('以哪些角色访问').click();
    await admin.locator('.ant-select-item-option', { hasText: /^单位管理员$/ }).click();
    await dialog.getByText('创建 API 密钥').click(); // closes the multiple select's list
    await dialog.getByText('答问库查询（网站、热线接入）').click();
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    const tokenEl = admin.getByTestId('api-key-token');
    await tokenEl.waitFor();
    const token = (await tokenEl.innerText()).trim();
    assert.match(token, /^tfk_/);
    await admin.getByRole('button', { name: /我已保存/ }).click();
    await admin.getByTestId('api-key-token').waitFor({ state: 'detached' });
    await admin.getByTestId('api-keys').getByText('县政府网站智能问答').waitFor();
    assert.ok(!(await admin.locator('body').innerText()).includes(token), 'the key is not shown again');
    const list = await hub.http.get('/api/v1/api-keys').set(await api('ad.admin'));
    assert.ok(!JSON.stringify(list.body).includes(token.slice(-20)), 'the list holds no token');
    assert.equal((await hub.http.get('/api/v1/units').set({ Authorization: `Bearer ${token}` })).status, 200);
    await check(admin, 'admin-api-keys');

    await admin
      .getByTestId('api-keys')
      .getByRole('button', { name: /注\s*销/ })
      .click();
    const confirm = admin.getByRole('dialog').filter({ hasText: '县政府网站智能问答' });
    await confirm.getByRole('button', { name: /注\s*销/ }).click();
    // The hub's answer first (the toast), then the list reloaded with the key's new state.
    await admin.locator('.ant-message-success, .ant-message-error').first().waitFor();
    assert.equal(await admin.locator('.ant-message-error').count(), 0, await admin.locator('.ant-message').innerText());
    await confirm.waitFor({ state: 'hidden' });
    await admin.getByTestId('api-keys').getByText('已注销').waitFor();
    assert.equal((await hub.http.get('/api/v1/units').set({ Authorization: `Bearer ${token}` })).status, 401);
  });

  it('enrols TOTP from a QR code, shows the recovery codes once, and removes it with one of them', async () => {
    const page = await as('ad.totp');
    await page.getByRole('menuitem', { name: /账号安全/ }).click();
    await page.getByRole('heading', { level: 1, name: /账号安全/ }).waitFor();
    await page.getByRole('button', { name: /开始绑定/ }).click();
    await page.getByTestId('totp-qr').locator('canvas, svg').first().waitFor();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    await page.getByText(/^otpauth:\/\/totp\//).waitFor();
    await check(page, 'admin-totp-setup');
    await page.getByLabel('动态验证码').fill('12');
    await page.getByRole('button', { name: /完成绑定/ }).click();
    await fieldError(page, '动态验证码为 6 位数字').waitFor();
    const code = authenticator.generate(secret);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await page.getByLabel('动态验证码').fill(wrong);
    await page.getByRole('button', { name: /完成绑定/ }).click();
    await fieldError(page, '验证码不正确').waitFor();
    await page.getByLabel('动态验证码').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: /完成绑定/ }).click();
    const list = page.getByTestId('recovery-codes');
    await list.waitFor();
    const codes = (await list.locator('li').allInnerTexts()).map((c) => c.trim());
    assert.equal(codes.length, 10);
    await screenshot(page, 'admin-totp-recovery-codes');
    await page.getByRole('button', { name: /我已保存恢复码/ }).click();
    await page.getByText(/已绑定。登录时/).waitFor();
    assert.equal(await page.getByTestId('recovery-codes').count(), 0, 'shown once');
    const me = await hub.http.get('/api/v1/auth/me').set({
      Authorization: `Bearer ${(await hub.http.post('/api/v1/auth/login').send({ username: 'ad.totp', password: PASSWORD, recoveryCode: codes[1] })).body.accessToken}`,
    });
    assert.equal(me.body.totpEnabled, true);

    await page.getByLabel('登录密码').fill('wrong-password');
    await page.getByLabel('或恢复码').fill(codes[0]!);
    await page.getByRole('button', { name: /解除动态口令/ }).click();
    await fieldError(page, '密码不正确').waitFor();
    await page.getByLabel('登录密码').fill(PASSWORD);
    await page.getByRole('button', { name: /解除动态口令/ }).click();
    await page.getByText('已解除动态口令').waitFor();
    await page.getByRole('button', { name: /开始绑定/ }).waitFor();
    const res = await hub.http.post('/api/v1/auth/login').send({ username: 'ad.totp', password: PASSWORD });
    assert.equal(res.status, 200, 'no code asked for any more');
  });
});
