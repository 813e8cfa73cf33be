import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { complianceSubjectOf, normaliseAdaptations, type AdaptationRules } from './adaptations';
import { ManuscriptException } from './manuscripts.exception';

const rules: AdaptationRules = {
  platformName: (p) => ({ weibo: '新浪微博', douyin: '抖音' })[p],
  textIssues: (_p, _f, text) => ([...text].length > 10 ? [`超长：最多 10 字，现 ${[...text].length} 字 / too long`] : []),
};

const refused = (raw: unknown) => {
  try {
    normaliseAdaptations(raw, rules);
  } catch (e) {
    assert.ok(e instanceof ManuscriptException);
    return e.details;
  }
  assert.fail('expected a refusal');
};

describe('per-platform adaptations', () => {
  it('drops empty fields and platforms, trims texts and topic marks, and orders platforms', () => {
    const out = normaliseAdaptations({ weibo: { text: '  短文案 ' }, douyin: { caption: '', topics: ['#便民#', '便民', ' '] } }, rules);
    assert.deepEqual(out, { douyin: { topics: ['便民'] }, weibo: { text: '短文案' } });
    assert.deepEqual(Object.keys(out!), ['douyin', 'weibo']);
    assert.equal(normaliseAdaptations({ weibo: { text: ' ' } }, rules), null);
    assert.equal(normaliseAdaptations(undefined, rules), null);
  });

  it('names every bad field in Chinese: unknown platform, over-long text, bad topic, crop out of range', () => {
    const details = refused({
      myspace: { text: 'x' },
      weibo: { text: '一二三四五六七八九十十一', coverCrop: { x: 2, y: 0 } },
      douyin: { topics: ['两个 词'], extra: 1 },
    });
    const by = new Map(details.map((d) => [d.field, d.message]));
    assert.match(by.get('adaptations.myspace')!, /未安装/);
    assert.match(by.get('adaptations.weibo.text')!, /^新浪微博文案超长：最多 10 字，现 12 字/);
    assert.match(by.get('adaptations.weibo.coverCrop')!, /^新浪微博封面裁剪/);
    assert.match(by.get('adaptations.douyin.topics')!, /^抖音话题/);
    assert.match(by.get('adaptations.douyin.extra')!, /不支持/);
  });

  it('gives compliance every adapted text beside the body, escaped', () => {
    const s = complianceSubjectOf({
      title: 't',
      summary: 's',
      bodyHtml: '<p>正文</p>',
      source: { type: 'original' },
      adaptations: { weibo: { text: '内部资料<b>' }, douyin: { caption: '标题', topics: ['话题'] } },
    });
    assert.equal(s.bodyHtml, '<p>正文</p><p>内部资料&lt;b&gt;</p><p>标题</p><p>#话题#</p>');
  });
});
