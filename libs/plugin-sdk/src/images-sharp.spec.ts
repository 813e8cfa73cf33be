import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { SharpImageFitter } from './images-sharp';
import { cropAround, fitSpecFor, imageIssues } from './images';

// A photo as a phone makes it: JPEG with a GPS position in EXIF.
async function photoWithGps(width: number, height: number, orientation?: number): Promise<Buffer> {
  let img = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .composite([
      {
        input: { create: { width: Math.floor(width / 2), height, channels: 3, background: { r: 20, g: 40, b: 220 } } },
        left: width - Math.floor(width / 2),
        top: 0,
      },
    ])
    .jpeg()
    .withExif({
      IFD0: { Make: 'TongfaPhone', Model: 'T1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '23/1 7/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 15/1 0/1' },
    });
  if (orientation) img = img.withMetadata({ orientation });
  return img.toBuffer();
}

describe('cropAround', () => {
  it('keeps the focus point inside the crop and clamps at the edges', () => {
    assert.deepEqual(cropAround(1000, 500, { width: 1, height: 1 }, { x: 0.9, y: 0.5 }), { left: 500, top: 0, width: 500, height: 500 });
    assert.deepEqual(cropAround(1000, 500, { width: 1, height: 1 }, { x: 0.5, y: 0.5 }), { left: 250, top: 0, width: 500, height: 500 });
    assert.deepEqual(cropAround(400, 1000, { width: 2, height: 1 }, { x: 0.5, y: 0 }), { left: 0, top: 0, width: 400, height: 200 });
  });

  it('asks for a crop only when no accepted aspect matches, and flags sources too small to use', () => {
    const c = { maxCount: 1, formats: ['jpeg' as const], maxBytes: 64_000, aspectRatios: [{ width: 2.35, height: 1 }], minWidth: 300 };
    assert.deepEqual(fitSpecFor({ width: 2350, height: 1000, bytes: 1, format: 'png' }, c), { format: 'jpeg', maxBytes: 64_000 });
    assert.deepEqual(fitSpecFor({ width: 1000, height: 1000, bytes: 1, format: 'jpg' }, c).aspect, { width: 2.35, height: 1 });
    assert.deepEqual(
      imageIssues({ width: 200, height: 200, bytes: 1, format: 'jpeg' }, c, 'cover').map((i) => i.constraint),
      ['cover.minWidth'],
    );
  });
});

describe('SharpImageFitter', () => {
  const fitter = new SharpImageFitter();

  it('strips every piece of metadata, EXIF GPS included', async () => {
    const input = await photoWithGps(800, 600);
    const before = await sharp(input).metadata();
    assert.ok(before.exif && before.exif.includes(Buffer.from('TongfaPhone')), 'the fixture must carry EXIF');
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const out = await fitter.fit(input, { format });
      const meta = await sharp(out.bytes).metadata();
      assert.equal(meta.exif, undefined, `${format}: EXIF must be gone`);
      assert.equal(meta.xmp, undefined);
      assert.equal(meta.format, format);
      assert.equal(Buffer.from(out.bytes).includes(Buffer.from('TongfaPhone')), false);
    }
  });

  it('applies EXIF orientation before stripping it', async () => {
    const input = await photoWithGps(400, 200, 6); // stored landscape, displayed portrait
    const out = await fitter.fit(input, { format: 'jpeg' });
    assert.deepEqual([out.width, out.height], [200, 400]);
    assert.equal((await sharp(out.bytes).metadata()).orientation, undefined);
  });

  it('crops around the focus point', async () => {
    const input = await photoWithGps(1000, 500); // left half red, right half blue
    const right = await fitter.fit(input, { format: 'png', aspect: { width: 1, height: 1 } }, { x: 0.95, y: 0.5 });
    const left = await fitter.fit(input, { format: 'png', aspect: { width: 1, height: 1 }, focus: { x: 0.05, y: 0.5 } });
    const mean = async (bytes: Uint8Array) => (await sharp(bytes).stats()).channels.map((c) => c.mean);
    const [rr, , rb] = await mean(right.bytes);
    const [lr, , lb] = await mean(left.bytes);
    assert.deepEqual([right.width, right.height], [500, 500]);
    assert.ok(rb > 200 && rr < 40, `focus right should show blue, got r=${rr} b=${rb}`);
    assert.ok(lr > 180 && lb < 50, `focus left should show red, got r=${lr} b=${lb}`);
  });

  it('steps quality and size down until the bytes fit, within the bounds', async () => {
    const noisy = await sharp(Buffer.from(Array.from({ length: 1200 * 900 * 3 }, (_, i) => (i * 2654435761) % 251)), {
      raw: { width: 1200, height: 900, channels: 3 },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    const out = await fitter.fit(noisy, { format: 'jpeg', maxBytes: 60_000, maxWidth: 1000 });
    assert.ok(out.bytes.length <= 60_000, `got ${out.bytes.length} bytes`);
    assert.ok(out.width <= 1000);
    assert.ok(noisy.length > 60_000, 'the fixture must start over the limit');
  });

  it('fits several outputs from one decode with the same sizes as one at a time, each settling on its own', async () => {
    const input = await photoWithGps(1600, 1200, 6); // displayed 1200×1600
    const specs = [
      { format: 'jpeg' as const, maxWidth: 800, maxHeight: 800 },
      { format: 'png' as const, aspect: { width: 2.35, height: 1 }, maxWidth: 300 }, // 1/2 decode class
      { format: 'webp' as const, aspect: { width: 1, height: 1 } },
      { format: 'jpeg' as const, maxWidth: 1000 },
      { format: 'jpeg' as const, maxBytes: 10 }, // cannot fit
    ];
    const many = await fitter.fitMany(
      input,
      specs.map((spec) => ({ spec })),
    );
    assert.equal(many.length, specs.length);
    for (const [i, spec] of specs.entries()) {
      const r = many[i]!;
      if (spec.maxBytes === 10) {
        assert.equal(r.status, 'rejected');
        continue;
      }
      assert.equal(r.status, 'fulfilled', `spec ${i}`);
      const one = await fitter.fit(input, spec);
      const got = (r as PromiseFulfilledResult<{ width: number; height: number; format: string; bytes: Uint8Array }>).value;
      assert.deepEqual([got.width, got.height, got.format], [one.width, one.height, one.format], `spec ${i}`);
      const meta = await sharp(got.bytes).metadata();
      assert.deepEqual([meta.width, meta.height, meta.format], [one.width, one.height, spec.format]);
    }
  });
  it('makes each output straight from the file when the decode is over sharedDecodeBytes, with the same sizes', async () => {
    const input = await photoWithGps(1600, 1200, 6); // displayed 1200×1600
    const specs = [
      { format: 'jpeg' as const, maxWidth: 800, maxHeight: 800 },
      { format: 'webp' as const, aspect: { width: 1, height: 1 } },
      { format: 'jpeg' as const, maxWidth: 1000, maxBytes: 40_000 },
      { format: 'png' as const, aspect: { width: 2.35, height: 1 }, maxWidth: 300 },
    ];
    const requests = specs.map((spec) => ({ spec }));
    const shared = await fitter.fitMany(input, requests);
    const streamed = await new SharpImageFitter({ sharedDecodeBytes: 0 }).fitMany(input, requests);
    const sizes = (rs: typeof shared) =>
      rs.map((r) => {
        assert.equal(r.status, 'fulfilled');
        const v = (r as PromiseFulfilledResult<{ width: number; height: number; bytes: Uint8Array }>).value;
        return [v.width, v.height];
      });
    assert.deepEqual(sizes(streamed), sizes(shared));
    const limited = (streamed[2] as PromiseFulfilledResult<{ bytes: Uint8Array }>).value;
    assert.ok(limited.bytes.length <= 40_000, `got ${limited.bytes.length} bytes`);
    assert.deepEqual(sizes(streamed)[1], [1200, 1200]);
  });
});
