import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanPage, cleanPost, listParams } from './post-listing';

const good = { remoteId: 'r1', text: '正文', url: 'https://mp.weixin.qq.com/s?mid=1', publishedAt: 1_700_000_000_000 };

describe('what the host accepts from a plugin’s post list', () => {
  it('keeps a well-formed post and bounds its text, title and links', () => {
    const p = cleanPost({
      ...good,
      title: '标'.repeat(2000),
      text: '字'.repeat(30_000),
      kind: 'article',
      links: ['https://www.example.gov.cn/a', 'javascript:alert(1)', 42, ...Array(30).fill('https://x.gov.cn/')],
      repostOf: 'r0',
    });
    assert.equal(p?.title?.length, 1000);
    assert.equal(p?.text.length, 20_000);
    assert.equal(p?.links?.length, 20);
    assert.ok(!p?.links?.includes('javascript:alert(1)'));
    assert.equal(p?.kind, 'article');
    assert.equal(p?.repostOf, 'r0');
  });

  it('drops posts without an id, an http(s) address or a time, and unknown kinds', () => {
    assert.equal(cleanPost({ ...good, remoteId: '' }), undefined);
    assert.equal(cleanPost({ ...good, url: 'javascript:alert(1)' }), undefined);
    assert.equal(cleanPost({ ...good, url: '/relative' }), undefined);
    assert.equal(cleanPost({ ...good, publishedAt: Number.NaN }), undefined);
    assert.equal(cleanPost({ ...good, publishedAt: '2025-01-01' }), undefined);
    assert.equal(cleanPost(null), undefined);
    assert.equal(cleanPost({ ...good, kind: 'hologram' })?.kind, undefined);
  });

  it('counts what it dropped from a page and ignores an absurd cursor', () => {
    const out = cleanPage({ posts: [good, { nope: 1 }], nextCursor: 'x'.repeat(5000) });
    assert.equal(out?.page.posts.length, 1);
    assert.equal(out?.dropped, 1);
    assert.equal(out?.page.nextCursor, undefined);
    assert.equal(cleanPage({ items: [] }), undefined, 'not a page at all');
  });

  it('clamps what a poller asks for to the plugin’s declared page size', () => {
    assert.deepEqual(listParams({ limit: 500, since: -5, cursor: '' }, 20), { limit: 20 });
    assert.deepEqual(listParams({ limit: 3.9, since: 1_700_000_000_000.5, cursor: '40' }, 20), {
      limit: 3,
      since: 1_700_000_000_000,
      cursor: '40',
    });
  });
});
