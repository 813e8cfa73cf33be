import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RANKING_FORMULA_VERSION, rankingInputs, rankingScore } from './ranking';

const week = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08'];
const day = (d: string, posts: number, reads: number | null = null, likes = 0, comments = 0) => ({ day: d, posts, reads, likes, comments });

describe('ranking formula', () => {
  it('names its version', () => assert.equal(RANKING_FORMULA_VERSION, 'tongfa-rank/2026.1'));

  it('gives a post every day and no metrics the full 100 over the parts it knows', () => {
    const i = rankingInputs(
      week,
      week.map((d) => day(d, 1)),
      [],
    );
    assert.deepEqual(i, { days: 7, activeDays: 7, posts: 7, longestSilence: 0, reads: null, engagements: null, vetoBreaches: [] });
    const s = rankingScore(i);
    assert.equal(s.score, 100);
    assert.equal(s.parts.interaction, null);
  });

  it('counts active days, volume and the longest silence, with interaction where reads exist', () => {
    // Posts on Monday (2) and Saturday (1); a silence of four days between them and one after.
    const i = rankingInputs(week, [day(week[0]!, 2, 1000, 10, 5), day(week[5]!, 1, 1000, 5, 0)], []);
    assert.equal(i.activeDays, 2);
    assert.equal(i.posts, 3);
    assert.equal(i.longestSilence, 4);
    assert.equal(i.reads, 2000);
    assert.equal(i.engagements, 20);
    const s = rankingScore(i);
    // activity 2/7, volume 3/7, timeliness 1 − 4/14, interaction (20/2000)/0.03 = 1/3.
    const expected = (2 / 7) * 30 + (3 / 7) * 20 + (1 - 4 / 14) * 25 + (1 / 3) * 25;
    assert.equal(s.score, Math.round(expected * 10) / 10);
  });

  it('takes 30 points per veto breach and never goes below zero', () => {
    const good = rankingScore(
      rankingInputs(
        week,
        week.map((d) => day(d, 1)),
        ['national.no-interaction'],
      ),
    );
    assert.equal(good.score, 70);
    assert.equal(good.parts.penalty, 30);
    const silent = rankingScore(rankingInputs(week, [], ['national.no-update', 'national.no-interaction']));
    assert.equal(silent.score, 0);
  });

  it('ranks a busier account above a quieter one', () => {
    const busy = rankingScore(
      rankingInputs(
        week,
        week.map((d) => day(d, 2)),
        [],
      ),
    ).score;
    const quiet = rankingScore(rankingInputs(week, [day(week[3]!, 1)], [])).score;
    assert.ok(busy > quiet, `${busy} > ${quiet}`);
  });
});
