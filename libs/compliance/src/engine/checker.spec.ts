import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LEXICON } from '../lexicon/default-lexicon';
import { LexiconKind, LexiconTerm } from '../lexicon/lexicon-kind';
import { parseLexiconList } from '../lexicon/lexicon-import';
import { luhnCheckDigit, residentIdCheckChar } from '../text/validators';
import { CheckInput, runCheck } from './checker';
import { CompiledLexicon, wrongOrders } from './compiled-lexicon';
import { checkImages } from './images';

const today = new Date('2026-11-20T00:00:00Z');
const lexicon = CompiledLexicon.compile(7, DEFAULT_LEXICON);
const check = (input: CheckInput, lex = lexicon) => runCheck(lex, input, { today });
const only = (input: CheckInput, lex = lexicon) => {
  const r = check(input, lex);
  return [...r.blocking, ...r.warnings];
};

describe('checker rules', () => {
  it('passes a clean manuscript and names the lexicon version', () => {
    const r = check({
      title: '我市召开安全生产工作会议',
      summary: '会议部署重点工作',
      bodyHtml: '<p>会议要求按部就班推进。</p>',
      source: { type: 'original' },
    });
    assert.deepEqual(r, { ok: true, blocking: [], warnings: [], lexiconVersion: 7 });
  });

  it('blocks a forbidden word and warns on a sensitive one, each in its field with the text as written', () => {
    const r = check({ title: '关于法 輪 功的通报', summary: '发生一起群体性事件' });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.blocking.map((f) => [f.rule, f.field, f.text, f.start, f.end]),
      [['forbidden_word', 'title', '法 輪 功', 2, 7]],
    );
    assert.deepEqual(
      r.warnings.map((f) => [f.rule, f.field, f.text]),
      [['sensitive_word', 'summary', '群体性事件']],
    );
  });

  it('gives one finding per word, not one per dictionary word inside it', () => {
    const lex = CompiledLexicon.compile(1, [
      { kind: LexiconKind.Forbidden, term: '法轮' },
      { kind: LexiconKind.Forbidden, term: '法轮功' },
    ]);
    assert.deepEqual(
      only({ title: '法轮功' }, lex).map((f) => f.text),
      ['法轮功'],
    );
  });

  it('blocks secrecy markers and advertising per entry severity', () => {
    const fs = only({ bodyHtml: '<p>本文为內部資料。扫码领取优惠，最佳选择。</p>' });
    assert.deepEqual(
      fs.map((f) => [f.rule, f.severity, f.text]),
      [
        ['secrecy_marker', 'block', '內部資料'],
        ['ad_word', 'block', '扫码领取'],
        ['ad_word', 'warn', '最佳'],
      ],
    );
  });

  it('suggests the fix for a typo and a non-standard phrase, but not inside the right wording', () => {
    const fs = only({ summary: '要再接再励，两岸三地' });
    assert.deepEqual(
      fs.map((f) => [f.rule, f.text, f.suggestion]),
      [
        ['typo', '再接再励', '再接再厉'],
        ['nonstandard_phrase', '两岸三地', '内地与港澳、大陆与台湾'],
      ],
    );
    const lex = CompiledLexicon.compile(1, [{ kind: LexiconKind.StandardPhrase, term: '十八大', replacement: '党的十八大' }]);
    assert.deepEqual(only({ title: '党的十八大以来' }, lex), []);
    assert.equal(only({ title: '十八大以来' }, lex)[0].suggestion, '党的十八大');
  });

  it('blocks a fixed formulation written out of order and leaves the right order alone', () => {
    assert.deepEqual(only({ title: '富强、民主、文明、和谐' }), []);
    const [f] = only({ title: '倡导民主、富强、文明、和谐' });
    assert.equal(f.rule, 'phrase_order');
    assert.equal(f.severity, 'block');
    assert.equal(f.text, '民主、富强、文明、和谐');
    assert.equal(wrongOrders(['a', 'b', 'c'], 'abc').length, 5);
  });

  it('blocks a wrong title next to a leader name and accepts the current one (sample dictionary)', () => {
    assert.deepEqual(only({ title: '示范市副市长李示范调研' }), []);
    assert.deepEqual(only({ title: '李示范副市长调研' }), []);
    const [wrong] = only({ title: '示范市市长李示范调研' });
    assert.equal(wrong.rule, 'leader_title');
    assert.equal(wrong.text, '示范市市长李示范');
    assert.equal(wrong.suggestion, '示范市副市长');
    // 副市长 is not read as 市长, and a title across a 、 belongs to the other name.
    assert.deepEqual(only({ title: '王样例市长、李示范' }), []);
  });

  it('blocks personal data, fingerprinted by value, until acknowledged', () => {
    const idBody = '44030519900307123';
    const id = idBody + residentIdCheckChar(idBody);
    const cardBody = '622202123456789012';
    const card = cardBody + luhnCheckDigit(cardBody);
    const html = `<p>身份证${id}，手机＋86 138 0013 8000，卡号${card}，编号12345678901234567</p>`;
    const r = check({ bodyHtml: html });
    assert.deepEqual(
      r.blocking.map((f) => f.rule),
      ['resident_id', 'mobile_number', 'bank_card'],
    );
    for (const f of r.blocking) assert.equal(html.slice(f.htmlStart, f.htmlEnd), f.text);
    const again = check({ bodyHtml: `<div>另见 ${id}</div>` });
    assert.equal(again.blocking[0].id, r.blocking[0].id, 'same value, same fingerprint wherever it is');
    const ack = check({ bodyHtml: html, acknowledged: r.blocking.map((f) => f.id) });
    assert.equal(ack.ok, true);
    assert.ok(ack.warnings.every((f) => f.acknowledged));
  });

  it('refuses acknowledgement of anything but personal data', () => {
    const r = check({ title: '法轮功' });
    assert.equal(check({ title: '法轮功', acknowledged: [r.blocking[0].id] }).ok, false);
  });

  it('blocks links to hosts off the allowlist, from <a href> and bare URLs, and allows subdomains of listed hosts', () => {
    const html =
      '<p><a href="https://www.gov.cn/zhengce">政策</a> <a href="http://shop.example.com/a">商城</a> 详见 www.ad.example.net/x 。<a href="/local">本站</a></p>';
    const fs = only({ bodyHtml: html });
    assert.deepEqual(
      fs.map((f) => [f.rule, f.text]),
      [
        ['external_link', '商城'],
        ['external_link', 'www.ad.example.net/x'],
      ],
    );
    assert.equal(html.slice(fs[0].htmlStart, fs[0].htmlEnd), '<a href="http://shop.example.com/a">商城</a>');
  });

  it('requires a designated source unit for a reprint only', () => {
    assert.deepEqual(only({ source: { type: 'original' } }), []);
    assert.deepEqual(only({ source: { type: 'reprint', unitName: '新华社' } }), []);
    assert.deepEqual(
      only({ source: { type: 'reprint', unitName: '某商业网站' } }).map((f) => [f.rule, f.field, f.text]),
      [['source_unit', 'source', '某商业网站']],
    );
    assert.equal(only({ source: { type: 'reprint' } })[0].rule, 'source_unit');
  });
});

describe('image hook', () => {
  const limits = [{ platform: 'wechat', limits: { formats: ['jpeg', 'png'], maxBytes: 2_000_000, minWidth: 200, maxWidth: 4000 } }];

  it('blocks metadata and too-small images, warns on what the host can fit', () => {
    const fs = checkImages(
      [
        { name: 'a.jpg', width: 1000, height: 800, bytes: 100_000, format: 'jpg', hasExif: true },
        { name: 'b.webp', width: 5000, height: 800, bytes: 3_000_000, format: 'webp', hasExif: false },
        { name: 'c.png', width: 100, height: 100, bytes: 1000, format: 'png', hasExif: false },
      ],
      limits,
    );
    assert.deepEqual(
      fs.map((f) => [f.rule, f.severity, f.start, f.platform ?? null]),
      [
        ['image_metadata', 'block', 0, null],
        ['image_format', 'warn', 1, 'wechat'],
        ['image_bytes', 'warn', 1, 'wechat'],
        ['image_dimensions', 'warn', 1, 'wechat'],
        ['image_dimensions', 'block', 2, 'wechat'],
      ],
    );
  });

  it('passes an image within every limit', () => {
    assert.deepEqual(checkImages([{ width: 1000, height: 800, bytes: 100_000, format: 'jpeg', hasExif: false }], limits), []);
  });
});

describe('lexicon lists', () => {
  it('reads term, replacement and severity columns and reports bad lines by number', () => {
    const ok = parseLexiconList(LexiconKind.Typo, '\uFEFF# comment\r\n既使\t即使\twarn\r\n\r\n穿流不息\t川流不息\n');
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(
      ok.terms.map((t: LexiconTerm) => [t.term, t.replacement, t.severity]),
      [
        ['既使', '即使', 'warn'],
        ['穿流不息', '川流不息', null],
      ],
    );
    const bad = parseLexiconList(LexiconKind.HostAllowlist, 'gov.cn\nnot a host\n');
    assert.deepEqual(
      bad.errors.map((e) => e.line),
      [2],
    );
  });
});
