import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Role } from '@tongfa/identity';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, signIn } from '../support/browser';

const UI_TIMEOUT = 20_000;

/**
 * 写稿 keeps what is typed in the browser from the first keystroke: the hub's autosave waits for a
 * title and a pause, so a reload before it (or without a title at all) used to lose the text.
 */
describe('console: the editor keeps unsaved text in the browser (sqlite)', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let token = '';

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    await world.user('ld.ed', Role.Editor, 'countyA1');
    token = await login(hub.http, 'ld.ed');
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  const drafts = async (page: Page) =>
    (await page.evaluate(`Object.keys(localStorage).filter((k) => k.startsWith('tongfa.draft.'))`)) as string[];
  const body = (page: Page) => page.getByTestId('body-editor');

  it('restores a new manuscript typed without a title after a reload, then saves it once titled', async () => {
    const page = await signIn(browser, base, 'ld.ed', PASSWORD, contexts, { timeoutMs: UI_TIMEOUT });
    await page.goto(`${base}/manuscripts/new`);
    await body(page).click();
    await page.keyboard.type('县图书馆即日起延长开放时间。');
    // No title: the hub has nothing; the browser has it at once.
    assert.equal((await drafts(page)).length, 1);
    await page.reload();
    await page.getByTestId('restored-draft').waitFor();
    assert.match(await body(page).innerText(), /县图书馆即日起延长开放时间。/);
    await checkPage(page, 'editor-restored-new', axeReport);

    await page.getByLabel('标题').fill('县图书馆延长开放时间');
    await page.waitForURL(/\/manuscripts\/[0-9a-f-]{36}\/edit$/, { timeout: UI_TIMEOUT });
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor({ timeout: UI_TIMEOUT });
    const id = /\/manuscripts\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    const saved = await hub.http.get(`/api/v1/manuscripts/${id}`).set({ Authorization: `Bearer ${token}` });
    assert.match(saved.body.version.bodyHtml, /县图书馆即日起延长开放时间。/);
    // Saved to the hub: nothing left in the browser.
    await pollUntil(async () => (await drafts(page)).length === 0, { what: 'the local copy dropped once saved' });
  });

  it('brings back an edit reloaded before the autosave, on top of the saved version, and the autosave then keeps it', async () => {
    const created = await hub.http
      .post('/api/v1/manuscripts')
      .set({ Authorization: `Bearer ${token}` })
      .send({ title: '社区食堂开业', summary: '', body: '<p>社区食堂本周开业。</p>', category: 'news', source: { type: 'original' } });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    const page = await signIn(browser, base, 'ld.ed', PASSWORD, contexts, { timeoutMs: UI_TIMEOUT });
    await page.goto(`${base}/manuscripts/${id}/edit`);
    await body(page).click();
    await page.keyboard.press('End');
    await page.keyboard.type('老年人就餐八折。');
    // Reloaded at once, well before the 4 s autosave.
    await page.reload();
    await page.getByTestId('restored-draft').waitFor();
    assert.match(await body(page).innerText(), /社区食堂本周开业。老年人就餐八折。/);
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor({ timeout: UI_TIMEOUT });
    const saved = await hub.http.get(`/api/v1/manuscripts/${id}`).set({ Authorization: `Bearer ${token}` });
    assert.match(saved.body.version.bodyHtml, /老年人就餐八折。/);
    assert.equal(saved.body.currentVersionNumber, 2);

    // A local copy made on a version the hub has since replaced is stale: the hub's text wins.
    await body(page).click();
    await page.keyboard.press('End');
    await page.keyboard.type('此句已过时。');
    assert.equal((await drafts(page)).length, 1);
    const newer = await hub.http
      .patch(`/api/v1/manuscripts/${id}`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ body: '<p>社区食堂下周开业。</p>' });
    assert.equal(newer.status, 200, newer.text);
    await page.reload();
    await body(page).getByText('社区食堂下周开业。').waitFor();
    assert.equal(await page.getByTestId('restored-draft').count(), 0);
  });

  it('leaves nothing typed in the browser after signing out', async () => {
    const page = await signIn(browser, base, 'ld.ed', PASSWORD, contexts, { timeoutMs: UI_TIMEOUT });
    await page.goto(`${base}/manuscripts/new`);
    await body(page).click();
    await page.keyboard.type('尚未保存的内容');
    assert.equal((await drafts(page)).length, 1);
    await page.getByRole('button', { name: /退\s*出/ }).click();
    await page.getByLabel('用户名').waitFor();
    assert.deepEqual(await drafts(page), []);
  });
});
