import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorLoader, Role } from '@tongfa/identity';
import { InboxReply, InboxThread, PollingService } from '@tongfa/inbox';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import { startSandboxWorld, SandboxWorld } from '../support/sandbox-accounts';
import { approvedManuscript } from '../support/publish-kit';
import {
  assertFitsPhone,
  checkPage,
  ensureConsoleBuilt,
  launchChromium,
  listen,
  PHONE,
  pickTreeNode,
  reloadKeeps,
  signIn,
} from '../support/browser';

const UI_TIMEOUT = 20_000;
const MESSAGE = '请问社保卡丢了怎么补办？';
const COMMENT = '周六也能办理社保业务吗？';
const POST_TITLE = '县政务服务中心推行周末延时服务';
const QUESTION = '如何补办社会保障卡？';
/** The entry's answer for new media: what the reply box gets when the suggestion is inserted. */
const NEW_MEDIA_ANSWER = '您好，请携带身份证到县政务服务中心社保窗口办理社保卡挂失和补办，当场可取。';
/** "Internal material" in a public answer: the compliance engine's blocking rule. */
const UNCONFIRMED = '您好，社保卡补办当天即可领取，请携带本人身份证。';
const BLOCKED = '根据内部资料，下月实施。';
const HELD_REPLY = '您好，周六上午九点至十二点可以办理社保业务。';

/**
 * 政民互动 in Chromium over the real hub and the platform simulators: a citizen's WeChat message
 * pushed to the webhook and a comment under a Weibo post Tongfa published (polled) become threads.
 * The county editor finds them in the inbox (filters, the menu's count), opens the message, writes a
 * note, is refused a reply the compliance engine blocks (the reason shown, nothing sent), inserts the
 * Q&A library's answer and sees it delivered; the unit admin assigns the comment to a colleague,
 * whose reply waits for the unit's review until a reviewer approves it on the page; the supervisor
 * reads the metrics. Every page: deep link + reload, axe, 390 px without sideways scroll.
 */
describe('console: interaction inbox in Chromium (sqlite + sandbox)', () => {
  let hub: TestHub;
  let world: World;
  let sw: SandboxWorld;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  const sims = new Map<string, { accountId: string; simId: string }>();
  let entryId = '';
  let messageThread = '';
  let commentThread = '';
  let postUrl = '';

  const as = (username: string, viewport?: { width: number; height: number }): Promise<Page> =>
    signIn(browser, base, username, PASSWORD, contexts, { viewport, timeoutMs: UI_TIMEOUT });
  const check = (page: Page, name: string) => checkPage(page, `inbox-${name}`, axeReport);
  const bearer = async (u: string) => ({ Authorization: `Bearer ${await login(hub.http, u)}` });
  const rows = (page: Page) => page.getByTestId('inbox-threads').getByTestId('inbox-thread-link');

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit, level] of [
      ['ib.ed', Role.Editor, 'countyA1', 0],
      ['ib.ed2', Role.Editor, 'countyA1', 0],
      ['ib.adm', Role.UnitAdmin, 'countyA1', 0],
      ['ib.r1', Role.Reviewer, 'countyA1', 1],
      ['ib.r2', Role.Reviewer, 'countyA1', 2],
      ['ib.r3', Role.Reviewer, 'countyA1', 3],
      ['ib.sup', Role.Supervisor, 'cityA', 0],
    ] as const) {
      await world.user(u, role, unit, { level: level || undefined });
    }
    base = await listen(hub);
    sw = await startSandboxWorld(hub);
    const actors = hub.app.get(ActorLoader);
    const [adm, sup] = [await actors.forUser(world.users.get('ib.adm')!.id), await actors.forUser(world.users.get('ib.sup')!.id)];
    for (const [platform, name] of [
      ['wechat', '甲市一县发布'],
      ['weibo', '甲市一县微博'],
    ] as const) {
      const { account, simAccountId } = await sw.connect(adm, sup, world.units.countyA1.id, platform, name);
      sims.set(platform, { accountId: account.id, simId: simAccountId });
    }
    await sw.sim.setWebhook('wechat', { url: `${base}/api/v1/webhooks/wechat` });
    // Every new thread of the county goes to ib.ed, so the menu's count and "assigned to me" are known.
    const owner = await hub.http
      .put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`)
      .set(await bearer('ib.adm'))
      .send({ ownerUserId: world.users.get('ib.ed')!.id });
    assert.equal(owner.status, 200, JSON.stringify(owner.body));

    // The library's answer the reply box will offer, published through its review.
    const ed = await bearer('ib.ed');
    const created = await hub.http
      .post('/api/v1/qa/entries')
      .set(ed)
      .send({
        question: QUESTION,
        similarQuestions: ['社保卡丢了怎么补办'],
        answer: '<p>携带本人身份证到县政务服务中心社保窗口办理挂失和补卡。</p>',
        channelAnswers: { newMedia: NEW_MEDIA_ANSWER },
      });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    entryId = created.body.id;
    assert.equal((await hub.http.post(`/api/v1/qa/entries/${entryId}/submit`).set(ed)).status, 200);
    const approved = await hub.http
      .post(`/api/v1/qa/entries/${entryId}/reviews`)
      .set(await bearer('ib.r1'))
      .send({ decision: 'approve' });
    assert.equal(approved.body.status, 'published', JSON.stringify(approved.body));
    await pollUntil(
      async () => {
        const r = await hub.http.get('/api/v1/qa/search').query({ q: MESSAGE, unitId: world.units.countyA1.id, trial: true }).set(ed);
        return [...(r.body.items ?? []), ...(r.body.suggestions ?? [])].some((h: { entryId: string }) => h.entryId === entryId);
      },
      { what: 'the entry is searchable with the citizen’s words' },
    );

    // A post Tongfa publishes on Weibo: the hub starts watching it for comments.
    const editor = await login(hub.http, 'ib.ed');
    const manuscriptId = await approvedManuscript(
      hub,
      { editor, reviewers: [await login(hub.http, 'ib.r1'), await login(hub.http, 'ib.r2'), await login(hub.http, 'ib.r3')] },
      { title: POST_TITLE },
    );
    const pub = await hub.http
      .post(`/api/v1/manuscripts/${manuscriptId}/publications`)
      .set({ Authorization: `Bearer ${editor}` })
      .send({ accountIds: [sims.get('weibo')!.accountId] });
    assert.equal(pub.status, 201, pub.text);
    const published = await pollUntil(
      async () => {
        const p = await hub.http.get(`/api/v1/publications/${pub.body.id}`).set({ Authorization: `Bearer ${editor}` });
        return p.body.status === 'published' ? p.body : null;
      },
      { timeoutMs: 30_000, what: 'the Weibo post is published' },
    );
    postUrl = JSON.stringify(published).match(/"url":"([^"]+)"/)?.[1] ?? '';
    assert.ok(postUrl, `the platform gave a link: ${JSON.stringify(published)}`);
    const polling = hub.app.get(PollingService);
    assert.ok((await polling.handlePollSweep()).discovered >= 1, 'the published post is watched');

    // The citizens: a WeChat message pushed to the hub's webhook, a comment under the Weibo post.
    const msg = await sw.sim.sendMessage('wechat', { account: sims.get('wechat')!.simId, text: MESSAGE, from: 'oCitizenWx0001' });
    assert.equal(msg.deliveries.at(-1)?.status, 200, JSON.stringify(msg.deliveries));
    const [post] = await sw.sim.posts('weibo', sims.get('weibo')!.simId);
    assert.ok(post, 'the simulator holds the published post');
    await sw.sim.addComment('weibo', post.id, COMMENT, '网友小李', { authorId: '7000001' });
    const step = 16 * 60_000;
    hub.clock.advance(step);
    for (const p of ['wechat', 'weibo']) await sw.sim.advanceClock(p, step);
    await polling.handlePollSweep();
    const threads = await hub.ds.getRepository(InboxThread).find();
    messageThread = threads.find((t) => t.platform === 'wechat')?.id ?? '';
    commentThread = threads.find((t) => t.platform === 'weibo')?.id ?? '';
    assert.ok(messageThread && commentThread, `both threads exist: ${JSON.stringify(threads.map((t) => [t.platform, t.preview]))}`);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await sw?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  it('editor: the menu counts threads waiting for me; the list shows both platforms with their clocks and filters on the server', async () => {
    const page = await as('ib.ed');
    await page.getByTestId('inbox-waiting').getByText('2').waitFor();
    await page.getByRole('menuitem', { name: /互动消息/ }).click();
    await page.waitForURL(`${base}/inbox`);
    await pollUntil(async () => (await rows(page).count()) === 2, { what: 'two threads listed' });
    const wechatRow = page.getByTestId('inbox-threads').locator('tr', { hasText: MESSAGE });
    await wechatRow.getByText('甲市一县发布').waitFor();
    await wechatRow.getByText('待答复').waitFor();
    // The platform's 48-hour window as a countdown; the working-time deadline in Beijing time.
    await wechatRow
      .locator('[data-clock=window]')
      .getByText(/平台回复窗口剩/)
      .waitFor();
    assert.match(await wechatRow.locator('[data-clock=sla]').innerText(), /首次响应时限 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await page.getByTestId('inbox-threads').locator('tr', { hasText: COMMENT }).getByText('甲市一县微博').waitFor();
    await check(page, 'list');

    await page.getByTestId('filter-platform').click();
    await page.locator('.ant-select-item-option', { hasText: '微博' }).click();
    await page.waitForURL(/platform=weibo/);
    await pollUntil(async () => (await rows(page).count()) === 1 && (await rows(page).first().innerText()).includes(COMMENT), {
      what: 'only the Weibo comment',
    });
    await reloadKeeps(page, async () => {
      await pollUntil(async () => (await rows(page).count()) === 1 && (await rows(page).first().innerText()).includes(COMMENT), {
        what: 'the filter survives a reload',
      });
    });
    await page.goto(`${base}/inbox?state=closed`);
    await page.getByText('没有符合条件的互动消息').waitFor();
    await page.goto(`${base}/inbox?due=overdue&assignee=me`);
    assert.equal(await page.getByRole('checkbox', { name: '只看指派给我的' }).isChecked(), true);
    await page.getByTestId('inbox-threads').locator('.ant-table-tbody').waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await rows(page).count(), 0, 'nothing is overdue 16 minutes in');

    // The supervisor's unit tree: the county holds both, its sister county none.
    const sup = await as('ib.sup');
    await sup.goto(`${base}/inbox`);
    await pollUntil(async () => (await rows(sup).count()) === 2, { what: 'the city sees the county’s threads' });
    await pickTreeNode(sup, 'filter-unit', world.units.countyA2.name);
    await sup.getByText('没有符合条件的互动消息').waitFor();
    await pickTreeNode(sup, 'filter-unit', world.units.countyA1.name);
    await pollUntil(async () => (await rows(sup).count()) === 2, { what: 'the county’s two threads' });
  });

  it('editor: opens the message, adds a note, is refused a blocked reply with the reason, inserts the library’s answer and sees it delivered', async () => {
    const page = await as('ib.ed');
    await page.goto(`${base}/inbox`);
    await page.getByTestId('inbox-threads').getByRole('link', { name: MESSAGE }).click();
    await page.waitForURL(`${base}/inbox/${messageThread}`);
    await page.getByRole('heading', { level: 1, name: /互动详情/ }).waitFor();
    await page.getByTestId('inbox-conversation').getByText(MESSAGE).waitFor();
    await page
      .getByTestId('inbox-conversation')
      .locator('[data-clock=window]')
      .getByText(/平台回复窗口剩/)
      .waitFor();
    assert.equal(await page.getByTestId('inbox-assignee').innerText(), 'ib.ed');

    await page.getByLabel('备注内容').fill('已电话联系群众，确认身份证在身边。');
    await page.getByTestId('inbox-add-note').click();
    await page.getByTestId('inbox-note').getByText('已电话联系群众，确认身份证在身边。').waitFor();
    await page.getByTestId('inbox-note').getByText('ib.ed').waitFor();

    const suggestion = page.locator(`[data-testid=inbox-suggestion][data-entry="${entryId}"]`);
    await suggestion.getByText(QUESTION).waitFor();
    await check(page, 'thread');

    // The compliance engine blocks it: the reason where the button is, the reply kept as blocked, nothing sent.
    await page.getByLabel('回复内容').fill(BLOCKED);
    await page.getByTestId('inbox-send').click();
    const refused = page.getByTestId('inbox-reply-error');
    await refused.getByText('合规检查发现阻断问题，回复未发送').waitFor();
    assert.match(await refused.innerText(), /[\u4e00-\u9fff]{4,}/, 'the finding is named in Chinese');
    await page.locator('[data-testid=inbox-reply][data-state=blocked]').getByText('被合规检查拦截').waitFor();
    await check(page, 'reply-blocked');
    assert.equal((await sw.sim.replies('wechat', { account: sims.get('wechat')!.simId })).length, 0, 'nothing reached the citizen');

    await suggestion.getByRole('button', { name: /插入答案/ }).click();
    assert.equal(await page.getByLabel('回复内容').inputValue(), NEW_MEDIA_ANSWER);
    await page.getByTestId('inbox-send').click();
    await page.locator('[data-testid=inbox-reply][data-state=sent]').getByText(NEW_MEDIA_ANSWER).waitFor();
    await page.locator('[data-testid=inbox-reply][data-state=sent]').getByText('已送达').waitFor();
    await page.getByTestId('inbox-conversation').locator('[data-status=replied]').waitFor();
    const delivered = await sw.sim.replies('wechat', { account: sims.get('wechat')!.simId, kind: 'message' });
    assert.equal(delivered.length, 1, JSON.stringify(delivered));
    assert.equal(delivered[0]!.text, NEW_MEDIA_ANSWER);
    assert.equal(delivered[0]!.conversationId, 'oCitizenWx0001');
    await reloadKeeps(page, () => page.locator('[data-testid=inbox-reply][data-state=sent]').first().waitFor());
  });

  it('editor: settles a reply the platform could not confirm by sending it again, once, after the warning', async () => {
    const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ id: messageThread });
    // What the outbox leaves when a WeChat 客服消息's answer was lost (WeChat has no list of sent messages).
    const id = crypto.randomUUID();
    await hub.ds.getRepository(InboxReply).insert({
      id,
      threadId: t.id,
      accountId: t.accountId,
      unitId: t.unitId,
      unitPath: t.unitPath,
      inReplyTo: null,
      text: UNCONFIRMED,
      state: 'unconfirmed',
      idempotencyKey: `console-unconfirmed-${id}`,
      attempts: 3,
      nextAttemptAt: null,
      remoteId: null,
      lastError: 'wechat 无法查证上次发送是否成功，请到平台核实',
      findings: [],
      createdBy: t.assigneeId!,
      createdAt: hub.clock.now(),
      reviewedBy: null,
      reviewedAt: null,
      sentAt: null,
    });
    const before = (await sw.sim.replies('wechat', { account: sims.get('wechat')!.simId, kind: 'message' })).length;
    const page = await as('ib.ed');
    await page.goto(`${base}/inbox/${messageThread}`);
    const item = page.locator(`[data-testid=inbox-reply][data-state=unconfirmed]`);
    await item
      .getByTestId('inbox-reply-unconfirmed')
      .getByText(/请到平台后台核实/)
      .waitFor();
    await check(page, 'reply-unconfirmed');
    await item.getByRole('button', { name: '未送达，重新发送' }).click();
    await page.getByRole('button', { name: '重新发送', exact: true }).click();
    await page.locator('[data-testid=inbox-reply][data-state=sent]').getByText(UNCONFIRMED).waitFor({ timeout: UI_TIMEOUT });
    const after = await sw.sim.replies('wechat', { account: sims.get('wechat')!.simId, kind: 'message' });
    assert.equal(after.length, before + 1, 'sent again exactly once');
    assert.equal(after.at(-1)!.text, UNCONFIRMED);
  });

  it('unit admin assigns the Weibo comment to a colleague; the reply waits for review until a reviewer approves it on the page', async () => {
    const held = await hub.http
      .put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`)
      .set(await bearer('ib.adm'))
      .send({ reviewReplies: true });
    assert.equal(held.status, 200, JSON.stringify(held.body));

    const admin = await as('ib.adm');
    await admin.goto(`${base}/inbox/${commentThread}`);
    // The post the comment is under: its title, linking where the platform shows it.
    const post = admin.getByTestId('inbox-post').getByRole('link', { name: POST_TITLE });
    await post.waitFor();
    assert.equal(await post.getAttribute('href'), postUrl);
    await admin.getByTestId('inbox-conversation').getByText(COMMENT).waitFor();
    // Only the county's people are offered (the hub's list).
    await admin.getByTestId('inbox-assign-select').click();
    // The options come from the hub after the dropdown opens: read them once they are there.
    let offered: string[] = [];
    await pollUntil(
      async () => (offered = await admin.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts()).length > 0,
      {
        what: 'the people the hub offers for assignment',
      },
    );
    assert.deepEqual([...offered].sort(), ['ib.adm', 'ib.ed', 'ib.ed2']);
    await check(admin, 'thread-assign');
    await admin.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'ib.ed2' }).click();
    await pollUntil(async () => (await admin.getByTestId('inbox-assignee').innerText()) === 'ib.ed2', { what: 'assigned to ib.ed2' });
    await reloadKeeps(admin, () => admin.getByTestId('inbox-post').waitFor());

    const colleague = await as('ib.ed2');
    await colleague.goto(`${base}/inbox/${commentThread}`);
    await colleague.getByLabel('回复内容').fill(HELD_REPLY);
    await colleague.getByTestId('inbox-send').click();
    await colleague.getByTestId('inbox-reply-done').getByText('回复已提交本单位审核，通过后发送').waitFor();
    await colleague.locator('[data-testid=inbox-reply][data-state=review]').getByText(HELD_REPLY).waitFor();
    assert.equal((await sw.sim.replies('weibo', { account: sims.get('weibo')!.simId })).length, 0, 'held until reviewed');

    const reviewer = await as('ib.r1');
    await reviewer.goto(`${base}/inbox/${commentThread}`);
    const waiting = reviewer.locator('[data-testid=inbox-reply][data-state=review]');
    await waiting.getByText(HELD_REPLY).waitFor();
    await check(reviewer, 'thread-review');
    await waiting.getByRole('button', { name: /审核通过并发送/ }).click();
    await reviewer.locator('[data-testid=inbox-reply][data-state=sent]').getByText(HELD_REPLY).waitFor();
    const delivered = await sw.sim.replies('weibo', { account: sims.get('weibo')!.simId, kind: 'comment' });
    assert.equal(delivered.length, 1, JSON.stringify(delivered));
    assert.equal(delivered[0]!.text, HELD_REPLY);
    // A reviewer reads and approves; answering and closing are the unit's editors' and admins'.
    assert.equal(await reviewer.getByTestId('inbox-reply-box').count(), 0);
    assert.equal(await reviewer.getByTestId('inbox-close').count(), 0);

    // The admin closes it (办结): the state says so and the reply box goes away.
    await admin.reload();
    await admin.getByTestId('inbox-close').click();
    await admin
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /办\s*结/ })
      .click();
    await admin.getByTestId('inbox-conversation').locator('[data-status=closed]').waitFor();
    assert.equal(await admin.getByTestId('inbox-reply-box').count(), 0);
  });

  it('supervisor: the metrics page counts the county’s threads per unit and account', async () => {
    const page = await as('ib.sup');
    await page.getByRole('menuitem', { name: /互动统计/ }).click();
    await page.waitForURL(`${base}/inbox/metrics`);
    const total = page.getByTestId('metrics-total');
    await total.getByText('会话数').waitFor();
    // Both threads were answered, one of them after the review: a 100% response rate.
    await pollUntil(async () => /会话数\s*2/.test(await total.innerText()) && /响应率\s*100%/.test(await total.innerText()), {
      what: 'two threads, all answered',
    });
    await page.getByTestId('metrics-units').locator('tr', { hasText: world.units.countyA1.name }).waitFor();
    const accounts = page.getByTestId('metrics-accounts');
    for (const name of ['甲市一县发布', '甲市一县微博']) {
      const row = accounts.locator('tr', { hasText: name });
      await row.waitFor();
      assert.match(await row.innerText(), /100%/);
    }
    await check(page, 'metrics');
    await pickTreeNode(page, 'metrics-unit', world.units.countyA2.name);
    await page.getByTestId('metrics-units').getByText('统计期内没有互动').waitFor();
    await reloadKeeps(page, () => page.getByTestId('metrics-total').getByText('会话数').waitFor());
  });

  it('fits 390 px on every inbox page (tables scroll in their box)', async () => {
    const ready = (what: string) => async (p: Page) => void (await p.getByRole('heading', { level: 1, name: new RegExp(what) }).waitFor());
    await assertFitsPhone(await as('ib.ed', PHONE), base, '/inbox', ready('互动消息'), 'inbox-list');
    await assertFitsPhone(await as('ib.ed', PHONE), base, `/inbox/${messageThread}`, ready('互动详情'), 'inbox-thread');
    await assertFitsPhone(await as('ib.sup', PHONE), base, '/inbox/metrics', ready('互动统计'), 'inbox-metrics');
  });
});
