import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { EntitySubscriberInterface } from 'typeorm';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { Media } from '@tongfa/media';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';

const SYSTEM_TMP = tmpdir();

/** Every file (not directory) under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
    .sort();
}

const BOUNDARY = 'tongfa-upload-test';
const DECLARED = 100 * 1024 * 1024;

/**
 * Who may upload is decided before the body is read; whatever goes wrong with an upload, nothing
 * is left in the media directory or the temp directory.
 */
for (const driver of testDrivers()) {
  describe(`uploads: permission before the body, nothing left behind (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let mediaDir: string;
    let TEMP: string;
    let port = 0;
    const t = new Map<string, string>();
    const bearer = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    // The embedded test database lives in the temp dir too (tongfa-test-*); it is not an upload.
    const leftovers = () => [
      ...filesUnder(mediaDir).map((f) => `media:${f}`),
      ...filesUnder(TEMP)
        .filter((f) => !f.startsWith('tongfa-test-'))
        .map((f) => `tmp:${f}`),
    ];

    before(async () => {
      mediaDir = mkdtempSync(join(SYSTEM_TMP, 'tongfa-upload-media-'));
      // Everything this process writes to "the temp dir" lands here, so the test can see it (the
      // hub runs in this process); os.tmpdir() reads TMPDIR on every call.
      TEMP = mkdtempSync(join(SYSTEM_TMP, 'tongfa-upload-tmp-'));
      process.env.TMPDIR = TEMP;
      hub = await startTestHub(driver, {
        TONGFA_MEDIA_DIR: mediaDir,
        TONGFA_MEDIA_MAX_IMAGE_BYTES: String(1024 * 1024),
        TONGFA_MEDIA_MAX_VIDEO_BYTES: String(2 * 1024 * 1024),
      });
      world = await World.build(hub.app);
      await world.user('up.editor', Role.Editor, 'countyA1');
      await world.user('up.reviewer', Role.Reviewer, 'countyA1');
      await world.user('up.admin', Role.UnitAdmin, 'countyA1');
      for (const u of world.users.keys()) t.set(u, await login(hub.http, u));
      const server = hub.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      await hub.close();
      rmSync(mediaDir, { recursive: true, force: true });
      process.env.TMPDIR = SYSTEM_TMP;
      rmSync(TEMP, { recursive: true, force: true });
    });

    /**
     * Starts a multipart upload declaring `declared` bytes, sends `send` of them, and waits for the
     * answer (at most 5 s) without sending the rest. Resolves with the answer and what was sent.
     */
    async function partialUpload(
      path: string,
      headers: Record<string, string>,
      opts: { declared?: number; send?: number; head?: Buffer } = {},
    ): Promise<{ status: number; body: { code?: string; message?: string }; sent: number }> {
      const declared = opts.declared ?? DECLARED;
      const head = Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
      );
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(declared) },
      });
      let sent = 0;
      const write = (b: Buffer) => {
        req.write(b);
        sent += b.length;
      };
      write(head);
      if (opts.head) write(opts.head);
      write(Buffer.alloc(opts.send ?? 64 * 1024, 7));
      try {
        const res = await new Promise<IncomingMessage>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no answer within 5 s while ${declared - sent} bytes were still unsent`)), 5000);
          req.on('response', (r) => {
            clearTimeout(timer);
            resolve(r);
          });
          req.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
        });
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        return { status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), sent };
      } finally {
        req.on('error', () => undefined);
        req.destroy();
      }
    }

    it('refuses with 401/403 before the body is read: the answer comes while 100 MB are still unsent', async () => {
      const cases: [string, string, Record<string, string>, number][] = [
        ['no sign-in', '/api/v1/media', {}, 401],
        ['a reviewer (not an editor)', '/api/v1/media', bearer('up.reviewer'), 403],
        ['an editor, for another unit', `/api/v1/media?unitId=${world.units.countyB1.id}`, bearer('up.editor'), 403],
        ['an editor, importing accounts', '/api/v1/accounts/import', bearer('up.editor'), 403],
        ['a unit admin, importing a lexicon', '/api/v1/lexicons/import?kind=sensitive', bearer('up.admin'), 403],
      ];
      for (const [who, path, headers, status] of cases) {
        const res = await partialUpload(path, headers);
        assert.equal(res.status, status, `${who}: ${JSON.stringify(res.body)}`);
        assert.ok(res.sent < 1024 * 1024, `${who}: answered after ${res.sent} bytes`);
        assert.match(res.body.message ?? '', /[\u4e00-\u9fff]/, `${who}: a Chinese message`);
      }
      assert.deepEqual(leftovers(), [], 'no temporary file was started');
    });

    it('leaves no file when an upload is refused or fails: bad type, too big, corrupt, aborted, database down', async () => {
      const upload = (bytes: Buffer, name: string) => hub.http.post('/api/v1/media').set(bearer('up.editor')).attach('file', bytes, name);

      const text = await upload(Buffer.from('plain text pretending to be a photo'), 'photo.jpg');
      assert.equal(text.status, 400);
      assert.equal(text.body.code, 'MEDIA_UNSUPPORTED_TYPE');
      assert.deepEqual(leftovers(), [], 'after a bad type');

      const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
      const bigImage = Buffer.concat([jpegHead, Buffer.alloc(1536 * 1024, 1)]);
      const big = await upload(bigImage, 'big.jpg');
      assert.equal(big.status, 400);
      assert.equal(big.body.code, 'MEDIA_TOO_LARGE');
      assert.deepEqual(leftovers(), [], 'after an image over its limit');

      const huge = await upload(Buffer.concat([jpegHead, Buffer.alloc(3 * 1024 * 1024, 1)]), 'huge.jpg');
      assert.equal(huge.status, 400, JSON.stringify(huge.body));
      assert.equal(huge.body.code, 'MEDIA_TOO_LARGE', 'cut off by the upload limit itself');
      assert.deepEqual(leftovers(), [], 'after a body over the upload limit');

      const corrupt = await upload(Buffer.concat([jpegHead, Buffer.alloc(2048, 9)]), 'broken.jpg');
      assert.equal(corrupt.status, 400);
      assert.equal(corrupt.body.code, 'MEDIA_CORRUPT', 'sniffed as JPEG, does not decode');
      assert.deepEqual(leftovers(), [], 'after a file whose content does not match its type');

      // The database refuses the row after the file was stored: the stored file goes too.
      const failInsert: EntitySubscriberInterface<Media> = {
        listenTo: () => Media,
        beforeInsert: () => {
          throw new Error('simulated database failure');
        },
      };
      hub.ds.subscribers.push(failInsert);
      const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#27a' } })
        .jpeg()
        .toBuffer();
      try {
        const down = await upload(photo, 'photo.jpg');
        assert.equal(down.status, 500);
        assert.doesNotMatch(JSON.stringify(down.body), /simulated/, 'the internal error stays in the log');
      } finally {
        hub.ds.subscribers.splice(hub.ds.subscribers.indexOf(failInsert), 1);
      }
      assert.deepEqual(leftovers(), [], 'after the database refused the row');

      // The client goes away mid-stream, once the upload has started writing its temporary file.
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/api/v1/media',
        method: 'POST',
        headers: {
          ...bearer('up.editor'),
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'content-length': String(1800 * 1024),
        },
      });
      req.on('error', () => undefined);
      req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="v.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
      req.write(Buffer.alloc(512 * 1024, 3));
      await pollUntil(() => leftovers().length > 0, { timeoutMs: 5000, what: 'the temporary file started' });
      req.destroy();
      await pollUntil(() => leftovers().length === 0, {
        timeoutMs: 5000,
        what: `the aborted upload cleaned up (${leftovers().join(', ')})`,
      });

      const ok = await upload(photo, 'photo.jpg');
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.deepEqual(
        leftovers().map((f) => f.replace(/^media:.*\//, 'media:')),
        [`media:${ok.body.id}.jpg`],
        'a good upload leaves exactly its stored file',
      );
    });
  });
}
