import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drawCount, drawSample, fnv1a32, mulberry32, PopulationMember } from './sampling';

function population(): PopulationMember[] {
  const out: PopulationMember[] = [];
  const shape: [string, string, number][] = [
    ['weibo', 'county', 17],
    ['weibo', 'city', 3],
    ['wechat', 'county', 10],
    ['wechat', 'department', 1],
    ['douyin', 'township', 40],
  ];
  let n = 0;
  for (const [platform, level, size] of shape)
    for (let i = 0; i < size; i++) out.push({ accountId: `acc-${String(n++).padStart(4, '0')}`, platform, level });
  return out;
}

const flat = (draws: ReturnType<typeof drawSample>) => draws.flatMap((d) => d.accountIds);

describe('spot-check sampling', () => {
  it('gives the same sample for the same seed, whatever the order the population comes in', () => {
    const pop = population();
    const a = drawSample(pop, 0.3, 'seed-1');
    const b = drawSample([...pop].reverse(), 0.3, 'seed-1');
    assert.deepEqual(a, b);
  });

  it('gives a different sample for a different seed', () => {
    const pop = population();
    assert.notDeepEqual(flat(drawSample(pop, 0.3, 'seed-1')), flat(drawSample(pop, 0.3, 'seed-2')));
  });

  it('draws at least ceil(ratio × size) in every stratum, from that stratum, without repeats', () => {
    const pop = population();
    const stratumOf = new Map(pop.map((m) => [m.accountId, `${m.platform}|${m.level}`]));
    for (const ratio of [0.3, 0.5, 1]) {
      const draws = drawSample(pop, ratio, 'x');
      assert.equal(draws.length, 5);
      for (const d of draws) {
        assert.equal(d.drawn, Math.ceil(Number((ratio * d.size).toFixed(9))), `${d.key} at ${ratio}`);
        assert.equal(d.accountIds.length, d.drawn);
        assert.equal(new Set(d.accountIds).size, d.drawn);
        for (const id of d.accountIds) assert.equal(stratumOf.get(id), d.key);
      }
    }
    // 0.3 × 10 is 3.0000000000000004 in binary: still 3, not 4.
    assert.equal(drawCount(10, 0.3), 3);
    assert.equal(drawCount(1, 0.3), 1);
    assert.equal(drawCount(0, 0.3), 0);
  });

  it('refuses a ratio outside (0, 1]', () => {
    assert.throws(() => drawSample(population(), 0, 's'), RangeError);
    assert.throws(() => drawSample(population(), 1.5, 's'), RangeError);
  });

  it('implements FNV-1a as published and pins the output of mulberry32', () => {
    // FNV-1a 32 test vectors: "" and "a".
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    // mulberry32 from state 0: pinned so a change of the generator (and so of every recorded round's draw) fails here.
    const next = mulberry32(0);
    assert.equal(next() * 4294967296, 0x4434b462);
    const again = mulberry32(0);
    again();
    assert.equal(Math.round(next() * 4294967296), Math.round(again() * 4294967296));
  });
});
