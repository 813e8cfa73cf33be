import { afterEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { invalidateTotals, listTotal, TOTAL_REFRESH_MS, TOTAL_TTL_MS } from './list-totals';

/** A count the test finishes by hand, recording how often it was asked for. */
function gate() {
  let calls = 0;
  const pending: ((n: number) => void)[] = [];
  return {
    count: () => {
      calls++;
      return new Promise<number>((resolve) => pending.push(resolve));
    },
    finish: (n: number) => pending.shift()!(n),
    get calls() {
      return calls;
    },
  };
}

let seq = 0;
const fresh = () => `spec-${process.pid}-${++seq}`;

describe('list totals', () => {
  afterEach(() => mock.timers.reset());

  it('counts once for requests that miss together, and keeps the answer', async () => {
    const key = fresh();
    const g = gate();
    const answers = [listTotal(['t_a'], key, g.count), listTotal(['t_a'], key, g.count), listTotal(['t_a'], key, g.count)];
    assert.equal(g.calls, 1);
    g.finish(42);
    assert.deepEqual(await Promise.all(answers), [42, 42, 42]);
    assert.equal(await listTotal(['t_a'], key, g.count), 42);
    assert.equal(g.calls, 1);
  });

  it('does not answer a request made after a write with a count begun before it', async () => {
    const key = fresh();
    const g = gate();
    const before = listTotal(['t_b'], key, g.count);
    invalidateTotals('t_b');
    const after = listTotal(['t_b'], key, g.count);
    assert.equal(g.calls, 2);
    g.finish(1);
    g.finish(2);
    assert.equal(await before, 1);
    assert.equal(await after, 2);
    // The count that overlapped the write was not kept; the later one was.
    assert.equal(await listTotal(['t_b'], key, g.count), 2);
    assert.equal(g.calls, 2);
  });

  it('answers the kept total while counting it again in the background once it is old', async () => {
    mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const key = fresh();
    const g = gate();
    const first = listTotal(['t_c'], key, g.count);
    g.finish(10);
    assert.equal(await first, 10);

    mock.timers.tick(TOTAL_REFRESH_MS + 1);
    assert.equal(await listTotal(['t_c'], key, g.count), 10, 'the kept total answers at once');
    assert.equal(await listTotal(['t_c'], key, g.count), 10);
    assert.equal(g.calls, 2, 'one background count, not one per request');
    g.finish(11);
    await new Promise((r) => setImmediate(r));
    assert.equal(await listTotal(['t_c'], key, g.count), 11);

    // Past the lifetime with no request in between: the next one waits for a new count.
    mock.timers.tick(TOTAL_TTL_MS + 1);
    const late = listTotal(['t_c'], key, g.count);
    assert.equal(g.calls, 3);
    g.finish(12);
    assert.equal(await late, 12);
  });

  it('drops the kept total at once when the table is written in this process', async () => {
    const key = fresh();
    const g = gate();
    const first = listTotal(['t_d'], key, g.count);
    g.finish(5);
    assert.equal(await first, 5);
    invalidateTotals('t_d');
    const again = listTotal(['t_d'], key, g.count);
    assert.equal(g.calls, 2);
    g.finish(6);
    assert.equal(await again, 6);
  });
});
