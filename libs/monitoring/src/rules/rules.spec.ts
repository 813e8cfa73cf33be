import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { localDayStart } from '../local-day';
import { AccountFacts, GUANGDONG_RULES, NATIONAL_RULES, ruleSetsFor, spotCheckDutyFor } from './index';

const DAY = 86_400_000;
const rule = (id: string) => [...NATIONAL_RULES.rules, ...GUANGDONG_RULES.rules].find((r) => r.id === id)!;

function facts(over: { lastPostAt?: Date | null; now?: Date; postsByDay?: Record<string, number> } = {}): AccountFacts {
  return {
    now: over.now ?? new Date('2026-12-20T02:00:00Z'),
    account: {
      id: 'a1',
      name: '甲市发布',
      platform: 'weibo',
      unitId: 'u1',
      status: 'active',
      openedAt: new Date('2026-01-01T00:00:00Z'),
      createdAt: new Date('2026-01-01T00:00:00Z'),
      namingIssues: [],
      exceptionReason: null,
    },
    activity: { lastPostAt: over.lastPostAt ?? null, lastPostUrl: null, lastPostSource: null, postsByDay: over.postsByDay ?? {} },
    filings: { overdue: [], late: [] },
    samePlatformSiblings: [],
    interaction: { known: false },
    expression: { checked: false },
  };
}

describe('inspection rules', () => {
  it('warns on days 7, 10 and 13 of silence and breaches on day 14, counted in Beijing calendar days', () => {
    // Posted at 23:30 Beijing time on 12-01 (15:30 UTC): the silence counts from that calendar day.
    const lastPostAt = new Date('2026-12-01T15:30:00Z');
    const at = (day: number) => new Date(localDayStart('2026-12-01').getTime() + day * DAY + 3_600_000);
    const outcome = (day: number) => rule('national.no-update').evaluate(facts({ lastPostAt, now: at(day) }));
    assert.deepEqual(
      [0, 6, 7, 9, 10, 12, 13, 14, 20].map((d) => [d, outcome(d).state, outcome(d).step]),
      [
        [0, 'ok', null],
        [6, 'ok', null],
        [7, 'warning', 7],
        [9, 'warning', 7],
        [10, 'warning', 10],
        [12, 'warning', 10],
        [13, 'warning', 13],
        [14, 'breach', 14],
        [20, 'breach', 14],
      ],
    );
    assert.equal(outcome(14).evidence.silentDays, 14);
    assert.equal(outcome(14).evidence.lastPostAt, lastPostAt.toISOString());
  });

  it('leaves interaction and expression errors unknown until something measures them', () => {
    assert.equal(rule('national.no-interaction').evaluate(facts()).state, 'unknown');
    assert.equal(rule('national.expression-errors').evaluate(facts()).state, 'unknown');
    const f = facts();
    f.interaction = { known: true, windowDays: 30, received: 5, answered: 0, unansweredOverdue: 5 };
    assert.equal(rule('national.no-interaction').evaluate(f).state, 'breach');
  });

  it('flags a second active account of the unit on the platform, with the accepted reason as evidence', () => {
    const f = facts();
    f.samePlatformSiblings = [{ id: 'a2', name: '甲市发布2' }];
    f.account.exceptionReason = '应急发布专用';
    const o = rule('hygiene.duplicate-account').evaluate(f);
    assert.equal(o.state, 'warning');
    assert.deepEqual(o.evidence, { others: [{ id: 'a2', name: '甲市发布2' }], exceptionReason: '应急发布专用' });
  });

  it('Guangdong adds a weekly update; other provinces get the national set only', () => {
    assert.deepEqual(
      ruleSetsFor('440000').map((s) => s.id),
      ['national', 'guangdong'],
    );
    assert.deepEqual(
      ruleSetsFor('320000').map((s) => s.id),
      ['national'],
    );
    const now = new Date('2026-12-20T02:00:00Z'); // 12-20 in Beijing
    assert.equal(rule('guangdong.weekly-update').evaluate(facts({ now, postsByDay: { '2026-12-14': 1 } })).state, 'ok');
    assert.equal(rule('guangdong.weekly-update').evaluate(facts({ now, postsByDay: { '2026-12-13': 3 } })).state, 'breach');
  });

  it('states each jurisdiction’s spot-check duty: 30% a quarter nationally and in Guangdong, 50% a month in Liaoning', () => {
    assert.deepEqual(
      ruleSetsFor('210000').map((s) => s.id),
      ['national', 'liaoning'],
    );
    const duty = (region: string) => {
      const d = spotCheckDutyFor(region);
      return [d.ruleSet.id, d.minRatio, d.cadence];
    };
    assert.deepEqual(duty('210100'), ['liaoning', 0.5, 'month']);
    assert.deepEqual(duty('440000'), ['guangdong', 0.3, 'quarter']);
    assert.deepEqual(duty('320000'), ['national', 0.3, 'quarter']);
  });
});
