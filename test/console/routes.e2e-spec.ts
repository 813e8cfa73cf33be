import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorLoader, Role } from '@tongfa/identity';
import { IngestService } from '@tongfa/inbox';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { startSandboxWorld, SandboxWorld } from '../support/sandbox-accounts';
import { approvedManuscript } from '../support/publish-kit';
import { pollUntil } from '../support/poll';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, screenshot, signIn } from '../support/browser';

const PHONE = { width: 390, height: 844 };

/**
 * Every route of the console opened the way people open it: from a link or a bookmark straight
 * into the page, then reloaded. Each must come back signed in, with its heading and without an
 * uncaught error (a white screen); the pages people use on a phone must not scroll sideways.
 */
describe('console: every route survives a deep link and a reload (sqlite + sandbox)', () => {
  let hub: TestHub;
  let world: World;
  let sw: SandboxWorld;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let manuscriptId = '';
  let inReviewId = '';
  let publicationId = '';
  let accountId = '';
  let threadId = '';

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit, level] of [
      ['rt.ed', Role.Editor, 'countyA1', 0],
      ['rt.r1', Role.Reviewer, 'countyA1', 1],
      ['rt.r2', Role.Reviewer, 'countyA1', 2],
      ['rt.r3', Role.Reviewer, 'countyA1', 3],
      ['rt.admin', Role.UnitAdmin, 'countyA1', 0],
      ['rt.sup', Role.Supervisor, 'cityA', 0],
      ['rt.aud', Role.Auditor, 'province', 0],
      ['rt.duty', Role.DutyOfficer, 'countyA1', 0],
    ] as const) {
      await world.user(u, role, unit, { level: level || undefined });
    }
    const actors = hub.app.get(ActorLoader);
    sw = await startSandboxWorld(hub);
    const account = await sw.connect(
      await actors.forUser(world.users.get('rt.admin')!.id),
      await actors.forUser(world.users.get('rt.sup')!.id),
      world.units.countyA1.id,
      'own-app',
      '甲市一县发布',
    );
    accountId = account.account.id;
    // A citizen's message to the account, as its plugin hands a verified push to the ingest service.
    const ingested = await hub.app.get(IngestService).ingest(account.account, {
      threadKey: 'm:citizen-routes',
      kind: 'message',
      postRemoteId: null,
      rootCommentId: null,
      citizenId: 'citizen-routes',
      citizenName: '群众0001',
      platformItemId: 'msg-routes-1',
      direction: 'in',
      itemKind: 'text',
      parentId: null,
      author: '群众0001',
      authorId: 'citizen-routes',
      text: '请问冬季供暖什么时候开始？',
      createdAt: hub.clock.now(),
    });
    threadId = ingested.threadId!;
    const token = (u: string) => login(hub.http, u);
    const editor = await token('rt.ed');
    manuscriptId = await approvedManuscript(
      hub,
      { editor, reviewers: [await token('rt.r1'), await token('rt.r2'), await token('rt.r3')] },
      { title: '甲市一县冬季供暖保障措施' },
    );
    const pub = await hub.http
      .post(`/api/v1/manuscripts/${manuscriptId}/publications`)
      .set({ Authorization: `Bearer ${editor}` })
      .send({ accountIds: [accountId] });
    assert.equal(pub.status, 201, pub.text);
    publicationId = pub.body.id;
    await pollUntil(
      async () =>
        (await hub.http.get(`/api/v1/publications/${publicationId}`).set({ Authorization: `Bearer ${editor}` })).body.status ===
        'published',
      { timeoutMs: 30_000, what: 'published' },
    );
    const draft = await hub.http
      .post('/api/v1/manuscripts')
      .set({ Authorization: `Bearer ${editor}` })
      .send({
        title: '待审稿件：社区疫苗接种安排',
        summary: '',
        body: '<p>本周六社区卫生服务中心安排接种。</p>',
        category: 'news',
        source: { type: 'original' },
      });
    inReviewId = draft.body.id;
    assert.equal((await hub.http.post(`/api/v1/manuscripts/${inReviewId}/submit`).set({ Authorization: `Bearer ${editor}` })).status, 200);
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

  /** Opens `path` directly in a signed-in tab, waits for `heading`, reloads, waits again; no uncaught error either time. */
  async function deepLinkAndReload(
    username: string,
    path: string,
    heading: RegExp,
    viewport?: { width: number; height: number },
  ): Promise<Page> {
    const page = await signIn(browser, base, username, PASSWORD, contexts, { viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`${e.message} ${e.stack}`));
    for (const step of ['open', 'reload'] as const) {
      if (step === 'open') await page.goto(`${base}${path}`);
      else await page.reload();
      await page
        .getByRole('heading', { level: 1, name: heading })
        .first()
        .waitFor()
        .catch(async (e) => {
          throw new Error(
            `${path} (${step}): ${e}\nthe page says: ${(await page.locator('body').innerText()).slice(0, 500)}\nerrors: ${errors.join('; ')}`,
          );
        });
      assert.equal(new URL(page.url()).pathname, path, `${path} (${step}) stays where it was opened`);
    }
    await page.waitForLoadState('networkidle');
    assert.deepEqual(errors, [], `${path}: uncaught errors`);
    return page;
  }

  const routes = (): [string, string, RegExp, string][] => [
    ['rt.ed', '/', /工作台/, 'workbench'],
    ['rt.ed', '/manuscripts', /稿件/, 'manuscripts'],
    ['rt.ed', '/manuscripts/new', /写稿/, 'editor-new'],
    ['rt.ed', `/manuscripts/${inReviewId}/edit`, /编辑稿件/, 'editor-edit'],
    ['rt.ed', `/manuscripts/${manuscriptId}`, /甲市一县冬季供暖保障措施/, 'manuscript'],
    ['rt.ed', `/manuscripts/${manuscriptId}/preview`, /预览/, 'preview'],
    ['rt.r1', `/manuscripts/${inReviewId}/review`, /审核/, 'review'],
    ['rt.ed', `/publications/${publicationId}`, /发布/, 'publication'],
    ['rt.ed', '/publications', /发布记录/, 'publications'],
    ['rt.ed', '/calendar', /发布日历/, 'calendar'],
    ['rt.admin', '/accounts', /账号矩阵/, 'matrix'],
    ['rt.admin', `/accounts/${accountId}`, /甲市一县发布/, 'account'],
    ['rt.admin', '/admin/units', /单位管理/, 'units'],
    ['rt.admin', '/admin/users', /用户管理/, 'users'],
    ['rt.admin', `/admin/users/${world.users.get('rt.ed')!.id}`, /rt\.ed/, 'user'],
    ['rt.admin', '/accounts/new', /申请开设账号/, 'account-new'],
    ['rt.admin', '/admin/api-keys', /API 密钥/, 'api-keys'],
    ['rt.admin', '/admin/notification-channels', /通知机器人/, 'notification-channels'],
    ['rt.ed', '/security', /账号安全/, 'security'],
    ['rt.aud', '/audit', /审计日志/, 'audit'],
    ['rt.ed', '/password', /修改密码/, 'password'],
    ['rt.ed', '/media', /媒体库/, 'media'],
    ['rt.r1', '/notifications', /通知/, 'notifications'],
    ['rt.duty', '/alerts', /值班提醒/, 'alerts'],
    ['rt.sup', '/campaigns', /联动任务/, 'campaigns'],
    ['rt.sup', '/campaigns/new', /发起联动/, 'campaign-new'],
    ['rt.admin', '/admin/campaign-trust', /联动任务免审设置/, 'campaign-trust'],
    ['rt.ed', '/qa', /答问库/, 'qa'],
    ['rt.ed', '/qa/new', /写答问/, 'qa-new'],
    ['rt.sup', '/qa/gaps', /知识缺口/, 'qa-gaps'],
    ['rt.sup', '/qa/synonyms', /同义词表/, 'qa-synonyms'],
    ['rt.sup', '/qa/categories', /答问分类/, 'qa-categories'],
    ['rt.sup', '/qa/policies', /政策文件/, 'qa-policies'],
    ['rt.ed', '/inbox', /互动消息/, 'inbox'],
    ['rt.ed', `/inbox/${threadId}`, /互动详情/, 'inbox-thread'],
    ['rt.sup', '/inbox/metrics', /互动统计/, 'inbox-metrics'],
    ['rt.sup', '/monitoring', /账号监测/, 'monitoring'],
    ['rt.duty', '/duty', /值班值守/, 'duty'],
    ['rt.admin', `/duty/schedule/${world.units.countyA1.id}`, /值班表/, 'duty-schedule'],
    ['rt.duty', `/duty/log/${world.units.countyA1.id}`, /值班日志/, 'duty-log'],
    ['rt.sup', '/spot-checks', /抽查/, 'spot-checks'],
    ['rt.admin', '/rectifications', /整改/, 'rectifications'],
    ['rt.sup', '/rankings', /账号排名/, 'rankings'],
  ];

  it('opens every route from a link and after a reload, signed in, with its heading and no uncaught error', async () => {
    for (const [user, path, heading, name] of routes()) {
      const page = await deepLinkAndReload(user, path, heading);
      await checkPage(page, `route-${name}`, axeReport);
      await page.context().close();
    }
  });

  it('reads in English under the EN switch: no Chinese left in headings, menus, labels, buttons or column titles, no raw keys', async () => {
    // Pages whose chrome is the console's own words (pages headed by a manuscript or account name are data).
    const english: [string, string][] = [
      ['rt.ed', '/'],
      ['rt.ed', '/manuscripts'],
      ['rt.ed', '/manuscripts/new'],
      ['rt.ed', '/publications'],
      ['rt.ed', '/calendar'],
      ['rt.ed', '/media'],
      ['rt.r1', '/notifications'],
      ['rt.duty', '/alerts'],
      ['rt.admin', '/accounts'],
      ['rt.admin', '/admin/users'],
      ['rt.admin', '/admin/notification-channels'],
      ['rt.aud', '/audit'],
      ['rt.sup', '/'],
      ['rt.sup', '/campaigns'],
      ['rt.ed', '/inbox'],
      ['rt.sup', '/inbox/metrics'],
      ['rt.sup', '/monitoring'],
      ['rt.duty', '/duty'],
      ['rt.admin', `/duty/schedule/${world.units.countyA1.id}`],
      ['rt.duty', `/duty/log/${world.units.countyA1.id}`],
      ['rt.sup', '/spot-checks'],
      ['rt.admin', '/rectifications'],
      ['rt.sup', '/rankings'],
    ];
    // Data the world holds (names of units, people, accounts, manuscripts) may be Chinese in any language.
    const data = [
      ...Object.values(world.units).map((u) => u.name),
      '甲市一县发布',
      '甲市一县冬季供暖保障措施',
      '待审稿件：社区疫苗接种安排',
    ].filter((x): x is string => !!x);
    const chrome =
      'h1, h2, h3, th, label, button, [role=tab], [role=menuitem], .ant-card-head-title, .ant-empty-description, .ant-form-item-extra, .ant-select-selection-placeholder, .ant-statistic-title, .tf-empty, .tf-stats dt';
    const problems: string[] = [];
    for (const [user, path] of english) {
      const page = await signIn(browser, base, user, PASSWORD, contexts);
      await page.evaluate(`localStorage.setItem('tongfa.lang', 'en')`);
      await page.goto(`${base}${path}`);
      await page.getByRole('menuitem', { name: /Workbench/ }).waitFor();
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      // What a reader sees of the console's own words: visible chrome, outside the signed-in name and the
      // language switch (中文 names the language itself), and placeholders.
      const texts = (await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(chrome)})]
        .filter((e) => !e.closest('[data-testid=whoami], .tf-lang') && e.getClientRects().length > 0)
        .map((e) => (e.innerText ?? e.textContent ?? '').trim())
        .concat([...document.querySelectorAll('input[placeholder], textarea[placeholder]')].map((e) => e.getAttribute('placeholder')))`)) as string[];
      for (const raw of texts) {
        let t = raw;
        for (const d of data) t = t.split(d).join('');
        if (/[\u3400-\u9fff]/.test(t)) problems.push(`${path} (${user}): Chinese left in “${raw}”`);
        if (/\b[a-z]+(_[a-z]+)+\b|\b(?:zh|en|http|auth|manuscript|account|notification)\.[a-z_.]+\b/.test(t))
          problems.push(`${path} (${user}): raw key in “${raw}”`);
      }
      await page.context().close();
    }
    assert.deepEqual(problems, []);
  });

  it('on a phone folds the navigation behind the header button: it opens over the page, leads to a page and folds away; Escape folds it too', async () => {
    const page = await deepLinkAndReload('rt.ed', '/', /工作台/, PHONE);
    const nav = page.getByRole('navigation', { name: '主导航' });
    const toggle = page.getByRole('button', { name: '导航菜单' });
    assert.equal(await nav.isVisible(), false, 'folded at 390 px');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    await nav.waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await screenshot(page, 'route-workbench-390-menu');
    // Over the page, not beside it: the page does not get narrower or wider.
    assert.ok(((await page.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width);
    await page.getByRole('menuitem', { name: '发布记录' }).click();
    await page.getByRole('heading', { level: 1, name: /发布记录/ }).waitFor();
    await nav.waitFor({ state: 'hidden' });
    await toggle.click();
    await nav.waitFor({ state: 'visible' });
    assert.equal(await page.getByRole('menuitem', { name: '发布记录' }).getAttribute('aria-current'), 'page');
    // Arrow keys move between the items; Escape folds the menu.
    await page.getByRole('menuitem', { name: '发布记录' }).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate('document.activeElement.textContent'), '发布日历');
    await page.keyboard.press('Escape');
    await nav.waitFor({ state: 'hidden' });
    await page.context().close();
  });

  it('fits every page into 390 px without sideways scrolling (tables scroll in their own box), with no serious axe finding', async () => {
    for (const [user, path, heading, name] of routes()) {
      const page = await deepLinkAndReload(user, path, heading, PHONE);
      await screenshot(page, `route-${name}-390`);
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      assert.ok(width <= PHONE.width, `${name}: the page is ${width} px wide at a ${PHONE.width} px viewport`);
      await checkPage(page, `route-${name}-390`, axeReport);
      await page.context().close();
    }
  });
});
