import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { Role } from '@tongfa/identity';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import { animationsSettled, checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, reloadKeeps, signIn } from '../support/browser';

interface MediaRow {
  id: string;
  kind: string;
  caption: string | null;
  alt: string | null;
  width: number | null;
}

/**
 * The media library in the browser: describing an upload (caption, alt text), finding it again,
 * inserting it into an article from the editor's picker, and a video with its poster frame.
 */
describe('console: media library and video in the editor (sqlite)', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  const t = new Map<string, string>();
  const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
  let imageId = '';
  let foreignId = '';

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    await world.user('mb.ed', Role.Editor, 'countyA1');
    await world.user('mb.other', Role.Editor, 'countyB1');
    for (const u of world.users.keys()) t.set(u, await login(hub.http, u));
    const png = (c: string) =>
      sharp({ create: { width: 640, height: 400, channels: 3, background: c } })
        .png()
        .toBuffer();
    const up = await hub.http
      .post('/api/v1/media')
      .set(as('mb.ed'))
      .attach('file', await png('#2b6cb0'), 'IMG_2041.png');
    assert.equal(up.status, 201, up.text);
    imageId = up.body.id;
    const other = await hub.http
      .post('/api/v1/media')
      .set(as('mb.other'))
      .attach('file', await png('#b7791f'), '乙市素材.png');
    foreignId = other.body.id;
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  const media = async (id: string): Promise<MediaRow> => (await hub.http.get(`/api/v1/media/${id}`).set(as('mb.ed'))).body;

  it('media library: an editor describes an upload, finds it by caption, and it stays after a reload', async () => {
    const page = await signIn(browser, base, 'mb.ed', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: '媒体库' }).click();
    await page.getByRole('heading', { level: 1, name: '媒体库' }).waitFor();
    const card = page.locator(`[data-testid=media-card][data-media-id="${imageId}"]`);
    await card.getByText('缺少替代文本').waitFor();
    assert.equal(await page.locator(`[data-media-id="${foreignId}"]`).count(), 0, 'another unit’s upload is not listed');
    await card.locator('img[src^="blob:"]').waitFor();
    await checkPage(page, 'media-library', axeReport);

    await card.getByRole('button', { name: /编辑说明/ }).click();
    const dialog = page.getByRole('dialog', { name: '编辑素材说明' });
    await dialog.getByLabel('图片说明').fill('县政务服务中心大厅');
    await dialog.getByLabel('替代文本').fill('群众在政务服务中心窗口排队办事');
    await checkPage(page, 'media-library-edit', axeReport);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await card.getByText('县政务服务中心大厅').waitFor();
    await card.getByText('替代文本：群众在政务服务中心窗口排队办事').waitFor();
    // The dialog gives focus back to its button when it has closed; typing before then would go there.
    await dialog.waitFor({ state: 'hidden' });
    await animationsSettled(page);
    const saved = await media(imageId);
    assert.equal(saved.caption, '县政务服务中心大厅');
    assert.equal(saved.alt, '群众在政务服务中心窗口排队办事');

    const search = page.getByLabel('查找素材');
    await search.fill('没有这张图');
    await search.press('Enter');
    await page.getByText('没有符合条件的素材').waitFor();
    await search.fill('服务中心');
    await search.press('Enter');
    await card.waitFor();
    assert.equal(await page.locator('[data-testid=media-card]').count(), 1);
    await reloadKeeps(page, () => card.getByText('县政务服务中心大厅').waitFor());
  });

  it('media library fits a 390 px phone', async () => {
    const page = await signIn(browser, base, 'mb.ed', PASSWORD, contexts, { viewport: PHONE });
    await page.goto(`${base}/media`);
    await page.locator(`[data-testid=media-card][data-media-id="${imageId}"] img[src^="blob:"]`).waitFor();
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= PHONE.width, `the page is ${width} px wide at ${PHONE.width} px`);
    await checkPage(page, 'media-library-390', axeReport);
    await page.context().close();
  });

  it('editor: 从媒体库插入 puts the library image with its alt text into the body, and the manuscript carries it', async () => {
    const page = await signIn(browser, base, 'mb.ed', PASSWORD, contexts);
    await page.goto(`${base}/manuscripts/new`);
    await page.getByLabel('标题').fill('县政务服务中心延时服务');
    const body = page.getByTestId('body-editor');
    await body.click();
    await page.keyboard.type('即日起，县政务服务中心工作日延时至晚上八点。');
    await page.getByRole('button', { name: '从媒体库插入' }).click();
    const picker = page.getByRole('dialog', { name: '从媒体库插入' });
    await picker.getByRole('button', { name: '县政务服务中心大厅' }).click();
    assert.equal(await picker.getByLabel(/替代文本/).inputValue(), '群众在政务服务中心窗口排队办事', 'the library’s alt text comes along');
    await checkPage(page, 'editor-media-picker', axeReport);
    await picker.getByTestId('picker-insert').click();
    const img = body.locator(`img[data-media-id="${imageId}"]`);
    await img.waitFor();
    assert.equal(await img.getAttribute('alt'), '群众在政务服务中心窗口排队办事');
    await body.locator('img[src^="blob:"]').waitFor();
    await page.waitForURL(/\/manuscripts\/[0-9a-f-]{36}\/edit/, { timeout: 20_000 });
    const id = /\/manuscripts\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    const version = await pollUntil(
      async () => {
        const m = (await hub.http.get(`/api/v1/manuscripts/${id}`).set(as('mb.ed'))).body;
        return m.version?.mediaIds?.includes(imageId) ? m.version : null;
      },
      { timeoutMs: 20_000, what: 'the manuscript saved with the library image' },
    );
    assert.equal(version.coverMediaId, imageId);
    assert.match(version.bodyHtml, new RegExp(`data-media-id="${imageId}"`));
  });

  it('editor: a video uploads with progress, gets a poster frame, and comes back after a reload', async () => {
    const page = await signIn(browser, base, 'mb.ed', PASSWORD, contexts);
    await page.goto(`${base}/manuscripts/new`);
    await page.getByLabel('标题').fill('县政务服务中心延时服务视频');
    await page.getByTestId('body-editor').click();
    await page.keyboard.type('延时服务首日实况。');
    const mp4 = await recordMp4(page);
    // Slow the upload down so its progress is seen, as on a county office's line.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 48 * 1024,
    });
    const seen: number[] = [];
    await page.exposeFunction('tfProgress', (n: number) => seen.push(n));
    await page.evaluate(`new MutationObserver(() => {
      const el = document.querySelector('[data-testid=upload-progress][aria-valuenow], [data-testid=upload-progress] [aria-valuenow]');
      if (el) window.tfProgress(Number(el.getAttribute('aria-valuenow')));
    }).observe(document.body, { subtree: true, childList: true, attributes: true })`);
    await page.getByTestId('video-input').setInputFiles({ name: '延时服务.mp4', mimeType: 'video/mp4', buffer: mp4 });
    await page.getByTestId('upload-progress').waitFor();
    await page.getByTestId('video-poster').waitFor({ timeout: 60_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    // The bar reports the upload's own progress events and reaches 100; how many steps come
    // before depends on how the browser hands the body to the socket, so only the end is asserted.
    assert.ok(seen.includes(100), `the progress bar reached 100 (saw ${[...new Set(seen)].join(', ')})`);
    await page.getByTestId('video-player').waitFor();
    await checkPage(page, 'editor-video', axeReport);

    await page.waitForURL(/\/manuscripts\/[0-9a-f-]{36}\/edit/, { timeout: 20_000 });
    const id = /\/manuscripts\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    const version = await pollUntil(
      async () => {
        const m = (await hub.http.get(`/api/v1/manuscripts/${id}`).set(as('mb.ed'))).body;
        return m.version?.coverMediaId && m.version.mediaIds.length ? m.version : null;
      },
      { timeoutMs: 20_000, what: 'the manuscript saved with the video and its poster' },
    );
    const [videoId] = version.mediaIds as string[];
    const video = await media(videoId);
    assert.equal(video.kind, 'video', 'the manuscript carries the video');
    const poster = await media(version.coverMediaId);
    assert.equal(poster.kind, 'image', 'the cover is the poster frame, an image');
    assert.equal(poster.width, 320, 'captured at the video’s own size');

    await reloadKeeps(page, () => page.getByTestId('video-poster').waitFor());
    await page.getByTestId('video-player').waitFor();

    const phone = await signIn(browser, base, 'mb.ed', PASSWORD, contexts, { viewport: PHONE });
    await phone.goto(`${base}/manuscripts/${id}/edit`);
    await phone.getByTestId('video-poster').waitFor();
    await checkPage(phone, 'editor-video-390', axeReport);
  });
});

/** A two-second MP4 recorded in the page from an animated canvas (Chromium's MediaRecorder writes MP4). */
async function recordMp4(page: Page): Promise<Buffer> {
  const b64 = (await page.evaluate(`(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    let frame = 0;
    // About two seconds of video: the recording ends once 50 frames have been drawn (or fails after 15 s).
    let enough;
    const drawn = new Promise((resolve, reject) => {
      enough = resolve;
      setTimeout(() => reject(new Error('the canvas drew no 50 frames within 15 s')), 15000);
    });
    const draw = () => {
      if (frame === 50) enough();
      g.fillStyle = 'hsl(' + (frame * 7) % 360 + ', 60%, 45%)';
      g.fillRect(0, 0, 320, 240);
      g.fillStyle = '#fff';
      g.fillRect(20 + (frame * 5) % 260, 100, 40, 40);
      frame++;
    };
    draw();
    const timer = setInterval(draw, 40);
    const rec = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/mp4' });
    const parts = [];
    rec.ondataavailable = (e) => parts.push(e.data);
    const done = new Promise((resolve) => (rec.onstop = resolve));
    rec.start();
    await drawn;
    rec.stop();
    await done;
    clearInterval(timer);
    const buf = new Uint8Array(await new Blob(parts).arrayBuffer());
    let s = '';
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return btoa(s);
  })()`)) as string;
  return Buffer.from(b64, 'base64');
}
