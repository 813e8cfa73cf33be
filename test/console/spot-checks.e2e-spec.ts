import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { Account, AccountStatus } from '@tongfa/accounts';
import { Role } from '@tongfa/identity';
import { newId } from '@tongfa/core';
import { startTestHub, TestHub } from '../support/test-hub';
import { PASSWORD, UnitKey, World } from '../support/world';
import { pollUntil } from '../support/poll';
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

/**
 * 抽查与整改 in the console (issue #15): the round wizard (minimum refused in Chinese, seed kept),
 * the findings screen (a failure becomes an order), the unit's rectification inbox (answer with
 * evidence), the supervisor's re-check, the 通报 download and the rankings. Chromium, SQLite.
 */
describe('console: spot checks, rectification and rankings', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let roundPath = '';

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit] of [
      ['sc.sup', Role.Supervisor, 'cityA'],
      ['sc.admA1', Role.UnitAdmin, 'countyA1'],
      ['sc.admA2', Role.UnitAdmin, 'countyA2'],
    ] as const) {
      await world.user(u, role, unit);
    }
    // The city's matrix as plain rows: sampling reads accounts, not platforms.
    const rows: Partial<Account>[] = [];
    const sup = world.users.get('sc.sup')!.id;
    for (const k of ['countyA1', 'countyA2'] as UnitKey[])
      for (const p of ['weibo', 'wechat'])
        for (let i = 1; i <= 2; i++) {
          const u = world.units[k];
          rows.push({
            id: newId(),
            unitId: u.id,
            unitPath: u.path,
            platform: p,
            name: `${u.name.slice(0, 4)}${p}${i}`,
            status: AccountStatus.Active,
            createdBy: sup,
            openedAt: new Date(),
          });
        }
    await hub.ds.getRepository(Account).insert(rows);
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  it('opens a round from the wizard: a ratio below the minimum is refused in Chinese, the seed is kept and the draw re-derived', async () => {
    const page = await signIn(browser, base, 'sc.sup', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: /抽查/ }).first().click();
    await page.getByRole('heading', { level: 1, name: '抽查' }).waitFor();
    await page
      .getByTestId('round-minimum')
      .getByText(/全国 30%（每季度）/)
      .waitFor();
    await checkPage(page, 'spot-checks', axeReport);
    await pickTreeNode(page, 'round-root', '甲市政府办公室');
    const ratio = page.getByRole('spinbutton', { name: '抽查比例（%）' });
    await ratio.fill('20');
    await page.getByTestId('round-seed').fill('甲市2026Q4');
    await page.getByTestId('round-open').click();
    await page
      .getByTestId('round-error')
      .getByText(/抽查比例不得低于/)
      .waitFor();
    await ratio.fill('50');
    await page.getByTestId('round-open').click();
    await page.waitForURL(/\/spot-checks\/[0-9a-f-]{36}$/);
    roundPath = new URL(page.url()).pathname;
    assert.equal(await page.getByTestId('round-seed-value').innerText(), '甲市2026Q4');
    assert.equal(await page.getByTestId('derivation-verified').innerText(), '与记录一致');
    const how = await page.getByTestId('derivation-description').innerText();
    assert.match(how, /分层/);
    assert.doesNotMatch(how, /Strata/);
    await checkPage(page, 'spot-check-round', axeReport);
    await reloadKeeps(page, () => page.getByTestId('round-derivation').waitFor());
    await page.goto(`${base}/spot-checks`);
    await page.getByTestId('round-row').filter({ hasText: '甲市2026Q4' }).waitFor();
    await reloadKeeps(page, () => page.getByTestId('round-row').filter({ hasText: '甲市2026Q4' }).waitFor());
  });

  it('a unit admin has no 抽查 in the menu and opening a round is refused in Chinese', async () => {
    const page = await signIn(browser, base, 'sc.admA1', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: /整改/ }).waitFor();
    assert.equal(await page.getByRole('menuitem', { name: /抽查/ }).count(), 0);
    assert.equal(await page.getByRole('menuitem', { name: /排名/ }).count(), 0);
    await page.goto(`${base}${roundPath}`);
    await page.getByText('抽查轮次不存在或无权访问').waitFor();
    assert.equal(await page.getByTestId('round-derivation').count(), 0);
  });

  it('records a failure, which the county answers from its inbox and the supervisor closes', async () => {
    const page = await signIn(browser, base, 'sc.sup', PASSWORD, contexts);
    await page.goto(`${base}${roundPath}`);
    const sample = page.getByTestId('sample').filter({ hasText: '甲市一县' }).first();
    await sample.waitFor();
    await sample.getByTestId('finding-item').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '超过两周未更新' }).click();
    await sample.getByTestId('finding-note').fill('11 月 3 日起未更新');
    await sample.getByTestId('finding-save').click();
    await sample.locator('[data-testid="finding"][data-result="fail"]').first().waitFor();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx').click()]);
    assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
    assert.equal(
      readFileSync(await xlsx.path())
        .subarray(0, 2)
        .toString(),
      'PK',
    );
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('report-pdf').click()]);
    assert.match(pdf.suggestedFilename(), /\.pdf$/);
    assert.equal(
      readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );

    const county = await signIn(browser, base, 'sc.admA1', PASSWORD, contexts);
    await county.getByRole('menuitem', { name: /整改/ }).click();
    const first = county.getByTestId('rectification').filter({ hasText: '11 月 3 日起未更新' });
    await first.waitFor();
    assert.equal(await county.getByTestId('rectification').count(), 1);
    await checkPage(county, 'rectifications', axeReport);
    await reloadKeeps(county, () => first.waitFor());
    await first.getByTestId('response-send').click();
    await first.getByTestId('rectification-error').waitFor();
    assert.match(await first.getByTestId('rectification-error').innerText(), /整改情况/);
    await first.getByTestId('response-text').fill('已恢复更新，每日发布');
    await first.getByTestId('response-urls').fill('https://weibo.com/u/1/post/2');
    await first.getByTestId('response-send').click();
    await county.getByText('没有整改通知').waitFor();

    const other = await signIn(browser, base, 'sc.admA2', PASSWORD, contexts);
    await other.goto(`${base}/rectifications`);
    await other.locator('.ant-segmented-item').filter({ hasText: '全部' }).click();
    await pollUntil(async () => (await other.getByTestId('rectification').count()) === 0, {
      what: 'sibling county sees none of A1’s orders',
    });

    await page.goto(`${base}/rectifications`);
    await page.locator('.ant-segmented-item').filter({ hasText: '待复核' }).click();
    const answered = page.getByTestId('rectification').first();
    await answered.getByTestId('response').getByText('已恢复更新，每日发布').waitFor();
    await answered.getByTestId('review-close').click();
    await page.getByText('没有整改通知').waitFor();
  });

  it('sends an answer back and then escalates it: the county sees each, after a reload too, and it fits 390 px', async () => {
    const page = await signIn(browser, base, 'sc.sup', PASSWORD, contexts);
    await page.goto(`${base}${roundPath}`);
    const sample = page.getByTestId('sample').filter({ hasText: '甲市一县' }).first();
    await sample.waitFor();
    await sample.getByTestId('finding-item').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '无有效互动' }).click();
    await sample.getByTestId('finding-note').fill('群众留言无人回复');
    await sample.getByTestId('finding-save').click();
    await sample.locator('[data-testid="finding"][data-result="fail"]', { hasText: '无有效互动' }).waitFor();

    // The county answers; the supervisor sends it back with a reason.
    const county = await signIn(browser, base, 'sc.admA1', PASSWORD, contexts);
    await county.goto(`${base}/rectifications`);
    const order = county.getByTestId('rectification').filter({ hasText: '群众留言无人回复' });
    await order.waitFor();
    await order.getByTestId('response-text').fill('已安排专人回复');
    await order.getByTestId('response-send').click();
    await county.getByText('没有整改通知').waitFor();

    await page.goto(`${base}/rectifications`);
    await page.locator('.ant-segmented-item').filter({ hasText: '待复核' }).click();
    const answered = page.getByTestId('rectification').filter({ hasText: '群众留言无人回复' });
    await answered.getByTestId('response').getByText('已安排专人回复').waitFor();
    await answered.getByTestId('review-note-input').fill('未见回复记录，请补充截图');
    await answered.getByTestId('review-reopen').click();
    await pollUntil(async () => (await answered.count()) === 0, { what: 'sent back: gone from 待复核' });

    // The county has it open again, marked as sent back with the reason, and it stays after a reload.
    await county.reload();
    const back = county.getByTestId('rectification').filter({ hasText: '群众留言无人回复' });
    await back.getByTestId('reopened').getByText('已退回 1 次').waitFor();
    await back.getByTestId('review-note').getByText('未见回复记录，请补充截图').waitFor();
    assert.equal(await back.getAttribute('data-state'), 'open');
    await reloadKeeps(county, () => back.getByTestId('reopened').waitFor());
    await checkPage(county, 'rectifications-reopened', axeReport);
    await back.getByTestId('response-text').fill('已补充回复截图');
    await back.getByTestId('response-send').click();
    await county.getByText('没有整改通知').waitFor();

    // Still not enough: the supervisor escalates it to the unit above.
    await page.reload();
    await page.locator('.ant-segmented-item').filter({ hasText: '待复核' }).click();
    const again = page.getByTestId('rectification').filter({ hasText: '群众留言无人回复' });
    await again.getByTestId('response').getByText('已补充回复截图').waitFor();
    await again.getByTestId('review-note-input').fill('两次整改不到位，报请市里督办');
    await again.getByTestId('review-escalate').click();
    await page.locator('.ant-segmented-item').filter({ hasText: '已上报' }).click();
    const escalated = page.getByTestId('rectification').filter({ hasText: '群众留言无人回复' });
    await escalated.getByTestId('review-note').getByText('两次整改不到位，报请市里督办').waitFor();
    assert.equal(await escalated.getAttribute('data-state'), 'escalated');
    // An escalated order can still be closed or sent back, not escalated twice.
    await escalated.getByTestId('review-close').waitFor();
    assert.equal(await escalated.getByTestId('review-escalate').count(), 0);

    await county.locator('.ant-segmented-item').filter({ hasText: '已上报' }).click();
    const seen = county.getByTestId('rectification').filter({ hasText: '群众留言无人回复' });
    await seen.getByText('已上报').first().waitFor();
    await seen.getByTestId('review-note').getByText('两次整改不到位，报请市里督办').waitFor();
    assert.equal(await seen.getByTestId('response-send').count(), 0, 'nothing to answer while escalated');

    for (const who of ['sc.admA1', 'sc.sup']) {
      const phone = await signIn(browser, base, who, PASSWORD, contexts, { viewport: PHONE });
      await assertFitsPhone(
        phone,
        base,
        '/rectifications',
        async (p) => {
          await p.locator('.ant-segmented-item').filter({ hasText: '全部' }).click();
          await p.getByTestId('rectification').filter({ hasText: '群众留言无人回复' }).waitFor();
        },
        `rectifications-escalated-${who}`,
      );
    }
  });

  it('shows the rankings with the formula and inputs, and fits 390 px on every page', async () => {
    const page = await signIn(browser, base, 'sc.sup', PASSWORD, contexts);
    await page.goto(`${base}/rankings`);
    await page.getByRole('heading', { level: 1, name: '账号排名' }).waitFor();
    await page.getByText(/公式 tongfa-rank\//).waitFor();
    await page.getByTestId('ranking-row').first().waitFor();
    await checkPage(page, 'rankings', axeReport);
    await reloadKeeps(page, () => page.getByText(/公式 tongfa-rank\//).waitFor());
    // Under the language switch the same page reads in English.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Rankings' }).waitFor();
    await page.getByText(/formula tongfa-rank\//).waitFor();
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '账号排名' }).waitFor();
    for (const [path, name] of [
      ['/spot-checks', 'spot-checks'],
      [roundPath, 'spot-check-round'],
      ['/rectifications', 'rectifications'],
      ['/rankings', 'rankings'],
    ] as const) {
      const phone = await signIn(browser, base, 'sc.sup', PASSWORD, contexts, { viewport: PHONE });
      await assertFitsPhone(phone, base, path, (p) => p.getByRole('heading', { level: 1 }).waitFor(), name);
    }
  });
});
