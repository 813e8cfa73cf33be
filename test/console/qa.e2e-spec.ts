import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Role, UsersService } from '@tongfa/identity';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import { assertFitsPhone, checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, reloadKeeps, signIn } from '../support/browser';

const UI_TIMEOUT = 20_000;
const QUESTION = '如何补办社会保障卡？';
const COLLOQUIAL = '社保卡丢了咋办';
/** How a citizen asked the county's hotline before the entry existed (offered as a similar question). */
const CITIZEN_WORDING = '社会保障卡补办要去哪里';
/** Asked before the library answers anything like it: the gap the editor writes an entry from. */
const GAP_QUESTION = '电动自行车上牌要带什么材料';
/** Tried by an editor in the box: unanswered, yet no citizen's gap. */
const TRIAL_QUESTION = '养犬登记去哪里办理';
/** The province's entry a city editor overrides for one of its counties. */
const PROVINCE_QUESTION = '住房公积金怎么提取';
const OVERRIDE_QUESTION = '一县住房公积金提取办法';

/**
 * The shared Q&A library (统一咨询答问库) in Chromium: a county editor writes an entry in the
 * editor (a bad policy link is named at its field) and submits it; an editor who is also a
 * reviewer is refused with the API's reason; the county reviewer approves it on the review page;
 * the editor's "群众会得到什么" box then finds it with a colloquial question. The gap list offers
 * "写答问" pre-filled. Every page: deep link + reload, axe, 390 px without sideways scroll.
 */
describe('console: Q&A library in Chromium (sqlite)', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let entryId = '';

  const as = (username: string, viewport?: { width: number; height: number }): Promise<Page> =>
    signIn(browser, base, username, PASSWORD, contexts, { viewport, timeoutMs: UI_TIMEOUT });
  const check = (page: Page, name: string) => checkPage(page, `qa-${name}`, axeReport);

  const reloads = reloadKeeps;
  const fitsPhone = async (username: string, path: string, ready: (p: Page) => Promise<void>, name: string) =>
    assertFitsPhone(await as(username, PHONE), base, path, ready, `qa-${name}`);

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    await world.user('qc.ed', Role.Editor, 'countyA1');
    await world.user('qc.rev', Role.Reviewer, 'countyA1');
    await world.user('qc.op', Role.PlatformOperator, 'province');
    await world.user('qc.ced', Role.Editor, 'cityA');
    await world.user('qc.ped', Role.Editor, 'province');
    await world.user('qc.prev', Role.Reviewer, 'province');
    // Editor and reviewer of the same county: may not review what they wrote.
    await hub.app.get(UsersService).create(
      null,
      {
        username: 'qc.both',
        displayName: 'qc.both',
        unitId: world.units.countyA1.id,
        password: PASSWORD,
        roles: [
          { role: Role.Editor, unitId: world.units.countyA1.id },
          { role: Role.Reviewer, unitId: world.units.countyA1.id, level: 1 },
        ],
      },
      { permanent: true },
    );
    // A citizen's question the empty library cannot answer becomes a gap routed to the county.
    const res = await hub.http
      .get('/api/v1/qa/search')
      .query({ q: GAP_QUESTION, unitId: world.units.countyA1.id })
      .set({ Authorization: `Bearer ${await login(hub.http, 'qc.rev')}` });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.items.length, 0);
    // A citizen asks the county's hotline about a lost card, twice: the editor is offered the wording.
    await world.user('qc.kadm', Role.UnitAdmin, 'countyA1');
    const key = await hub.http
      .post('/api/v1/api-keys')
      .set({ Authorization: `Bearer ${await login(hub.http, 'qc.kadm')}` })
      .send({ name: '一县12345热线', unitId: world.units.countyA1.id, grants: [], scopes: ['qa:query'] });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    for (let i = 0; i < 2; i++) {
      const asked = await hub.http.get('/api/v1/qa/search').query({ q: CITIZEN_WORDING }).set('X-Api-Key', key.body.token);
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
    }
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  it('editor: writes an entry in the editor, has a bad link named at its field, and submits it', async () => {
    const page = await as('qc.both');
    await page.getByRole('menuitem', { name: /答问库/ }).click();
    await page.waitForURL(`${base}/qa`);
    await page.getByText('答问库还是空的').waitFor();
    await check(page, 'list-empty');

    await page.getByRole('button', { name: '写答问' }).click();
    await page.waitForURL(`${base}/qa/new`);
    // Empty-handed: the required fields say so in Chinese.
    await page.getByRole('button', { name: '保存并送审' }).click();
    await page.getByText('请填写标准问题').waitFor();
    await page.getByText('请填写答案').waitFor();

    await page.getByLabel('标准问题').fill(QUESTION);
    await page.getByRole('button', { name: '添加相似问法' }).click();
    await page.getByLabel('相似问法 1', { exact: true }).fill('社会保障卡遗失怎么补领');
    // Similar questions are where the ways citizens ask go; a row added by mistake is removed again.
    await page.getByRole('button', { name: '添加相似问法' }).click();
    await page.getByLabel('相似问法 2', { exact: true }).fill('多余的一行');
    await page.getByRole('button', { name: '添加相似问法' }).click();
    await page.getByLabel('相似问法 3', { exact: true }).fill('社保卡丢了怎么补办');
    await page.getByRole('button', { name: '删除相似问法 2' }).click();
    assert.equal(await page.getByLabel('相似问法 2', { exact: true }).inputValue(), '社保卡丢了怎么补办');
    // How the county's citizens asked it: offered, added with one click, then no longer offered.
    const offered = page.getByTestId('qa-similar-suggestions').getByRole('button', { name: new RegExp(CITIZEN_WORDING) });
    await offered.waitFor();
    assert.match(await offered.innerText(), /2 次/);
    await offered.click();
    assert.equal(await page.getByLabel('相似问法 3', { exact: true }).inputValue(), CITIZEN_WORDING);
    await offered.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '删除相似问法 3' }).click();
    await page
      .getByLabel('答案', { exact: true })
      .fill('携带本人身份证到县政务服务中心社保窗口或合作银行网点办理挂失和补卡。\n补卡当场可取。');
    await page.getByLabel('热线口播答案').fill('请带身份证到县政务服务中心社保窗口补办社保卡。');
    await page.getByRole('button', { name: '添加政策依据' }).click();
    await page.getByLabel('政策依据 1 标题').fill('社会保障卡管理办法');
    await page.getByLabel('政策依据 1 文号').fill('甲人社规〔2025〕3号');
    await page.getByLabel('政策依据 1 链接').fill('ftp://hrss.example.gov.cn/1.html');
    await check(page, 'editor-filled');

    // The hub refuses the link; its Chinese reason lands on that field, nothing is saved.
    await page.getByRole('button', { name: '保存并送审' }).click();
    const urlField = page.locator('.ant-form-item-has-error', { has: page.getByLabel('政策依据 1 链接') });
    await urlField.getByText('url 须为 http(s) 链接').waitFor();
    assert.equal(page.url(), `${base}/qa/new`);

    await page.getByLabel('政策依据 1 链接').fill('https://hrss.example.gov.cn/zcfg/1.html');
    await page.getByRole('button', { name: '保存并送审' }).click();
    await page.waitForURL(/\/qa\/[0-9a-f-]{36}$/).catch(async (e) => {
      throw new Error(`${e}; the page says: ${await page.locator('[role=alert], .ant-form-item-explain-error').allInnerTexts()}`);
    });
    entryId = /\/qa\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await page.locator('[data-status=in_review]').first().waitFor();
    await page.getByTestId('qa-current').getByText('甲人社规〔2025〕3号', { exact: false }).waitFor();
    await page.getByTestId('qa-current').getByText('社保卡丢了怎么补办').waitFor();
    assert.equal(await page.getByTestId('qa-current').getByText('多余的一行').count(), 0);

    // The author is also a reviewer of the county: the hub refuses, and the page says why.
    await page
      .getByTestId('qa-decide')
      .getByRole('button', { name: /通\s*过/ })
      .click();
    await page.getByText('不能审核本人撰写或修改的答问').waitFor();
    await check(page, 'view-own-refused');
    await reloads(page, () => page.getByTestId('qa-current').getByText(QUESTION).waitFor());

    await page.goto(`${base}/qa`);
    await page.getByTestId('qa-entries').getByRole('link', { name: QUESTION }).waitFor();
    await check(page, 'list');
    await reloads(page, () => page.getByTestId('qa-entries').getByRole('link', { name: QUESTION }).waitFor());
  });

  it('reviewer: approves the entry on the review page and it goes live', async () => {
    assert.ok(entryId, 'the first test wrote the entry');
    const page = await as('qc.rev');
    await page.goto(`${base}/qa/${entryId}`);
    const decide = page.getByTestId('qa-decide');
    await decide.waitFor();
    await check(page, 'review');
    await decide.getByLabel('审核意见').fill('依据已核实');
    await decide.getByRole('button', { name: /通\s*过/ }).click();
    await page.locator('[data-status=published]').first().waitFor();
    await page.getByTestId('qa-review-row').getByText('依据已核实', { exact: false }).waitFor();
    assert.equal(await page.getByTestId('qa-decide').count(), 0, 'nothing left to decide');
    await reloads(page, () => page.locator('[data-status=published]').first().waitFor());
  });

  it('editor: the 群众会得到什么 box finds the entry with a colloquial question', async () => {
    // The index follows a publication within seconds; wait for the hub, then ask in the page.
    const token = await login(hub.http, 'qc.ed');
    let last: unknown;
    await pollUntil(
      async () => {
        const r = await hub.http
          .get('/api/v1/qa/search')
          .query({ q: COLLOQUIAL, unitId: world.units.countyA1.id })
          .set({ Authorization: `Bearer ${token}` });
        last = r.body;
        return r.status === 200 && (r.body.items as { entryId: string }[]).some((h) => h.entryId === entryId);
      },
      { what: 'the published entry is searchable' },
    ).catch((e) => {
      throw new Error(`${e}; the last search answered ${JSON.stringify(last)}`);
    });
    const page = await as('qc.ed');
    await page.goto(`${base}/qa/new`);
    await page.getByLabel('像群众一样提问').fill(COLLOQUIAL);
    const answer = page.locator(`[data-testid=qa-answer][data-entry="${entryId}"]`);
    await answer.waitFor();
    await answer.getByText(QUESTION).waitFor();
    // The website channel has no short answer: the citizen gets the full answer text.
    await answer.getByText('携带本人身份证', { exact: false }).waitFor();
    await page.locator('.ant-segmented', { hasText: '新媒体' }).getByText('热线', { exact: true }).click();
    await answer.getByText('请带身份证到县政务服务中心社保窗口补办社保卡。').waitFor();
    await check(page, 'editor-search');
    await page.getByLabel('像群众一样提问').fill(TRIAL_QUESTION);
    await page.getByTestId('qa-search-result').getByText('没有达到阈值的答案', { exact: false }).waitFor();
    await reloads(page, () => page.getByLabel('标准问题').waitFor());
  });

  it('editor: the gap list offers 写答问 pre-filled from the question citizens asked', async () => {
    const page = await as('qc.ed');
    await page.goto(`${base}/qa`);
    await page.getByRole('button', { name: '知识缺口' }).click();
    await page.waitForURL(`${base}/qa/gaps`);
    const row = page.getByTestId('qa-gaps').locator('tr', { hasText: GAP_QUESTION });
    await row.waitFor();
    await check(page, 'gaps');
    await reloads(page, () => page.getByTestId('qa-gaps').locator('tr', { hasText: GAP_QUESTION }).waitFor());

    await page
      .getByTestId('qa-gaps')
      .locator('tr', { hasText: GAP_QUESTION })
      .getByRole('button', { name: /写答问/ })
      .click();
    await page.waitForURL(/\/qa\/new\?/);
    assert.equal(await page.getByLabel('标准问题').inputValue(), GAP_QUESTION);
    await page.getByLabel('答案', { exact: true }).fill('带购车发票、合格证和身份证到县交警大队车管所办理。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/qa\/[0-9a-f-]{36}\/edit$/);
    await reloads(page, async () => {
      await pollUntil(async () => (await page.getByLabel('标准问题').inputValue()) === GAP_QUESTION, { what: 'the draft reloads' });
    });

    // Written from the gap: its queries leave the list.
    await page.goto(`${base}/qa/gaps`);
    await page.getByTestId('qa-gaps').locator('.ant-table-tbody').waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.getByTestId('qa-gaps').locator('tr', { hasText: GAP_QUESTION }).count(), 0);
    assert.equal(await page.getByTestId('qa-gaps').locator('tr', { hasText: TRIAL_QUESTION }).count(), 0, 'an editor’s trial is no gap');
  });

  it('editor: an import with a bad row is refused whole, naming the row; the export holds the library; the list reads in English', async () => {
    const page = await as('qc.ed');
    await page.goto(`${base}/qa`);
    await page.getByTestId('qa-entries').getByRole('link', { name: QUESTION }).waitFor();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('答问');
    ws.addRow(['标准问题', '相似问题', '答案', '关键词']);
    ws.addRow(['居住证怎么办理', '居住证申领', '到户籍所在地派出所申领。', '居住证']);
    ws.addRow(['护照怎么办', '', '', '护照']);
    await page.locator('input[type=file]').setInputFiles({
      name: 'qa.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    const errors = page.getByTestId('qa-import-errors');
    await errors.getByText('未导入任何答问', { exact: false }).waitFor();
    await errors.getByText('第 3 行', { exact: false }).waitFor();
    await check(page, 'import-refused');
    await page.reload();
    await page.getByTestId('qa-entries').getByRole('link', { name: QUESTION }).waitFor();
    assert.equal(await page.getByTestId('qa-entries').getByRole('link', { name: '居住证怎么办理' }).count(), 0, 'nothing imported');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导\s*出/ }).click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const cells: string[] = [];
    out.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    assert.ok(cells.includes(QUESTION), `the export lists the entry: ${cells.slice(0, 20).join(' | ')}`);

    // The same page under the English switch.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Q&A library' }).waitFor();
    await page.getByRole('button', { name: /Import/ }).waitFor();
    await page.getByTestId('qa-entries').getByRole('columnheader', { name: 'Question' }).waitFor();
    await page.getByText('中文', { exact: true }).click();
  });

  it('province operator: edits the synonym table; a one-character term is refused naming its line', async () => {
    const page = await as('qc.op');
    await page.goto(`${base}/qa/synonyms`);
    const box = page.getByLabel('同义词组');
    await box.waitFor();
    await check(page, 'synonyms');
    const before = await box.inputValue();
    const lines = before.split('\n').filter(Boolean).length;
    await box.fill(`${before}\n犬只登记 狗`.trim());
    await page.getByRole('button', { name: /保存同义词表/ }).click();
    await page
      .getByTestId('synonyms-error')
      .getByText(`第 ${lines + 1} 行`, { exact: false })
      .waitFor();
    await box.fill(`${before}\n犬只登记 养狗登记 狗证`.trim());
    await page.getByRole('button', { name: /保存同义词表/ }).click();
    await page.getByText(`已保存 ${lines + 1} 组同义词`).waitFor();
    await reloads(page, async () => {
      await pollUntil(async () => (await page.getByLabel('同义词组').inputValue()).includes('犬只登记 养狗登记 狗证'), {
        what: 'the saved table',
      });
    });
    // An editor reads the table but cannot change it.
    const editor = await as('qc.ed');
    await editor.goto(`${base}/qa/synonyms`);
    await pollUntil(async () => (await editor.getByLabel('同义词组').inputValue()).includes('犬只登记'), {
      what: 'the editor sees the table',
    });
    assert.equal(await editor.getByRole('button', { name: /保存同义词表/ }).count(), 0);
  });

  it('city editor: picks a county in the unit tree and, searching, the province entry it overrides; saves, then archives the draft', async () => {
    // The province publishes an entry through its own review (by API: this test is about the picker).
    const ped = { Authorization: `Bearer ${await login(hub.http, 'qc.ped')}` };
    const created = await hub.http
      .post('/api/v1/qa/entries')
      .set(ped)
      .send({
        question: PROVINCE_QUESTION,
        similarQuestions: ['公积金怎么取出来'],
        answer: '<p>登录省住房公积金网上服务大厅申请提取。</p>',
      });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const provId = created.body.id as string;
    assert.equal((await hub.http.post(`/api/v1/qa/entries/${provId}/submit`).set(ped)).status, 200);
    const approved = await hub.http
      .post(`/api/v1/qa/entries/${provId}/reviews`)
      .set({ Authorization: `Bearer ${await login(hub.http, 'qc.prev')}` })
      .send({ decision: 'approve' });
    assert.equal(approved.body.status, 'published', JSON.stringify(approved.body));
    const ced = { Authorization: `Bearer ${await login(hub.http, 'qc.ced')}` };
    await pollUntil(
      async () => {
        const r = await hub.http.get('/api/v1/qa/search').query({ q: '公积金提取', unitId: world.units.countyA1.id }).set(ced);
        return [...(r.body.items ?? []), ...(r.body.suggestions ?? [])].some((h: { entryId: string }) => h.entryId === provId);
      },
      { what: 'the province entry is searchable from the county' },
    );

    const page = await as('qc.ced');
    await page.goto(`${base}/qa/new`);
    // The owner unit is a tree of the city and its counties, searchable by name.
    const unitPicker = page.getByTestId('qa-unit-picker');
    await unitPicker.click();
    await page.keyboard.type('一县');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: world.units.countyA1.name }).click();
    await unitPicker.getByText(world.units.countyA1.name).waitFor();
    // The override picker searches what the county's citizens get now.
    const picker = page.getByTestId('qa-override-picker');
    await picker.click();
    await page.keyboard.type('公积金提取');
    await page.locator('.ant-select-item-option', { hasText: PROVINCE_QUESTION }).click();
    await picker.getByText(PROVINCE_QUESTION).waitFor();
    await check(page, 'editor-override');
    await page.getByLabel('标准问题').fill(OVERRIDE_QUESTION);
    await page.getByLabel('答案', { exact: true }).fill('到一县政务服务中心公积金窗口办理提取。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/qa\/[0-9a-f-]{36}\/edit$/);
    const id = /\/qa\/([0-9a-f-]{36})\/edit$/.exec(page.url())![1];
    const saved = await hub.http.get(`/api/v1/qa/entries/${id}`).set(ced);
    assert.equal(saved.body.unitId, world.units.countyA1.id, 'owned by the county picked in the tree');
    assert.equal(saved.body.overridesEntryId, provId, 'overrides the province entry picked');

    // The view names what it overrides; archiving asks first, then takes it out of the library.
    await page.goto(`${base}/qa/${id}`);
    await page.getByTestId('qa-overrides').waitFor();
    await page.getByRole('button', { name: /归\s*档/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /归\s*档/ })
      .click();
    await page.locator('[data-status=archived]').first().waitFor();
    await check(page, 'view-archived');
    assert.equal(await page.getByRole('button', { name: /归\s*档/ }).count(), 0, 'nothing left to archive');
    const archived = await hub.http.get(`/api/v1/qa/entries/${id}`).set(ced);
    assert.equal(archived.body.status, 'archived');
    await reloads(page, () => page.locator('[data-status=archived]').first().waitFor());

    // A county editor writes for the county alone: no unit tree to pick from.
    const county = await as('qc.ed');
    await county.goto(`${base}/qa/new`);
    await county.getByLabel('标准问题').waitFor();
    assert.equal(await county.getByTestId('qa-unit-picker').count(), 0);
  });

  it('province operator: maintains the category tree; a name taken under the same parent is refused at its field', async () => {
    const page = await as('qc.op');
    await page.goto(`${base}/qa`);
    await page.getByRole('button', { name: /^分\s*类$/ }).click();
    await page.waitForURL(`${base}/qa/categories`);
    await page.getByLabel('分类名称').fill('社会保障');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await page.getByTestId('qa-category-tree').getByText('社会保障', { exact: true }).waitFor();
    // A child under it, the parent chosen in the tree.
    await page.getByTestId('qa-category-parent').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '社会保障' }).click();
    await page.getByLabel('分类名称').fill('社会保障卡');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await page.getByText('已添加分类：社会保障 / 社会保障卡').waitFor();
    await page.getByTestId('qa-category-tree').getByText('社会保障卡', { exact: true }).waitFor();
    await page.getByLabel('分类名称').fill('社会保障');
    await page.getByRole('button', { name: /添\s*加/ }).click();
    await page
      .locator('.ant-form-item-has-error', { has: page.getByLabel('分类名称') })
      .getByText('同级已有同名分类', { exact: false })
      .waitFor();
    await check(page, 'categories');
    await reloads(page, () => page.getByTestId('qa-category-tree').getByText('社会保障卡', { exact: true }).waitFor());
    // The editor's category picker is the same tree.
    const cats = await hub.http.get('/api/v1/qa/categories').set({ Authorization: `Bearer ${await login(hub.http, 'qc.op')}` });
    assert.ok(
      cats.body.some((c: { pathName: string }) => c.pathName === '社会保障 / 社会保障卡'),
      JSON.stringify(cats.body),
    );

    // An editor reads the tree but cannot add to it.
    const editor = await as('qc.ed');
    await editor.goto(`${base}/qa/categories`);
    await editor.getByTestId('qa-category-tree').getByText('社会保障卡', { exact: true }).waitFor();
    assert.equal(await editor.getByLabel('分类名称').count(), 0);
  });

  it('province operator: marks a cited policy document 废止 and sees the entries it flagged for review', async () => {
    const page = await as('qc.op');
    await page.goto(`${base}/qa/policies`);
    const row = page.getByTestId('qa-policies').locator('tr', { hasText: '社会保障卡管理办法' });
    await row.waitFor();
    await row.getByText('现行有效').waitFor();
    await check(page, 'policies');
    // An editor sees the list without the repeal action.
    const editor = await as('qc.ed');
    await editor.goto(`${base}/qa/policies`);
    await editor.getByTestId('qa-policies').locator('tr', { hasText: '社会保障卡管理办法' }).waitFor();
    assert.equal(await editor.getByRole('button', { name: /废\s*止/ }).count(), 0);

    await row.getByRole('button', { name: /废\s*止/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /废\s*止/ })
      .click();
    const flagged = page.getByTestId('qa-flagged');
    await flagged.getByRole('link', { name: QUESTION }).waitFor();
    await row.getByText('已废止', { exact: false }).waitFor();
    await check(page, 'policies-repealed');
    const entry = await hub.http.get(`/api/v1/qa/entries/${entryId}`).set({ Authorization: `Bearer ${await login(hub.http, 'qc.op')}` });
    assert.equal(entry.body.needsReview, true, 'the citing entry is flagged');
    await flagged.getByRole('link', { name: QUESTION }).click();
    await page.getByText('引用的政策文件已废止', { exact: false }).waitFor();

    await page.goto(`${base}/qa/policies`);
    await page.getByText('已废止', { exact: true }).first().click();
    await page.getByTestId('qa-policies').locator('tr', { hasText: '社会保障卡管理办法' }).waitFor();
    await reloads(page, () => page.getByTestId('qa-policies').locator('tr', { hasText: '社会保障卡管理办法' }).waitFor());
  });

  it('every Q&A page fits a 390 px phone without sideways scroll', async () => {
    await fitsPhone('qc.ed', '/qa', (p) => p.getByTestId('qa-entries').getByRole('link', { name: QUESTION }).waitFor(), 'list');
    await fitsPhone('qc.ed', '/qa/new', (p) => p.getByLabel('标准问题').waitFor(), 'editor');
    await fitsPhone('qc.ed', `/qa/${entryId}/edit`, (p) => p.getByRole('button', { name: '保存并送审' }).waitFor(), 'edit');
    await fitsPhone('qc.rev', `/qa/${entryId}`, (p) => p.getByTestId('qa-current').getByText(QUESTION).waitFor(), 'view');
    await fitsPhone('qc.op', '/qa/synonyms', (p) => p.getByLabel('同义词组').waitFor(), 'synonyms');
    await fitsPhone('qc.ed', '/qa/gaps', (p) => p.getByTestId('qa-gaps').locator('.ant-table-tbody').waitFor(), 'gaps');
    await fitsPhone('qc.op', '/qa/categories', (p) => p.getByText('全省分类').waitFor(), 'categories');
    await fitsPhone('qc.op', '/qa/policies', (p) => p.getByTestId('qa-policies').locator('.ant-table-tbody').waitFor(), 'policies');
  });
});
