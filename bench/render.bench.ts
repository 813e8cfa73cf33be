// Media fitting at scale: one manuscript whose cover and two images are three different 6000×4000
// JPEGs, fitted for every loaded platform (six) through the plugin host (plugin render → asset requests
// → SharpImageFitter, all platforms prepared at once as a worker does), beside plain sharp doing the
// same crops, resizes and encodes one output at a time (each decoding its source), in the same run.
// Each side runs in a child process of its own, so its peak RSS (the kernel's maxRSS) is its own
// and not the photo generation's; the host's with the environment `npm run start:worker` gives the
// worker (the allocator setting, MALLOC_MMAP_THRESHOLD_), plain sharp's with none added. Prints time,
// peak RSS, the ratio, and whether the targets (peak RSS < 400 MB, time ≤ 1.2× plain sharp)
// are met.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { cropAround, type ManuscriptInput, type Rendition } from '@tongfa/plugin-sdk';
import { SharpImageFitter } from '@tongfa/plugin-sdk/images-sharp';
import { MemoryRateLimiter, PluginHost, PluginRegistry, type CredentialStore } from '@tongfa/plugins';

const WIDTH = 6000;
const HEIGHT = 4000;
const REFS = ['cover', 'img-1', 'img-2'];
const RSS_LIMIT_MB = 400;
const RATIO_LIMIT = 1.2;

interface PhaseResult {
  ms: number;
  /** RSS when the work started (node, sharp and the three sources loaded). */
  startRss: number;
  /** The process's peak RSS (kernel maxRSS), the work included. */
  peakRss: number;
  fits: number;
  bytes: number;
}

async function photo(seed: number): Promise<Buffer> {
  // Coarse noise scaled up smoothly, plus fine grain: detail at every scale, so it compresses like a
  // real photo (a flat colour would make every step trivial; pure noise would be a worst case).
  const coarse = await sharp({
    create: {
      width: 600,
      height: 400,
      channels: 3 as const,
      background: { r: 20 * seed, g: 0, b: 0 },
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

function manuscriptFor(sources: Map<string, Buffer>): ManuscriptInput {
  const image = (ref: string) => ({ ref, width: WIDTH, height: HEIGHT, bytes: sources.get(ref)!.length, format: 'jpeg' });
  return {
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
}

function newHost(): { host: PluginHost; registry: PluginRegistry } {
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
  return { host, registry };
}

function renderAll(host: PluginHost, registry: PluginRegistry, sources: Map<string, Buffer>): Rendition<unknown>[] {
  const manuscript = manuscriptFor(sources);
  return registry.ids().map((id) => host.render(id, manuscript, { account: { name: '青山发布' } }));
}

/** The host: render for every platform, then prepare every rendition's assets at once. */
async function hostPhase(sources: Map<string, Buffer>): Promise<Omit<PhaseResult, 'startRss' | 'peakRss'>> {
  const { host, registry } = newHost();
  const source = async (ref: string) => ({ bytes: sources.get(ref)! });
  const renditions = renderAll(host, registry, sources);
  const prepared = await Promise.all(renditions.map((r) => host.prepareAssets(r, source)));
  let bytes = 0;
  for (const m of prepared) for (const img of m.values()) bytes += img.bytes.length;
  return { ms: 0, fits: renditions.reduce((n, r) => n + r.assets.length, 0), bytes };
}

/** Plain sharp: each asset of each rendition on its own, one at a time, decoding its source each time. */
async function plainPhase(sources: Map<string, Buffer>): Promise<Omit<PhaseResult, 'startRss' | 'peakRss'>> {
  const { host, registry } = newHost();
  const renditions = renderAll(host, registry, sources);
  let bytes = 0;
  let fits = 0;
  for (const r of renditions) {
    for (const a of r.assets) {
      let img = sharp(sources.get(a.ref)!).rotate();
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
      fits++;
    }
  }
  return { ms: 0, fits, bytes };
}

/** In a child: load the sources, warm libvips up on a small image, run the phase, print its figures. */
async function child(phase: string, dir: string): Promise<void> {
  const sources = new Map(REFS.map((ref) => [ref, readFileSync(join(dir, `${ref}.jpg`))]));
  await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const startRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await (phase === 'host' ? hostPhase(sources) : plainPhase(sources));
  const ms = performance.now() - t0;
  const result: PhaseResult = { ...r, ms, startRss, peakRss: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** The `NAME=value` assignments `npm run start:worker` starts the worker with (package.json). */
function workerEnv(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
  const prefix = /^((?:[A-Z_][A-Z0-9_]*=\S*\s+)*)node\s/.exec(pkg.scripts['start:worker']!)?.[1] ?? '';
  return Object.fromEntries(
    prefix
      .split(/\s+/)
      .filter(Boolean)
      .map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
  );
}

function runChild(phase: string, dir: string, env: Record<string, string> = {}): PhaseResult {
  const out = execFileSync(process.execPath, [__filename, phase, dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as PhaseResult;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tongfa-render-bench-'));
  try {
    let total = 0;
    for (const [i, ref] of REFS.entries()) {
      const jpg = await photo(i + 1);
      total += jpg.length;
      writeFileSync(join(dir, `${ref}.jpg`), jpg);
    }
    const { registry } = newHost();
    console.log(
      `manuscript: cover + 2 images, three different ${WIDTH}×${HEIGHT} JPEGs (${(total / 1e6).toFixed(1)} MB); platforms: ${registry.ids().join(', ')}`,
    );
    const env = workerEnv();
    const shown =
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'none';
    console.log(
      `sharp ${sharp.versions.sharp}, libvips threads per image ${sharp.concurrency()}; each side in its own process, the host's with the worker's environment (${shown})`,
    );
    const plain = runChild('plain', dir);
    const hosted = runChild('host', dir, env);
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    const ratio = hosted.ms / plain.ms;
    console.log(
      `plain sharp (${plain.fits} outputs, one at a time):    ${plain.ms.toFixed(0)} ms, peak RSS ${mb(plain.peakRss)} (${mb(plain.startRss)} at start), output ${mb(plain.bytes)}`,
    );
    console.log(
      `host render+fit (${hosted.fits} fits, fitter defaults):  ${hosted.ms.toFixed(0)} ms, peak RSS ${mb(hosted.peakRss)} (${mb(hosted.startRss)} at start), output ${mb(hosted.bytes)}`,
    );
    console.log(`ratio host/plain: ${ratio.toFixed(2)}× time`);
    const rssMet = hosted.peakRss < RSS_LIMIT_MB * 1024 * 1024;
    const timeMet = ratio <= RATIO_LIMIT;
    console.log(
      `target peak RSS < ${RSS_LIMIT_MB} MB: ${rssMet ? 'met' : 'NOT met'}; target time ≤ ${RATIO_LIMIT}× plain sharp: ${timeMet ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [phase, dir] = process.argv.slice(2);
(phase && dir ? child(phase, dir) : main()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
