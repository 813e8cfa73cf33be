import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorLoader, Role } from '@tongfa/identity';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { startSandboxWorld, SandboxWorld } from '../support/sandbox-accounts';
import { uploadCover } from '../support/publish-kit';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, signIn } from '../support/browser';

const UI_TIMEOUT = 20_000;
const WEIBO_TEXT = '东区十项便民举措今起实施，延时办、预约办都能办';
const TOUTIAO_TITLE = '一县十项便民举措今起推行';
const APP_SUMMARY = '延时办、预约办、帮代办，十项举措一次看懂。';
const NANFANG_SUMMARY = '县政务服务中心即日起推行十项便民举措。';

/**
 * What a reviewer approves is what goes out: the formatted article with its images, each platform's
 * rendition (with the per-platform adaptations), and a word-level diff; the preview shows each
 * platform as readers see it, with the cover crop the platform applies.
 */
describe('console: review and preview show what will go out (sqlite + sandbox)', () => {
  let hub: TestHub;
  let world: World;
  let sw: SandboxWorld;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let manuscriptId = '';

  const as = (username: string, viewport?: { width: number; height: number }): Promise<Page> =>
    signIn(browser, base, username, PASSWORD, contexts, { viewport, timeoutMs: UI_TIMEOUT });
  const check = (page: Page, name: string) => checkPage(page, name, axeReport);

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit, level] of [
      ['rv.editor', Role.Editor, 'countyA1', 0],
      ['rv.admin', Role.UnitAdmin, 'countyA1', 0],
      ['rv.sup', Role.Supervisor, 'cityA', 0],
      ['rv.r1', Role.Reviewer, 'countyA1', 1],
    ] as const) {
      await world.user(u, role, unit, { level: level || undefined });
    }
    sw = await startSandboxWorld(hub);
    const actors = hub.app.get(ActorLoader);
    const admin = await actors.forUser(world.users.get('rv.admin')!.id);
    const sup = await actors.forUser(world.users.get('rv.sup')!.id);
    for (const platform of ['wechat', 'weibo', 'douyin', 'toutiao', 'nanfang', 'own-app']) {
      await sw.connect(admin, sup, world.units.countyA1.id, platform, '甲市一县发布');
    }
    // Written through the API: version 1 with a mobile number, version 2 with the hotline instead.
    const token = await login(hub.http, 'rv.editor');
    const auth = { Authorization: `Bearer ${token}` };
    const cover = await uploadCover(hub, token);
    const body = (phone: string) =>
      `<p>即日起，县政务服务中心推出十项便民举措。咨询请致电${phone}。</p><p><img data-media-id="${cover}" src="/api/v1/media/${cover}/content" alt="政务服务中心"></p>`;
    const created = await hub.http
      .post('/api/v1/manuscripts')
      .set(auth)
      .send({
        title: '甲市一县推出十项便民服务举措',
        summary: '即日起推行延时办、预约办等十项举措。',
        body: body('13912345678'),
        category: 'news',
        source: { type: 'original' },
        coverMediaId: cover,
        mediaIds: [cover],
      });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    manuscriptId = created.body.id;
    const v2 = await hub.http
      .patch(`/api/v1/manuscripts/${manuscriptId}`)
      .set(auth)
      .send({
        body: body('12345'),
        adaptations: {
          weibo: { text: WEIBO_TEXT },
          toutiao: { title: TOUTIAO_TITLE },
          nanfang: { summary: NANFANG_SUMMARY },
          'own-app': { summary: APP_SUMMARY },
        },
      });
    assert.equal(v2.status, 200, JSON.stringify(v2.body));
    assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(auth)).status, 200);
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

  it('reviewer: reads the formatted article with its image, each platform’s version and a word-level diff', async () => {
    const page = await as('rv.r1');
    await page.goto(`${base}/manuscripts/${manuscriptId}/review`);
    const article = page.getByTestId('version-text');
    await article.waitFor();
    assert.equal(await page.getByTestId('article-title').innerText(), '甲市一县推出十项便民服务举措');
    // The body's image is shown, through a blob: URL (the bytes need the token), not as "[图片 …]".
    await article.locator('.tf-article img[src^="blob:"]').waitFor({ timeout: UI_TIMEOUT });
    assert.doesNotMatch(await article.innerText(), /\[图片/);
    const adapted = await page.getByTestId('adaptations').innerText();
    assert.match(adapted, new RegExp(WEIBO_TEXT));
    // The reviewer sees every platform's own texts, Toutiao's headline and the summaries too.
    assert.match(adapted, new RegExp(`今日头条标题】${TOUTIAO_TITLE}`));
    assert.match(adapted, new RegExp(`南方号摘要】${NANFANG_SUMMARY}`));
    assert.match(adapted, new RegExp(`本单位客户端摘要】${APP_SUMMARY}`));
    await check(page, 'review-article');

    await page.getByRole('tab', { name: '各平台版本' }).click();
    const weiboTab = page.getByRole('tab', { name: /微博/ });
    await weiboTab.click();
    const post = page.getByTestId('weibo-post');
    await post.waitFor();
    assert.match(await post.innerText(), new RegExp(WEIBO_TEXT));
    await page.getByRole('tab', { name: /微信公众号/ }).click();
    await page.getByTestId('wechat-card').waitFor();
    await page.getByRole('tab', { name: /今日头条/ }).click();
    assert.match(await page.getByTestId('toutiao-cover').innerText(), new RegExp(TOUTIAO_TITLE));
    await check(page, 'review-renditions');

    await page.getByRole('tab', { name: /与 v1 对比/ }).click();
    const diff = page.getByTestId('diff');
    await diff.waitFor();
    assert.ok((await diff.locator('del').allInnerTexts()).includes('13912345678'), 'the old number, whole');
    const inserted = await diff.locator('ins').allInnerTexts();
    assert.ok(inserted.includes('12345'), `the new number, whole: ${JSON.stringify(inserted)}`);
    assert.ok(
      inserted.some((x) => x.includes(WEIBO_TEXT)),
      'the adaptation added in v2 shows in the diff',
    );
    await check(page, 'review-diff');
  });

  it('reviewer on a phone: the article and the decision fit 390 px', async () => {
    const page = await as('rv.r1', PHONE);
    await page.goto(`${base}/manuscripts/${manuscriptId}/review`);
    await page.getByTestId('version-text').waitFor();
    await check(page, 'review-phone');
  });

  it('editor: the preview shows each platform as readers see it, with the cover crop it applies', async () => {
    const page = await as('rv.editor');
    await page.goto(`${base}/manuscripts/${manuscriptId}/preview`);
    const wechat = page.locator('[data-testid=previews] .ant-card[data-platform=wechat]');
    await wechat.getByTestId('wechat-card').waitFor();
    const notes = wechat.getByTestId('fit-notes');
    // 1200×800 cut to WeChat's 2.35:1: the note says so, and never "nothing cut or cropped".
    await notes.getByText(/封面将被平台裁剪为 2\.35:1/).waitFor({ timeout: UI_TIMEOUT });
    assert.doesNotMatch(await notes.innerText(), /无截断或裁剪/);
    await wechat.locator('.tf-crop[data-cropped=true] img[src^="blob:"]').waitFor({ timeout: UI_TIMEOUT });
    const weibo = page.locator('[data-testid=previews] .ant-card[data-platform=weibo]');
    assert.match(await weibo.getByTestId('weibo-post').innerText(), new RegExp(WEIBO_TEXT));
    await weibo.getByTestId('adapted').waitFor();
    // Douyin and Toutiao crop the cover when they show it; their shapes are assumed, and the note says so.
    const douyin = page.locator('[data-testid=previews] .ant-card[data-platform=douyin]');
    await douyin.getByTestId('douyin-cover').waitFor();
    const douyinNotes = await douyin.getByTestId('fit-notes').innerText();
    assert.match(douyinNotes, /首图在平台信息流中显示为 3:4，将被裁剪（原图 1200×800/);
    assert.match(douyinNotes, /抖音未公开封面显示比例/);
    assert.doesNotMatch(douyinNotes, /无截断或裁剪/);
    await douyin.locator('.tf-crop[data-cropped=true] img[src^="blob:"]').waitFor({ timeout: UI_TIMEOUT });
    const toutiao = page.locator('[data-testid=previews] .ant-card[data-platform=toutiao]');
    assert.match(await toutiao.getByTestId('toutiao-cover').innerText(), new RegExp(TOUTIAO_TITLE));
    const toutiaoNotes = await toutiao.getByTestId('fit-notes').innerText();
    assert.match(toutiaoNotes, /封面在平台信息流中显示为 16:9，将被裁剪/);
    assert.doesNotMatch(toutiaoNotes, /无截断或裁剪/);
    await toutiao.getByTestId('adapted').waitFor();
    const app = page.locator('[data-testid=previews] .ant-card[data-platform=own-app]');
    assert.match(await app.getByTestId('own-app-card').innerText(), new RegExp(APP_SUMMARY));
    const nanfang = page.locator('[data-testid=previews] .ant-card[data-platform=nanfang]');
    assert.match(await nanfang.getByTestId('nanfang-card').innerText(), new RegExp(NANFANG_SUMMARY));
    await check(page, 'preview-platforms');
    await page.setViewportSize(PHONE);
    await page.reload();
    await wechat.getByTestId('wechat-card').waitFor();
    await check(page, 'preview-phone');
  });

  it('editor: adapts the Weibo text in the 各平台适配 panel; a text over 140 is refused under the field, in Chinese', async () => {
    const page = await as('rv.editor');
    await page.goto(`${base}/manuscripts/${manuscriptId}/edit`);
    const panel = page.getByTestId('adaptation-panel');
    await panel.getByRole('button', { name: /新浪微博/ }).click();
    const text = panel.getByLabel('新浪微博文案');
    await text.waitFor();
    assert.equal(await text.inputValue(), WEIBO_TEXT);
    await text.fill('字'.repeat(141));
    // The manuscript's own 保存 (the planned-time card has one too).
    await page.getByTestId('save-manuscript').click();
    await panel.getByText('新浪微博文案超长：最多 140 字，现 141 字').waitFor({ timeout: UI_TIMEOUT });
    await check(page, 'editor-adaptation-refused');
    // Toutiao's own headline: kept as saved, and held to the platform's 30-character title limit.
    await text.fill(WEIBO_TEXT);
    await panel.getByRole('button', { name: /今日头条/ }).click();
    const headline = panel.getByLabel('今日头条（头条号）标题');
    await headline.waitFor();
    assert.equal(await headline.inputValue(), TOUTIAO_TITLE);
    await headline.fill('标'.repeat(31));
    await page.getByTestId('save-manuscript').click();
    await panel.getByText('今日头条（头条号）标题超长：最多 30 字，现 31 字').waitFor({ timeout: UI_TIMEOUT });
    await panel.getByRole('button', { name: /本单位客户端/ }).click();
    assert.equal(await panel.getByLabel('本单位客户端/网站摘要').inputValue(), APP_SUMMARY);
  });
});
