import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bigrams, jaccard, matchPost, normalizeText, normalizeUrl, prepareSource } from './matcher';

const START = Date.UTC(2026, 11, 7, 1, 0, 0);
const HOUR = 3600_000;

const source = prepareSource({
  title: '全市优化营商环境十条措施发布',
  text:
    '为进一步优化营商环境，市政府出台十条措施：一是压缩企业开办时间至一个工作日；二是推行“一网通办”；' +
    '三是降低企业用电用气成本；四是加大首贷支持力度。各县区要抓好贯彻落实。',
  urls: ['https://www.jiashi.gov.cn/zwgk/2026/12/t20261207_001.html'],
  remoteIds: ['4930001'],
  notBefore: START,
});

describe('relay matcher', () => {
  it('normalises width, case, spaces and punctuation before comparing', () => {
    assert.equal(normalizeText('ＡＢＣ，一 网 通 办！'), 'abc一网通办');
    assert.equal(jaccard(bigrams('一网通办'), bigrams('一 网，通 办')), 1);
    assert.equal(normalizeUrl('https://www.jiashi.gov.cn/a/b/#top'), normalizeUrl('http://jiashi.gov.cn/a/b'));
  });

  it('matches a verbatim repost with a lead of the county’s own', () => {
    const r = matchPost(source, {
      title: '转发：全市优化营商环境十条措施发布',
      text: `【县政府办】请广大企业关注！${'为进一步优化营商环境，市政府出台十条措施：一是压缩企业开办时间至一个工作日；二是推行“一网通办”；三是降低企业用电用气成本；四是加大首贷支持力度。'}`,
      url: 'https://mp.weixin.qq.com/s?__biz=A&mid=1',
      publishedAt: START + HOUR,
    });
    assert.equal(r.match, true);
    assert.equal(r.reason, 'text');
    assert.ok(r.textOverlap > 0.8, String(r.textOverlap));
  });

  it('matches a short post that links to the original, whatever its words', () => {
    const r = matchPost(source, {
      text: '市里的好政策来了，点击查看 https://jiashi.gov.cn/zwgk/2026/12/t20261207_001.html',
      url: 'https://weibo.com/123/abc',
      links: ['https://jiashi.gov.cn/zwgk/2026/12/t20261207_001.html'],
      publishedAt: START + HOUR,
    });
    assert.equal(r.reason, 'link');
  });

  it('matches a Weibo repost of the original post by its id', () => {
    assert.equal(
      matchPost(source, { text: '转发微博', url: 'https://weibo.com/1/x', repostOf: '4930001', publishedAt: START + 60_000 }).match,
      true,
    );
  });

  it('matches a shortened repost (a platform cut the body) under the same title', () => {
    const r = matchPost(source, {
      title: '全市优化营商环境十条措施发布',
      text: '为进一步优化营商环境，市政府出台十条措施：一是压缩企业开办时间……',
      url: 'https://www.toutiao.com/article/1/',
      publishedAt: START + 2 * HOUR,
    });
    assert.equal(r.match, true);
  });

  it('does not match a different post of the same day, though it shares the meeting’s words', () => {
    const r = matchPost(source, {
      title: '县政府召开常务会议研究优化营商环境工作',
      text: '12月7日，县政府召开常务会议，研究部署全县优化营商环境、安全生产和冬季供暖等工作，要求各部门抓好贯彻落实。',
      url: 'https://mp.weixin.qq.com/s?__biz=A&mid=2',
      publishedAt: START + 3 * HOUR,
    });
    assert.equal(r.match, false);
    assert.ok(r.textOverlap < 0.6, String(r.textOverlap));
  });

  it('does not match a post that copies the boilerplate under another title', () => {
    const r = matchPost(source, {
      title: '关于开展冬季安全生产大检查的通知',
      text: '为进一步优化营商环境，市政府出台十条措施：一是压缩企业开办时间至一个工作日；二是推行“一网通办”；三是降低企业用电用气成本。',
      url: 'https://mp.weixin.qq.com/s?__biz=A&mid=3',
      publishedAt: START + 3 * HOUR,
    });
    assert.equal(r.match, false);
  });

  it('never counts a post made before the campaign started', () => {
    const r = matchPost(source, {
      title: '全市优化营商环境十条措施发布',
      text: source.text,
      url: 'https://mp.weixin.qq.com/s?__biz=A&mid=4',
      publishedAt: START - 2 * HOUR,
    });
    assert.equal(r.reason, 'too_old');
  });

  it('does not decide on a few characters of text', () => {
    assert.equal(matchPost(source, { text: '营商环境', url: 'https://weibo.com/1/y', publishedAt: START + HOUR }).match, false);
  });
});
