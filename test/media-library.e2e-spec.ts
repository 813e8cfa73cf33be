import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { buildTestMp4 } from '@tongfa/plugin-sdk/testing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/** The media library: a unit's uploads listed, searched by caption, described with caption and alt text. */
for (const driver of testDrivers()) {
  describe(`media library (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let dir: string;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const png = (colour: string) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
        .png()
        .toBuffer();
    const up = async (who: string, buf: Buffer, name: string) => {
      const res = await hub.http.post('/api/v1/media').set(as(who)).attach('file', buf, name);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string };
    };
    let a1Image = '';
    let a1Video = '';
    let b1Image = '';

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tongfa-media-lib-'));
      hub = await startTestHub(driver, { TONGFA_MEDIA_DIR: dir });
      world = await World.build(hub.app);
      await world.user('ml.editor', Role.Editor, 'countyA1');
      await world.user('ml.editor2', Role.Editor, 'countyA2');
      await world.user('ml.other', Role.Editor, 'countyB1');
      await world.user('ml.reviewer', Role.Reviewer, 'countyA1', { level: 1 });
      await world.user('ml.sup', Role.Supervisor, 'cityA');
      await world.user('ml.auditor', Role.Auditor, 'province');
      for (const u of world.users.keys()) t.set(u, await login(hub.http, u));
      a1Image = (await up('ml.editor', await png('#36a'), '发布会现场.png')).id;
      a1Video = (await up('ml.editor', buildTestMp4(256 * 1024, 8), '发布会.mp4')).id;
      b1Image = (await up('ml.other', await png('#a63'), '乙市.png')).id;
    });
    after(async () => {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists the unit’s uploads newest first, filtered by kind, never another unit’s', async () => {
      const res = await hub.http.get('/api/v1/media').set(as('ml.editor'));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        res.body.items.map((m: { id: string }) => m.id),
        [a1Video, a1Image],
      );
      assert.equal(res.body.total, 2);
      const videos = await hub.http.get('/api/v1/media?kind=video').set(as('ml.editor'));
      assert.deepEqual(
        videos.body.items.map((m: { id: string; durationSec: number }) => [m.id, m.durationSec]),
        [[a1Video, 8]],
      );
      const other = await hub.http.get('/api/v1/media').set(as('ml.other'));
      assert.deepEqual(
        other.body.items.map((m: { id: string }) => m.id),
        [b1Image],
      );
      const sup = await hub.http.get('/api/v1/media').set(as('ml.sup'));
      assert.equal(sup.body.total, 2, 'a city supervisor sees its counties’ media, not another city’s');
    });

    it('saves caption and alt text, finds the image by caption, and audits the change', async () => {
      const res = await hub.http
        .patch(`/api/v1/media/${a1Image}`)
        .set(as('ml.editor'))
        .send({ caption: '  甲市一县新闻发布会现场 ', alt: '发言人在发布台前答记者问' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.caption, '甲市一县新闻发布会现场', 'trimmed');
      assert.equal(res.body.alt, '发言人在发布台前答记者问');
      const got = await hub.http.get(`/api/v1/media/${a1Image}`).set(as('ml.reviewer'));
      assert.equal(got.body.caption, '甲市一县新闻发布会现场');

      const found = await hub.http.get(`/api/v1/media?q=${encodeURIComponent('新闻发布会')}`).set(as('ml.editor'));
      assert.deepEqual(
        found.body.items.map((m: { id: string }) => m.id),
        [a1Image],
      );
      const wild = await hub.http.get(`/api/v1/media?q=${encodeURIComponent('%')}`).set(as('ml.editor'));
      assert.equal(wild.body.total, 0, 'a % in the search is a character, not a wildcard');

      const cleared = await hub.http.patch(`/api/v1/media/${a1Image}`).set(as('ml.editor')).send({ caption: null });
      assert.equal(cleared.body.caption, null);
      assert.equal(cleared.body.alt, '发言人在发布台前答记者问', 'a field not sent is kept');

      const audit = await hub.http.get('/api/v1/audit?action=media.update&pageSize=50').set(as('ml.auditor'));
      assert.equal(audit.status, 200);
      const rows = audit.body.items.filter((r: { targetId: string }) => r.targetId === a1Image);
      assert.equal(rows.length, 2, JSON.stringify(audit.body.items));
    });

    it('refuses to describe another unit’s media, and lets readers look but not edit', async () => {
      const foreign = await hub.http.patch(`/api/v1/media/${b1Image}`).set(as('ml.editor')).send({ caption: '改掉' });
      assert.equal(foreign.status, 404, 'out of scope looks like not there');
      const sibling = await hub.http.patch(`/api/v1/media/${a1Image}`).set(as('ml.editor2')).send({ alt: '改掉' });
      assert.equal(sibling.status, 404);
      const reviewer = await hub.http.patch(`/api/v1/media/${a1Image}`).set(as('ml.reviewer')).send({ alt: '改掉' });
      assert.equal(reviewer.status, 403);
      const sup = await hub.http.patch(`/api/v1/media/${a1Image}`).set(as('ml.sup')).send({ alt: '改掉' });
      assert.equal(sup.status, 403);
      const after = await hub.http.get(`/api/v1/media/${b1Image}`).set(as('ml.other'));
      assert.equal(after.body.caption, null, 'unchanged');
      const listForeign = await hub.http.get(`/api/v1/media?unitId=${world.units.countyB1.id}`).set(as('ml.editor'));
      assert.equal(listForeign.body.total, 0, 'asking for another unit’s media lists nothing');
    });

    it('names a bad field in Chinese first', async () => {
      const long = await hub.http
        .patch(`/api/v1/media/${a1Image}`)
        .set(as('ml.editor'))
        .send({ alt: '长'.repeat(201) });
      assert.equal(long.status, 400);
      assert.match(long.body.message, /替代文本/);
      assert.equal(long.body.details[0].field, 'alt');
      const kind = await hub.http.get('/api/v1/media?kind=pdf').set(as('ml.editor'));
      assert.equal(kind.status, 400);
    });
  });
}
