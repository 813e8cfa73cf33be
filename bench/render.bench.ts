// Render + image fitting of one manuscript with a 24-megapixel JPEG for every loaded platform, through
// the plugin host (plugin render → asset requests → SharpImageFitter), beside plain sharp doing the
// same crops and resizes once each, in the same run. Prints time, peak RSS and the ratio.
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { cropAround, type ManuscriptInput, type Rendition } from '@tongfa/plugin-sdk';
import { SharpImageFitter } from '@tongfa/plugin-sdk/images-sharp';
import { MemoryRateLimiter, PluginHost, PluginRegistry, type CredentialStore } from '@tongfa/plugins';

const WIDTH = 6000;
const HEIGHT = 4000;

/** Samples RSS every 5 ms while `fn` runs: the peak of that phase (maxRSS is process-wide and monotonic). */
async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; peakRss: number; value: T }> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRss: peak, value };
}

async function photo(): Promise<Buffer> {
  // Coarse noise scaled up smoothly, plus fine grain: detail at every scale, so it compresses like a
  // real photo (a flat colour would make every step trivial; pure noise would be a worst case).
  const coarse = await sharp({
    create: {
      width: 600,
      height: 400,
      channels: 3 as const,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png()
    .toBuffer();
  const grain = await sharp({
    create: {
      width: WIDTH,
      height: HEIGHT,
      channels: 3 as const,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: 'gaussian', mean: 128, sigma: 6 },
    },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(coarse)
    .resize(WIDTH, HEIGHT, { kernel: 'cubic' })
    .composite([{ input: grain, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function plainSharp(input: Buffer, renditions: Rendition<unknown>[]): Promise<number> {
  let bytes = 0;
  for (const r of renditions) {
    for (const a of r.assets) {
      let img = sharp(input).rotate();
      if (a.spec.aspect) img = img.extract(cropAround(WIDTH, HEIGHT, a.spec.aspect, a.spec.focus));
      if (a.spec.maxWidth || a.spec.maxHeight)
        img = img.resize({ width: a.spec.maxWidth, height: a.spec.maxHeight, fit: 'inside', withoutEnlargement: true });
      img =
        a.spec.format === 'png'
          ? img.png()
          : a.spec.format === 'webp'
            ? img.webp({ quality: 80 })
            : img.jpeg({ quality: 80, mozjpeg: true });
      bytes += (await img.toBuffer()).length;
    }
  }
  return bytes;
}

async function main(): Promise<void> {
  const registry = new PluginRegistry({ onRefused: (l) => console.error(l) });
  const host = new PluginHost({
    ds: undefined as never, // render and fitting touch no account
    registry,
    credentials: undefined as unknown as CredentialStore,
    limiter: new MemoryRateLimiter(),
    now: () => Date.now(),
    fitter: new SharpImageFitter(),
    log: () => undefined,
  });
  const input = await photo();
  const meta = await sharp(input).metadata();
  const image = (ref: string) => ({ ref, width: meta.width!, height: meta.height!, bytes: input.length, format: 'jpeg' });
  const manuscript: ManuscriptInput = {
    manuscriptId: 'bench',
    versionId: 'v1',
    title: '青山市召开2026年政务公开工作推进会',
    summary: '会议部署了全年政务公开重点任务。',
    bodyHtml: '<p>' + '会议强调，要坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。'.repeat(20) + '</p>',
    category: 'news',
    source: { type: 'original' },
    unitName: '青山市人民政府办公室',
    cover: image('cover'),
    images: [image('img-1'), image('img-2')],
  };
  const source = async () => ({ bytes: new Uint8Array(input) });

  console.log(
    `manuscript: 1 cover + 2 images, each ${meta.width}×${meta.height} JPEG (${(input.length / 1e6).toFixed(1)} MB); platforms: ${registry.ids().join(', ')}`,
  );
  // Warm-up, so neither side pays for loading libvips.
  await sharp(input).resize(100).toBuffer();

  const rendered = await measure(async () => registry.ids().map((id) => host.render(id, manuscript, { account: { name: '青山发布' } })));
  const renditions = rendered.value;
  const requests = renditions.reduce((n, r) => n + r.assets.length, 0);
  const hosted = await measure(async () => {
    let bytes = 0;
    for (const r of renditions) for (const img of (await host.prepareAssets(r, source)).values()) bytes += img.bytes.length;
    return bytes;
  });
  const plain = await measure(() => plainSharp(input, renditions));
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(`render (all platforms):        ${rendered.ms.toFixed(1)} ms`);
  console.log(
    `host render+fit (${requests} fits):   ${(rendered.ms + hosted.ms).toFixed(0)} ms, peak RSS ${mb(hosted.peakRss)}, output ${mb(hosted.value)}`,
  );
  console.log(`plain sharp (same resizes):    ${plain.ms.toFixed(0)} ms, peak RSS ${mb(plain.peakRss)}, output ${mb(plain.value)}`);
  console.log(`ratio host/plain:              ${((rendered.ms + hosted.ms) / plain.ms).toFixed(2)}× time`);
  console.log(`process maxRSS (resourceUsage): ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
