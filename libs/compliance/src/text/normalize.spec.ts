import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CompiledLexicon } from '../engine/compiled-lexicon';
import { LexiconKind } from '../lexicon/lexicon-kind';
import { htmlToPlain } from './html-text';
import { normalize, normalizeTerm, toOriginal } from './normalize';

const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
const term = fc.array(cjk, { minLength: 2, maxLength: 6 }).map((a) => a.join(''));
/** What an evader puts between characters: spaces, symbols, punctuation, invisibles. */
const filler = fc.constantFrom(' ', '\u3000', '*', '·', '-', '_', '。', '，', '/', '\u200b', '\u00a0', '★', '~', '|', '\t');
const prose = fc.array(fc.oneof(cjk, fc.constantFrom('，', '。', ' ', 'a', '1')), { maxLength: 30 }).map((a) => a.join(''));

/** Every character of `word`, each possibly widened (full-width Latin) and followed by fillers. */
function disguise(word: string, fillers: string[][], widen: boolean[]): string {
  return Array.from(word)
    .map((ch, i) => {
      const c = widen[i] && /[a-z0-9]/i.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch;
      return i < word.length - 1 ? c + (fillers[i] ?? []).join('') : c;
    })
    .join('');
}

describe('normalisation', () => {
  it('folds full width, case and traditional characters onto one form', () => {
    assert.equal(normalizeTerm('ＡＢＣ１２３'), 'abc123');
    assert.equal(normalizeTerm('法輪功'), '法轮功');
    assert.equal(normalizeTerm('臺灣 機密'), '台湾机密');
    assert.equal(normalizeTerm('法*轮\u200b功'), '法轮功');
  });

  it('maps each normalised character back to the original characters it came from', () => {
    const m = normalize('甲 Ｂ*乙');
    assert.equal(m.text, '甲b乙');
    assert.deepEqual(toOriginal(m, 0, 3), { start: 0, end: 5 });
    assert.deepEqual(toOriginal(m, 1, 2), { start: 2, end: 3 });
  });

  it('finds a term whatever spaces, symbols and width variants are inserted, and the offsets cover the disguised span', () => {
    fc.assert(
      fc.property(
        term,
        prose,
        prose,
        fc.array(fc.array(filler, { maxLength: 3 }), { maxLength: 6 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        (word, head, tail, fillers, widen) => {
          const lexicon = CompiledLexicon.compile(1, [{ kind: LexiconKind.Forbidden, term: word }]);
          const disguised = disguise(word, fillers, widen);
          const text = `${head}${disguised}${tail}`;
          const m = normalize(text);
          const hits = lexicon.scan(m).map((h) => toOriginal(m, h.begin, h.end));
          const at = { start: head.length, end: head.length + disguised.length };
          assert.ok(
            hits.some((h) => h.start === at.start && h.end === at.end),
            `no hit at ${JSON.stringify(at)} in ${JSON.stringify(text)}: ${JSON.stringify(hits)}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds Latin terms across full width and case', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,8}$/), fc.array(fc.boolean(), { maxLength: 8 }), (word, widen) => {
        const lexicon = CompiledLexicon.compile(1, [{ kind: LexiconKind.Ad, term: word }]);
        const written = Array.from(word, (c, i) => (widen[i] ? String.fromCharCode(c.toUpperCase().charCodeAt(0) + 0xfee0) : c)).join('');
        const m = normalize(`前${written}后`);
        const hits = lexicon.scan(m).map((h) => toOriginal(m, h.begin, h.end));
        assert.deepEqual(hits, [{ start: 1, end: 1 + written.length }]);
      }),
    );
  });
});

describe('html to plain text', () => {
  it('keeps, for every plain character, the span of HTML it came from', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('p', 'b', 'span', 'div'), fc.array(cjk, { minLength: 1, maxLength: 5 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (parts) => {
          const html = parts.map(([tag, chars]) => `<${tag} class="x">${chars.join('')}</${tag}>`).join('');
          const { plain } = htmlToPlain(html);
          for (let i = 0; i < plain.text.length; i++) {
            if (plain.text[i] === '\n') continue;
            assert.equal(html.slice(plain.starts[i], plain.ends[i]), plain.text[i]);
          }
        },
      ),
    );
  });

  it('breaks lines between blocks, decodes entities onto the whole entity and drops scripts', () => {
    const html = '<p>甲&amp;乙</p><script>var x="机密"</script><div>丙&#x4E01;</div>';
    const { plain } = htmlToPlain(html);
    assert.equal(plain.text, '甲&乙\n丙丁');
    assert.equal(html.slice(plain.starts[1], plain.ends[1]), '&amp;');
    assert.equal(html.slice(plain.starts[5], plain.ends[5]), '&#x4E01;');
  });

  it('reports links with their text span and element span', () => {
    const html = '<p>见<a href="https://shop.example.com/x">此处</a></p>';
    const { plain, links } = htmlToPlain(html);
    assert.equal(links.length, 1);
    assert.equal(plain.text.slice(links[0].start, links[0].end), '此处');
    assert.equal(html.slice(links[0].htmlStart, links[0].htmlEnd), '<a href="https://shop.example.com/x">此处</a>');
  });
});

describe('mapped text building', () => {
  it('keeps a byte order mark and lone surrogates unit for unit (the offsets depend on it)', () => {
    const m = normalize('\ufeffa\ud800b', { keepFillers: true });
    assert.equal(m.text, '\ufeffa\ud800b');
    assert.deepEqual([...m.starts], [0, 1, 2, 3]);
    const h = htmlToPlain('<p>\ufeffx \udc00y</p>');
    assert.equal(h.plain.text, '\ufeffx \udc00y');
    assert.deepEqual([...h.plain.starts], [3, 4, 5, 6, 7]);
  });
});
