import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RankedSemaphore } from './ranked-semaphore';

describe('RankedSemaphore', () => {
  it('never runs more than its permits at once', async () => {
    const s = new RankedSemaphore(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.run(i % 4, async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise<void>((r) => setImmediate(r));
          running--;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(s.stats, { inUse: 0, waiting: 0 });
  });

  it('gives a freed place to the lowest rank waiting, in arrival order within a rank', async () => {
    const s = new RankedSemaphore(1);
    const order: string[] = [];
    let release!: () => void;
    const first = s.run(5, () => new Promise<void>((r) => (release = r)));
    const waiters = [
      s.run(100, async () => void order.push('campaign-1')),
      s.run(50, async () => void order.push('normal-1')),
      s.run(100, async () => void order.push('campaign-2')),
      s.run(1, async () => void order.push('emergency')),
      s.run(50, async () => void order.push('normal-2')),
    ];
    await new Promise<void>((r) => setImmediate(r));
    assert.deepEqual(s.stats, { inUse: 1, waiting: 5 });
    release();
    await Promise.all([first, ...waiters]);
    assert.deepEqual(order, ['emergency', 'normal-1', 'normal-2', 'campaign-1', 'campaign-2']);
  });

  it('frees its place when the work throws', async () => {
    const s = new RankedSemaphore(1);
    await assert.rejects(
      s.run(1, () => Promise.reject(new Error('platform down'))),
      /platform down/,
    );
    assert.equal(await s.run(1, async () => 'next'), 'next');
    assert.deepEqual(s.stats, { inUse: 0, waiting: 0 });
  });

  it('refuses a count of places that is not a positive integer', () => {
    assert.throws(() => new RankedSemaphore(0), RangeError);
    assert.throws(() => new RankedSemaphore(1.5), RangeError);
  });
});
