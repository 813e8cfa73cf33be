import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { laneOfRank, priorityOfCategory, ROUND_SIZE, targetRank } from './priority';

describe('publication priority', () => {
  it('puts 突发事件 first and campaign relays (转载) last', () => {
    assert.equal(priorityOfCategory('emergency'), 'emergency');
    assert.equal(priorityOfCategory('reprint'), 'campaign');
    for (const c of ['policy', 'news', 'notice']) assert.equal(priorityOfCategory(c), 'normal');
  });

  it('ranks every emergency target before any normal one, and every normal before any campaign one', () => {
    const lastEmergency = targetRank('emergency', 10_000_000);
    const firstNormal = targetRank('normal', 0);
    assert.ok(lastEmergency < firstNormal);
    assert.ok(targetRank('normal', 10_000_000) < targetRank('campaign', 0));
    assert.equal(laneOfRank(lastEmergency), 'emergency');
    assert.equal(laneOfRank(firstNormal), 'normal');
    assert.equal(laneOfRank(targetRank('campaign', 5)), 'campaign');
  });

  it('gives a publication one rank per round, so a small one made later shares the first round', () => {
    assert.equal(targetRank('normal', 0), targetRank('normal', ROUND_SIZE - 1));
    assert.equal(targetRank('normal', ROUND_SIZE), targetRank('normal', 0) + 1);
    // Target 2,000 of a large fan-out waits behind target 5 of a six-account release.
    assert.ok(targetRank('normal', 5) < targetRank('normal', 2000));
  });
});
