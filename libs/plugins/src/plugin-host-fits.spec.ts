import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FittedImage, FocusPoint, ImageFitSpec, ImageFitter, Rendition } from '@tongfa/plugin-sdk';
import { PluginHost } from './plugin-host';
import { PluginRegistry } from './plugin-registry';
import { MemoryRateLimiter } from './rate-limiter';
import type { CredentialStore } from './credential-store';

/** A fitter that records what it is asked and answers a sized stand-in (fails any spec over 9 MB wide). */
class RecordingFitter implements ImageFitter {
  batches: Array<{ input: string; specs: ImageFitSpec[] }> = [];
  private answer(spec: ImageFitSpec): FittedImage {
    if ((spec.maxWidth ?? 0) > 9_000_000) throw new Error('too wide');
    return { bytes: new Uint8Array([spec.maxWidth ?? 0]), format: spec.format, width: spec.maxWidth ?? 1, height: 1 };
  }
  readonly fit = async (input: Uint8Array, spec: ImageFitSpec): Promise<FittedImage> => {
    this.batches.push({ input: Buffer.from(input).toString(), specs: [spec] });
    return this.answer(spec);
  };
  async fitMany(input: Uint8Array, requests: Array<{ spec: ImageFitSpec; focus?: FocusPoint }>) {
    this.batches.push({ input: Buffer.from(input).toString(), specs: requests.map((r) => r.spec) });
    return Promise.allSettled(requests.map(async (r) => this.answer(r.spec)));
  }
}

function rendition(assets: Array<[key: string, ref: string, maxWidth: number]>): Rendition<unknown> {
  return {
    payload: {},
    fields: {},
    warnings: [],
    violations: [],
    assets: assets.map(([key, ref, maxWidth]) => ({ key, ref, role: 'image' as const, spec: { format: 'jpeg' as const, maxWidth } })),
  };
}

describe('PluginHost image fitting', () => {
  it('sends the fits asked together to the fitter once per source, reads each source once, and settles each fit on its own', async () => {
    const fitter = new RecordingFitter();
    const host = new PluginHost({
      ds: undefined as never,
      registry: new PluginRegistry({ onRefused: () => undefined }),
      credentials: undefined as unknown as CredentialStore,
      limiter: new MemoryRateLimiter(),
      now: () => Date.now(),
      fitter,
      log: () => undefined,
    });
    const reads: string[] = [];
    const source = async (ref: string) => {
      reads.push(ref);
      return { bytes: new TextEncoder().encode(ref) };
    };
    const [a, b] = await Promise.all([
      host.prepareAssets(
        rendition([
          ['cover', 'm1', 100],
          ['img', 'm2', 200],
        ]),
        source,
      ),
      host.prepareAssets(
        rendition([
          ['cover', 'm1', 300],
          ['cover2', 'm1', 100],
        ]),
        source,
      ),
    ]);
    assert.deepEqual([...a.keys()], ['cover', 'img']);
    assert.deepEqual([a.get('cover')!.width, a.get('img')!.width, b.get('cover')!.width, b.get('cover2')!.width], [100, 200, 300, 100]);
    // m1 once with its two distinct specs (the repeated one is shared), m2 once.
    assert.deepEqual(
      fitter.batches.map((x) => [x.input, x.specs.map((s) => s.maxWidth)]),
      [
        ['m1', [100, 300]],
        ['m2', [200]],
      ],
    );
    assert.deepEqual(reads.sort(), ['m1', 'm2']);

    // A spec the fitter cannot meet fails its own rendition only; the same source's other fit succeeds.
    const [bad, good] = await Promise.allSettled([
      host.prepareAssets(rendition([['cover', 'm3', 10_000_000]]), source),
      host.prepareAssets(rendition([['cover', 'm3', 50]]), source),
    ]);
    assert.equal(bad.status, 'rejected');
    assert.equal(good.status, 'fulfilled');
    // Fitted results are kept: asking again reads and fits nothing.
    const before = fitter.batches.length;
    await host.prepareAssets(rendition([['cover', 'm1', 100]]), source);
    assert.equal(fitter.batches.length, before);
  });
});
