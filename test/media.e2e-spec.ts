import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

for (const driver of testDrivers()) {
  describe(`media upload (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let dir: string;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tongfa-media-test-'));
      hub = await startTestHub(driver, {
        TONGFA_MEDIA_DIR: dir,
        TONGFA_MEDIA_MAX_PIXELS: '1000000',
        TONGFA_MEDIA_MAX_IMAGE_BYTES: '2000000',
      });
      world = await World.build(hub.app);
      await world.user('md.editor', Role.Editor, 'countyA1');
      await world.user('md.other', Role.Editor, 'countyB1');
      for (const u of world.users.keys()) t.set(u, await login(hub.http, u));
    });
    after(async () => {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('strips EXIF (GPS included) and stores the image upright under its id', async () => {
      const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a6' } })
        .jpeg()
        .withMetadata({ orientation: 6 })
        .withExifMerge({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '23/1 7/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 15/1 0/1' } })
        .toBuffer();
      const fixture = await sharp(jpeg).metadata();
      assert.ok(fixture.exif && fixture.orientation === 6, 'the fixture carries EXIF with an orientation');
      const res = await hub.http.post('/api/v1/media').set(as('md.editor')).attach('file', jpeg, '../../etc/照片.jpg');
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.mime, 'image/jpeg');
      assert.equal(res.body.originalName, '照片.jpg', 'directories in the client name are dropped');
      assert.deepEqual([res.body.width, res.body.height], [480, 640], 'rotated per EXIF orientation 6');
      const content = await hub.http
        .get(`/api/v1/media/${res.body.id}/content`)
        .set(as('md.editor'))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(content.status, 200);
      const meta = await sharp(content.body as Buffer).metadata();
      assert.equal(meta.exif, undefined, 'no EXIF left');
      assert.equal(meta.xmp, undefined);
      assert.equal((await hub.http.get(`/api/v1/media/${res.body.id}`).set(as('md.other'))).status, 404, 'another county cannot read it');
    });

    it('sniffs the type from the content, not the file name', async () => {
      const png = await sharp({ create: { width: 10, height: 10, channels: 4, background: '#000' } })
        .png()
        .toBuffer();
      const res = await hub.http.post('/api/v1/media').set(as('md.editor')).attach('file', png, 'disguised.jpg');
      assert.equal(res.status, 201);
      assert.equal(res.body.mime, 'image/png');
      assert.equal(res.body.ext, 'png');
    });

    it('refuses SVG, unknown types, oversized files and decompression bombs with a clear 400', async () => {
      const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      const r1 = await hub.http.post('/api/v1/media').set(as('md.editor')).attach('file', svg, 'logo.png');
      assert.equal(r1.status, 400);
      assert.equal(r1.body.code, 'MEDIA_SVG_REFUSED');
      const r2 = await hub.http.post('/api/v1/media').set(as('md.editor')).attach('file', Buffer.from('MZ\x90\x00 plain bytes'), 'a.jpg');
      assert.equal(r2.status, 400);
      assert.equal(r2.body.code, 'MEDIA_UNSUPPORTED_TYPE');
      const bomb = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#fff' } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const r3 = await hub.http.post('/api/v1/media').set(as('md.editor')).attach('file', bomb, 'bomb.png');
      assert.equal(r3.status, 400, JSON.stringify(r3.body));
      assert.equal(r3.body.code, 'MEDIA_TOO_MANY_PIXELS');
      const big = await sharp({
        create: { width: 999, height: 999, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 90 } },
      })
        .png({ compressionLevel: 0 })
        .toBuffer();
      const r4 = await hub.http.post('/api/v1/media').set(as('md.editor')).attach('file', big, 'big.png');
      assert.equal(r4.status, 400);
      assert.equal(r4.body.code, 'MEDIA_TOO_LARGE');
      const r5 = await hub.http.post('/api/v1/media').set(as('md.editor'));
      assert.equal(r5.status, 400);
      assert.equal(r5.body.details[0].field, 'file');
    });
  });
}
