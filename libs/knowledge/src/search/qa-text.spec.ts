import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SYNONYMS } from './default-synonyms';
import { QaAnalyzer, SynonymRewriter, foldQaText, pinyinKey } from './qa-text';

describe('Q&A text pipeline', () => {
  it('folds full width, case and traditional characters and drops punctuation', () => {
    assert.equal(foldQaText('ＩＣ卡，社會保險卡遺失補辦？'), 'ic卡 社会保险卡遗失补办');
    assert.equal(foldQaText('什麼時候'), '什么时候');
    assert.equal(foldQaText('怎么办'), '怎么办', 'simplified text stays as it is');
    assert.equal(foldQaText('老人满八十岁 五十五周岁 七岁 一百零五元'), '老人满80岁 55周岁 7岁 105元');
    assert.equal(foldQaText('一楼 一网通办 统一 十分 百姓'), '一楼 一网通办 统一 十分 百姓', 'numerals inside words stay');
    assert.equal(foldQaText('房租一千五 两百五 一千零五'), '房租1500 250 1005', 'a digit after 千 or 百 counts in the next unit down');
  });

  it('reads A-not-A questions as the verb alone', () => {
    assert.equal(foldQaText('医保能不能报'), '医保能报');
    assert.equal(foldQaText('可不可以网上办 需不需要本人去 有没有补贴 是不是'), '可以网上办 需要本人去 有补贴 是');
    const units = new QaAnalyzer(DEFAULT_SYNONYMS).analyze('高血压吃药医保能不能报', 'query').units;
    assert.ok(!units.includes('不能'), JSON.stringify(units));
  });

  it('reads a pair of single characters that sounds like one library word as that word', () => {
    const a = new QaAnalyzer(DEFAULT_SYNONYMS);
    // Words of the library's questions are learnt as they are indexed.
    a.analyze('低保怎么申请', 'question');
    a.analyze('抵押登记怎么注销', 'question');
    assert.deepEqual(
      a.analyze('底保标准', 'query').units.slice(0, 3),
      ['最低', '生活', '保障'],
      'then through the synonym table: 低保 → 最低生活保障',
    );
    assert.ok(a.analyze('抵鸭怎么注销', 'query').units.includes('抵押'));
    assert.deepEqual(a.analyze('开房记录', 'query').units, ['开房', '记录'], 'a word of its own is left alone');
  });

  it('reads a pinyin run as library words and a leftover syllable as a library character', () => {
    const a = new QaAnalyzer(DEFAULT_SYNONYMS);
    a.analyze('户口跨省迁移怎么办理', 'question');
    a.analyze('社保卡怎么激活', 'question');
    assert.deepEqual(a.analyze('hukouqianyi', 'query').units, ['户籍', '迁移']);
    assert.deepEqual(a.analyze('shebaoka激活', 'query').units, ['社会保障', '卡', '激活']);
    assert.deepEqual(a.analyze('zzzzqianyi', 'query').units, ['zzzzqianyi'], 'unless every letter is read');
  });

  it('rewrites synonyms to the canonical term to a fixpoint, longest first', () => {
    const r = new SynonymRewriter([
      { terms: ['社会保险', '社保'] },
      { terms: ['社会保障卡', '社会保险卡'] },
      { terms: ['行政复议', '复议'] },
    ]);
    assert.equal(r.rewrite('社保卡'), '社会保障卡');
    assert.equal(r.rewrite('社会保险卡'), '社会保障卡');
    assert.equal(r.rewrite('申请行政复议'), '申请行政复议', 'a canonical term is not rewritten inside itself');
    assert.equal(r.rewrite('复议期限'), '行政复议期限');
  });

  it('ignores one-character synonym terms that would rewrite inside other words', () => {
    const r = new SynonymRewriter([{ terms: ['车辆', '车'] }]);
    assert.equal(r.rewrite('火车票'), '火车票');
  });

  it('gives words, bigrams, units and homophone keys, without stopwords', () => {
    const a = new QaAnalyzer(DEFAULT_SYNONYMS);
    const t = a.analyze('请问公积金怎么提取？', 'query');
    assert.ok(t.words.includes('公积金') && t.words.includes('住房'), JSON.stringify(t));
    assert.ok(t.units.includes('提取'));
    assert.ok(!t.words.includes('请问') && !t.words.includes('怎么'));
    const colloquial = a.analyze('我想问一下社保卡坏了怎么办，需要带啥', 'query');
    assert.deepEqual(colloquial.units, ['社会保障', '卡', '损坏', '材料'], JSON.stringify(colloquial.units));
    assert.ok(t.pinyin.includes('~tiqu'));
    assert.equal(pinyinKey('公基'), pinyinKey('公积'), 'a homophone typo shares the key');
  });

  it('keeps answers lean: words only, no single characters, bigrams or homophone keys', () => {
    const t = new QaAnalyzer(DEFAULT_SYNONYMS).analyze('携带身份证到窗口办理', 'answer');
    assert.deepEqual(t.pinyin, []);
    assert.deepEqual(t.bigrams, []);
    assert.deepEqual(t.chars, []);
    assert.ok(t.words.every((w) => w.length > 1));
    assert.ok(t.words.includes('居民身份证'));
  });

  it('ships a province table of more than a hundred groups, every term at least two characters', () => {
    assert.ok(DEFAULT_SYNONYMS.length >= 100);
    for (const g of DEFAULT_SYNONYMS) {
      assert.ok(g.terms.length >= 2, g.terms.join());
      for (const term of g.terms) assert.ok(term.length >= 2, term);
    }
  });
});
