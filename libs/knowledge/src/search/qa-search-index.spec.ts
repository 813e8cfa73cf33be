import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_MATCH_THRESHOLD, QaSearchIndex, SUGGESTION_FLOOR, decide } from './qa-search-index';
import type { QaIndexDoc } from './types';

const doc = (entryId: string, unitPath: string, question: string, over: Partial<QaIndexDoc> = {}): QaIndexDoc => ({
  entryId,
  unitId: entryId,
  unitPath,
  question,
  similarQuestions: [],
  keywords: [],
  answerText: '',
  ...over,
});

const libraryDocs = (): QaIndexDoc[] => [
  doc('card', '/p/', '社保卡丢了怎么补办', { similarQuestions: ['社会保障卡挂失补领流程'], keywords: ['社保卡'] }),
  doc('fund', '/p/', '如何提取住房公积金', { similarQuestions: ['公积金怎么取出来', '租房可以提取公积金吗'] }),
  doc('move', '/p/', '户口迁移需要什么材料', { similarQuestions: ['怎么把户口迁过来'] }),
  doc('school', '/p/city/', '孩子上小学怎么报名', { similarQuestions: ['小学入学报名时间'] }),
  doc('licence', '/p/', '驾驶证到期了怎么换证', { similarQuestions: ['驾照过期换领'] }),
];

const library = (): QaSearchIndex => {
  const index = new QaSearchIndex();
  index.replaceAll(libraryDocs());
  return index;
};

describe('Q&A search index', () => {
  it('finds an entry asked in traditional characters, by synonym and with a homophone typo', () => {
    const index = library();
    for (const q of ['社會保險卡遺失補辦', '社保卡补领', '公基金怎么提取', '驾照过期']) {
      const r = index.search(q, { unitPath: '/p/city/' });
      assert.ok(r.items.length > 0, q);
      assert.ok(r.items[0].score >= NO_MATCH_THRESHOLD);
    }
    assert.equal(index.search('社會保險卡遺失補辦', { unitPath: '/p/' }).items[0].entryId, 'card');
    assert.equal(index.search('公基金怎么提取', { unitPath: '/p/' }).items[0].entryId, 'fund');
  });

  it('answers when the best hit reaches the threshold, and then offers up to the limit down to the floor', () => {
    const hit = (entryId: string, score: number) => ({ entryId, score, matchedQuestion: entryId, bm25: 1 });
    const above = decide([hit('a', NO_MATCH_THRESHOLD), hit('b', NO_MATCH_THRESHOLD - 0.1), hit('c', SUGGESTION_FLOOR - 0.01)], 5);
    assert.deepEqual(
      above.items.map((h) => h.entryId),
      ['a', 'b'],
      'the weaker second hit is offered beside the answer; below the floor nothing is',
    );
    assert.deepEqual(above.suggestions, []);
    assert.ok(!('bm25' in above.items[0]), 'only the public fields leave');
    const below = decide([hit('a', NO_MATCH_THRESHOLD - 0.001), hit('b', SUGGESTION_FLOOR)], 5);
    assert.deepEqual(below.items, [], 'a best hit under the threshold leaves the query unanswered');
    assert.deepEqual(
      below.suggestions.map((h) => h.entryId),
      ['a', 'b'],
    );
    assert.equal(decide([hit('a', 0.9), hit('b', 0.8), hit('c', 0.7)], 2).items.length, 2);
  });

  it("reads a question typed in whole pinyin words through the library's own words, and numerals as digits", () => {
    const index = new QaSearchIndex();
    index.replaceAll([
      ...libraryDocs(),
      doc('old', '/p/', '80岁以上老人高龄津贴怎么领', { similarQuestions: [] }),
      doc('violation', '/p/', '怎么查询交通违法记录'),
    ]);
    assert.equal(index.search('shenfenzheng丢了怎么办', { unitPath: '/p/' }).items.length, 0, 'no entry about ID cards: still nothing');
    assert.equal(index.search('weizhang怎么查', { unitPath: '/p/' }).items[0]?.entryId, 'violation');
    assert.equal(index.search('gongjijin怎么提取', { unitPath: '/p/' }).items[0]?.entryId, 'fund');
    assert.equal(index.search('八十岁老人津贴', { unitPath: '/p/' }).items[0]?.entryId, 'old');
  });

  it('offers nothing as an answer for an unrelated question', () => {
    const r = library().search('今天天气怎么样', { unitPath: '/p/city/' });
    assert.deepEqual(r.items, []);
  });

  it('shows an entry to its owner subtree only, never to a sibling', () => {
    const index = library();
    assert.equal(index.search('小学报名', { unitPath: '/p/city/county/' }).items[0]?.entryId, 'school');
    assert.ok(!index.search('小学报名', { unitPath: '/p/other/' }).items.some((h) => h.entryId === 'school'));
    assert.ok(!index.search('小学报名', { unitPath: '/p/' }).items.some((h) => h.entryId === 'school'));
  });

  it('lets a county override hide the province entry inside the county only, until the override expires', () => {
    const index = library();
    index.add(doc('move-x', '/p/city/x/', '户口迁移需要什么材料', { overridesEntryId: 'move', effectiveUntil: new Date('2030-01-01') }));
    const inside = index.search('户口迁移材料', { unitPath: '/p/city/x/', now: new Date('2029-01-01') });
    assert.equal(inside.items[0].entryId, 'move-x');
    assert.ok(![...inside.items, ...inside.suggestions].some((h) => h.entryId === 'move'));
    assert.equal(index.search('户口迁移材料', { unitPath: '/p/city/y/' }).items[0].entryId, 'move');
    const later = index.search('户口迁移材料', { unitPath: '/p/city/x/', now: new Date('2030-01-01') });
    assert.equal(later.items[0].entryId, 'move', 'an expired override gives the ancestor entry back');
  });

  it('honours effective dates at the instant asked', () => {
    const index = library();
    index.add(doc('subsidy', '/p/', '育儿补贴怎么申请', { effectiveFrom: new Date('2026-01-01'), effectiveUntil: new Date('2027-01-01') }));
    const ask = (now: string) => index.search('育儿补贴申请', { unitPath: '/p/', now: new Date(now) }).items.map((h) => h.entryId);
    assert.deepEqual(ask('2025-12-31T23:59:59Z'), []);
    assert.deepEqual(ask('2026-06-01T00:00:00Z'), ['subsidy']);
    assert.deepEqual(ask('2027-01-01T00:00:00Z'), []);
  });

  it('finds the question buried in a long message', () => {
    const r = library().search('你好，我在广州打工三年了，房子是租的，想问一下公积金能不能取出来用，谢谢，电话1380013****', {
      unitPath: '/p/',
    });
    assert.equal([...r.items, ...r.suggestions][0]?.entryId, 'fund');
  });

  it('updates and removes entries, and reads a new synonym table in a fresh index', () => {
    const index = library();
    index.add(doc('fund', '/p/', '公积金贷款额度是多少'));
    assert.equal(index.size, 5);
    assert.equal(index.search('公积金贷款额度', { unitPath: '/p/' }).items[0].matchedQuestion, '公积金贷款额度是多少');
    index.remove('card');
    assert.equal(index.size, 4);
    assert.ok(!index.search('社保卡补办', { unitPath: '/p/' }).items.some((h) => h.entryId === 'card'));
    // A changed synonym table means a fresh index (the hub rebuilds one when the table changes).
    const bus = doc('bus', '/p/', '羊城通怎么充值');
    const renamed = new QaSearchIndex({ synonyms: [{ terms: ['羊城通', '公交卡'] }] });
    renamed.replaceAll([bus]);
    assert.equal(renamed.search('公交卡充值', { unitPath: '/p/' }).items[0]?.entryId, 'bus');
  });

  it('builds the same index in slices that yield to the event loop as in one go', async () => {
    // A duplicated id (the last wins) and slices smaller than a partition exercise both phases.
    const docs = [...libraryDocs(), doc('card', '/p/', '社保卡补办要带什么', { keywords: ['社保卡'] })];
    const whole = new QaSearchIndex();
    whole.replaceAll(docs);
    const sliced = new QaSearchIndex();
    let finished = false;
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = !finished));
    await sliced.replaceAllInChunks(docs, 2).then(() => (finished = true));
    assert.equal(sliced.size, whole.size);
    assert.ok(ranMeanwhile, 'other work ran while the build was under way');
    for (const q of ['社保卡补办', '公基金怎么提取', '小学报名', '驾照过期', '户口迁过来要什么']) {
      for (const unitPath of ['/p/', '/p/city/']) {
        assert.deepEqual(sliced.search(q, { unitPath }), whole.search(q, { unitPath }), `${q} @ ${unitPath}`);
      }
    }
  });
});
