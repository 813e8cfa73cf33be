import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { Role } from '@tongfa/identity';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, signIn } from '../support/browser';

/**
 * Role workbenches (issue #12): what the auditor, the platform operator and the supervisor see
 * first, in Chromium against a real hub (SQLite), at desktop width and at 390 px.
 */
describe('console: role workbenches for auditor, operator and supervisor', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit] of [
      ['wb.aud', Role.Auditor, 'province'],
      ['wb.op', Role.PlatformOperator, 'province'],
      ['wb.sup', Role.Supervisor, 'cityA'],
      ['wb.admin', Role.UnitAdmin, 'countyA1'],
    ] as const) {
      await world.user(u, role, unit);
    }
    // An account applied for by a county: it waits for the city supervisor's approval.
    const admin = await login(hub.http, 'wb.admin');
    const acc = await hub.http
      .post('/api/v1/accounts')
      .set({ Authorization: `Bearer ${admin}` })
      .send({ unitId: world.units.countyA1.id, platform: 'weibo', name: '甲市一县发布' });
    assert.equal(acc.status, 201, acc.text);
    assert.equal(acc.body.status, 'applying');
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  for (const viewport of [undefined, PHONE]) {
    const suffix = viewport ? '-390' : '';

    it(`shows the auditor the chain status and recent actions${suffix}`, async () => {
      const page = await signIn(browser, base, 'wb.aud', PASSWORD, contexts, { viewport });
      const chain = page.getByTestId('audit-chain');
      await chain.getByText('完整，未发现篡改').waitFor();
      // The sign-ins of this test are recorded actions.
      await page.getByTestId('audit-recent').getByText('wb.admin').first().waitFor();
      if (viewport) assert.ok(((await page.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width);
      await checkPage(page, `workbench-auditor${suffix}`, axeReport);
    });

    it(`shows the operator readiness, queues and plugins${suffix}`, async () => {
      const page = await signIn(browser, base, 'wb.op', PASSWORD, contexts, { viewport });
      await page.getByTestId('ops-health').getByText('就绪').waitFor();
      // Each readiness check by name, in Chinese (数据库：正常), not the probe's key and status.
      await page.getByTestId('ops-health').getByText('数据库：正常').waitFor();
      assert.doesNotMatch(await page.getByTestId('ops-health').innerText(), /database|: up/);
      await page
        .getByTestId('ops-plugins')
        .getByText(/已加载 \d+ 个插件/)
        .waitFor();
      const plugins = await page.getByTestId('ops-plugins').innerText();
      assert.match(plugins, /微博|Weibo/i);
      await page.getByTestId('ops-queues').waitFor();
      if (viewport) assert.ok(((await page.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width);
      await checkPage(page, `workbench-operator${suffix}`, axeReport);
    });

    it(`shows the supervisor accounts to approve, accounts at risk, exemptions waiting and the week’s activity${suffix}`, async () => {
      const page = await signIn(browser, base, 'wb.sup', PASSWORD, contexts, { viewport });
      const approvals = page.getByTestId('sup-approvals');
      await approvals.getByRole('link', { name: '甲市一县发布' }).waitFor();
      // The platform by its name, and the count beside the heading (the shared list card).
      await approvals.getByText('微博', { exact: true }).waitFor();
      assert.doesNotMatch(await approvals.innerText(), /\bweibo\b/);
      assert.equal((await approvals.locator('.tf-card-extra').innerText()).trim(), '1');
      await page
        .getByTestId('sup-at-risk')
        .getByText(/所有账号近 10 天内均有更新|从未发布|最后更新/)
        .first()
        .waitFor();
      // Nothing published in the city's units this week: the city and its direct children are all idle,
      // and nothing of the sibling city appears. No campaign yet: no exemption waits.
      await page.getByTestId('sup-exemptions').getByText('没有待审批的豁免申请').waitFor();
      const idle = page.getByTestId('sup-idle');
      await idle.getByText(/无发布（4）/).waitFor();
      const idleText = await idle.innerText();
      for (const name of ['甲市政府办公室', '甲市一县政府办公室', '甲市二县政府办公室', '甲市教育局'])
        assert.ok(idleText.includes(name), name);
      assert.ok(!idleText.includes('乙市'), 'no unit outside the subtree');
      assert.match(await page.getByTestId('sup-active').innerText(), /有发布（0）/);
      if (viewport) assert.ok(((await page.evaluate('document.documentElement.scrollWidth')) as number) <= PHONE.width);
      await checkPage(page, `workbench-supervisor${suffix}`, axeReport);
    });
  }
});
