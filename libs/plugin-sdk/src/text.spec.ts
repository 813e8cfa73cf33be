import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { codePoints, countWith, graphemeCount, htmlToText, truncate, utf16, utf8Bytes, weibo } from './text';

describe('counters', () => {
  it('count code points, UTF-16 units, UTF-8 bytes and graphemes differently for emoji and astral CJK', () => {
    const s = '政务👨‍👩‍👧𠀀';
    assert.equal(codePoints(s), 2 + 5 + 1);
    assert.equal(utf16(s), 2 + 8 + 2);
    assert.equal(utf8Bytes(s), 6 + 18 + 4);
    assert.equal(graphemeCount(s), 4);
  });

  it('count Weibo-style: full width 1, two half width 1, rounded up', () => {
    assert.equal(weibo('统发'), 2);
    assert.equal(weibo('abc'), 2);
    assert.equal(weibo('统发abcd'), 4);
    assert.equal(weibo('统发，ok！'), 4 + 1);
    assert.equal(countWith('weibo', 'a'), 1);
  });

  it('can count each URL as a fixed length for Weibo', () => {
    const text = '详见 https://www.gd.gov.cn/zwgk/some/very/long/path?id=1234567890 通知';
    assert.equal(weibo(text, { urlLength: 10 }), 2 + 2 + 1 + 10);
    assert.ok(weibo(text) > 20);
  });
});

describe('truncate', () => {
  it('leaves text within the limit untouched', () => {
    assert.equal(truncate('你好', 2), '你好');
  });

  it('cuts with an ellipsis and never inside a grapheme cluster', () => {
    assert.equal(truncate('一二三四五', 4), '一二三…');
    assert.equal(truncate('ab👨‍👩‍👧cd', 4, 'graphemes'), 'ab👨‍👩‍👧…');
    assert.equal(truncate('ab👨‍👩‍👧cd', 4, 'codePoints'), 'ab…');
    assert.equal(truncate('🇨🇳🇨🇳🇨🇳', 7, 'utf16', ''), '🇨🇳');
  });

  it('drops the ellipsis when even that does not fit', () => {
    assert.equal(truncate('abcdef', 1, 'utf8Bytes', '……'), 'a');
    assert.equal(truncate('abc', 0), '');
  });

  it('always fits the counter and is a prefix cut at a grapheme boundary (property)', () => {
    const chars = fc.oneof(
      fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)),
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('😀', '👨‍👩‍👧‍👦', '🇨🇳', '👍🏽', 'é', '𠀀'),
    );
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 80 }).map((a) => a.join('')),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom('codePoints', 'utf16', 'utf8Bytes', 'graphemes', 'weibo' as const),
        (text, max, counter) => {
          const out = truncate(text, max, counter);
          assert.ok(countWith(counter, out) <= max);
          const body = out.endsWith('…') && out !== text ? out.slice(0, -1) : out;
          assert.ok(text.startsWith(body.replace(/\s+$/u, '')) || text.startsWith(body));
          assert.doesNotMatch(out, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'lone high surrogate');
          const segs = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.index);
          assert.ok(segs.includes(body.length) || body.length === text.length || body.length === 0, 'cut inside a grapheme');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('htmlToText', () => {
  it('turns blocks into line breaks and paragraphs into blank lines', () => {
    assert.equal(
      htmlToText('<h1>通知</h1><p>第一段<br>换行</p><div>块</div><ul><li>一</li><li>二</li></ul>'),
      '通知\n\n第一段\n换行\n\n块\n\n一\n二',
    );
  });

  it('decodes entities, drops scripts and styles, and collapses whitespace', () => {
    assert.equal(
      htmlToText('<p>  A&amp;B&nbsp;&lt;c&gt; &#x4e2d;&#25991;\n  text </p><script>alert(1)</script><style>p{}</style>'),
      'A&B <c> 中文 text',
    );
  });

  it('keeps preformatted whitespace and separates table cells with tabs', () => {
    assert.equal(htmlToText('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>'), 'a\tb\nc\td');
    assert.equal(htmlToText('<pre>x  =  1</pre>'), 'x  =  1');
  });

  it('tolerates unclosed and nested markup', () => {
    assert.equal(htmlToText('<p>one<p>two <b>bold <i>both</b> end'), 'one\n\ntwo bold both end');
  });
});
