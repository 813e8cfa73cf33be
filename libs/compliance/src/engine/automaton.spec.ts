import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_LEXICON } from '../lexicon/default-lexicon';
import { runCheck } from './checker';
import { buildAutomaton, walkAutomaton } from './automaton';
import { CompiledLexicon } from './compiled-lexicon';
import { compileInWorker, packTerms, unpackTerms } from './lexicon-compiler';

/** A small alphabet (with a surrogate pair's halves) so keywords overlap, nest and share suffixes. */
const unit = fc.constantFrom('a', 'b', 'c', '法', '轮', '\ud842', '\udfb7');
const keyword = fc.array(unit, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));

describe('typed-array automaton', () => {
  it('finds exactly the occurrences a naive search finds', () => {
    fc.assert(
      fc.property(fc.uniqueArray(keyword, { minLength: 1, maxLength: 30 }), fc.array(unit, { maxLength: 60 }), (keywords, chars) => {
        const text = chars.join('');
        const expected: string[] = [];
        keywords.forEach((kw, k) => {
          for (let at = text.indexOf(kw); at >= 0; at = text.indexOf(kw, at + 1)) expected.push(`${k}:${at}:${at + kw.length}`);
        });
        const found: string[] = [];
        walkAutomaton(buildAutomaton(keywords), text, (k, begin, end) => found.push(`${k}:${begin}:${end}`));
        assert.deepEqual(found.sort(), expected.sort());
      }),
    );
  });

  it('packs terms for the worker and back without loss (nulls, empty strings, slices of 5,000)', async () => {
    const terms = Array.from({ length: 12_001 }, (_, i) => ({
      kind: DEFAULT_LEXICON[i % DEFAULT_LEXICON.length].kind,
      term: i % 7 === 0 ? '' : `词${i}`,
      replacement: i % 3 === 0 ? null : `替${i}`,
      ...(i % 5 === 0 ? { severity: 'warn' as const } : {}),
    }));
    const back = unpackTerms(await packTerms(terms));
    assert.deepEqual(
      back,
      terms.map((t) => ({ ...t })),
    );
  });

  it('compiles in a worker thread to a lexicon that checks like one compiled in place', async () => {
    const body = '<p>据悉，法 轮 功与最高级的产品、机密文件在此。</p>';
    const inPlace = CompiledLexicon.compile(7, DEFAULT_LEXICON);
    const inWorker = await compileInWorker(7, DEFAULT_LEXICON);
    assert.equal(inWorker.version, 7);
    const a = runCheck(inPlace, { title: '测试', bodyHtml: body }, { today: new Date('2026-01-01') });
    const b = runCheck(inWorker, { title: '测试', bodyHtml: body }, { today: new Date('2026-01-01') });
    assert.ok(a.blocking.length + a.warnings.length > 0, 'the body has findings');
    assert.deepEqual(b, a);
  });
});
