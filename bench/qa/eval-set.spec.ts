import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { foldQaText, maskPersonalData } from '@tongfa/knowledge';
import { EvalSet, loadEvalSet, QUERY_TAGS, QueryTag, ScopeOracle, toIndexDocs, unitPaths } from './eval-set';

/**
 * Keeps the hand-written evaluation set honest: every expected answer exists and is the one the
 * asking unit should get, nothing is duplicated, and each kind of query is there in numbers
 * worth measuring. Mistakes are listed all at once, by query id.
 */

const set: EvalSet = loadEvalSet();
const docs = toIndexDocs(set);
const oracle = new ScopeOracle(docs);
const paths = unitPaths(set);
const entries = new Map(set.entries.map((e) => [e.id, e]));

function noProblems(problems: string[]): void {
  assert.deepEqual(problems, [], `${problems.length} problem(s):\n${problems.join('\n')}`);
}

/** Text without punctuation and spaces, not otherwise folded. */
function bare(text: string): string {
  return text.replace(/[\p{P}\p{S}\s]/gu, '');
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

describe('Q&A evaluation set', () => {
  it('has one root and materialized paths that follow the parents', () => {
    const byId = new Map(set.units.map((u) => [u.id, u]));
    const problems: string[] = [];
    assert.equal(byId.size, set.units.length, 'unit ids are unique');
    assert.equal(set.units.filter((u) => u.parentId === null).length, 1);
    for (const u of set.units) {
      const parent = u.parentId ? byId.get(u.parentId) : undefined;
      if (u.parentId && !parent) problems.push(`${u.id}: parent ${u.parentId} missing`);
      const want = `${parent ? parent.path : '/'}${u.id}/`;
      if (u.path !== want) problems.push(`${u.id}: path ${u.path}, expected ${want}`);
    }
    noProblems(problems);
    const levels = countBy(set.units, (u) => u.level);
    assert.ok((levels.get('city') ?? 0) >= 2 && (levels.get('county') ?? 0) >= 3 && (levels.get('department') ?? 0) >= 1);
  });

  it('holds at least 120 well-formed entries with overrides that replace an ancestor entry', () => {
    assert.ok(set.entries.length >= 120, `${set.entries.length} entries`);
    assert.equal(entries.size, set.entries.length, 'entry ids are unique');
    const problems: string[] = [];
    const questions = countBy(set.entries, (e) => foldQaText(e.question));
    for (const e of set.entries) {
      const path = paths.get(e.unitId);
      if (!path) problems.push(`${e.id}: owner unit ${e.unitId} missing`);
      if (!e.question.trim() || !e.answer.trim()) problems.push(`${e.id}: empty question or answer`);
      if (e.similarQuestions.length < 2 || e.similarQuestions.length > 5)
        problems.push(`${e.id}: ${e.similarQuestions.length} similar questions`);
      if (e.keywords.length === 0) problems.push(`${e.id}: no keywords`);
      if ((questions.get(foldQaText(e.question)) ?? 0) > 1) problems.push(`${e.id}: standard question duplicated`);
      for (const day of [e.effectiveFrom, e.effectiveUntil])
        if (day && !/^\d{4}-\d{2}-\d{2}$/.test(day)) problems.push(`${e.id}: bad date ${day}`);
      if (e.effectiveFrom && e.effectiveUntil && e.effectiveFrom > e.effectiveUntil) problems.push(`${e.id}: ends before it starts`);
      if (e.overridesEntryId) {
        const target = entries.get(e.overridesEntryId);
        const targetPath = target && paths.get(target.unitId);
        if (!target) problems.push(`${e.id}: overrides missing ${e.overridesEntryId}`);
        else if (!path || !targetPath || path === targetPath || !path.startsWith(targetPath))
          problems.push(`${e.id}: overrides ${target.id}, which is not owned by a strict ancestor`);
      }
    }
    noProblems(problems);
    const asOf = set.asOf;
    assert.ok(docs.filter((d) => d.effectiveUntil && d.effectiveUntil <= asOf).length >= 4, 'expired entries');
    assert.ok(docs.filter((d) => d.effectiveFrom && d.effectiveFrom > asOf).length >= 1, 'not yet effective entries');
    const overrides = set.entries.filter((e) => e.overridesEntryId);
    assert.ok(overrides.length >= 8, `${overrides.length} overrides`);
    assert.ok(
      overrides.some((e) => entries.get(e.overridesEntryId!)?.overridesEntryId),
      'a county overriding a city override',
    );
  });

  it('expects for every query an answer the asking unit may get, or none', () => {
    const problems: string[] = [];
    for (const q of set.queries) {
      const path = paths.get(q.unitId);
      if (!path) {
        problems.push(`${q.id}: asking unit ${q.unitId} missing`);
        continue;
      }
      if (q.expected !== null) {
        const why = oracle.explain(q.expected, path, set.asOf);
        if (why) problems.push(`${q.id}: expected ${q.expected} is not an answer for ${q.unitId}: ${why}`);
      }
      if ((q.expected === null) !== q.tags.includes('no-answer')) problems.push(`${q.id}: 'no-answer' tag and null expectation disagree`);
      const exp = q.expected ? entries.get(q.expected) : undefined;
      if (q.tags[0] === 'override-inside' && !exp?.overridesEntryId) problems.push(`${q.id}: override-inside must expect an override`);
      if (q.tags[0] === 'override-outside' && !(q.expected && oracle.isOverridden(q.expected)))
        problems.push(`${q.id}: override-outside must expect an entry overridden elsewhere`);
      if (exp && q.tags[0] !== 'standard') {
        // Compared as written (punctuation aside): a traditional or full-width rendering of a
        // question tests the folding, a verbatim copy tests nothing.
        const asked = bare(q.text);
        if ([exp.question, ...exp.similarQuestions].some((s) => bare(s) === asked))
          problems.push(`${q.id}: copies a question of ${exp.id} (tag it 'standard' or reword it)`);
      }
    }
    noProblems(problems);
  });

  it('has no duplicate query and only known tags and splits', () => {
    const problems: string[] = [];
    const ids = countBy(set.queries, (q) => q.id);
    const asked = countBy(set.queries, (q) => `${q.unitId} ${foldQaText(q.text)}`);
    for (const q of set.queries) {
      if (ids.get(q.id)! > 1) problems.push(`${q.id}: id used twice`);
      if (asked.get(`${q.unitId} ${foldQaText(q.text)}`)! > 1) problems.push(`${q.id}: same text asked twice from ${q.unitId}`);
      if (q.tags.length === 0 || q.tags.some((t) => !QUERY_TAGS.includes(t))) problems.push(`${q.id}: tags ${q.tags.join(',')}`);
      if (q.split !== 'tune' && q.split !== 'test') problems.push(`${q.id}: split ${String(q.split)}`);
    }
    noProblems(problems);
  });

  it('covers every kind of question in numbers worth measuring', () => {
    assert.ok(set.queries.length >= 400, `${set.queries.length} queries`);
    const withTag = (t: QueryTag) => set.queries.filter((q) => q.tags.includes(t)).length;
    const minimum: Partial<Record<QueryTag, number>> = {
      colloquial: 100,
      typo: 40,
      traditional: 20,
      fullwidth: 8,
      abbreviation: 25,
      long: 15,
      pii: 12,
      'no-answer': 40,
      validity: 8,
      'override-inside': 20,
      'override-outside': 12,
      scope: 12,
    };
    const short = Object.entries(minimum).filter(([t, n]) => withTag(t as QueryTag) < n!);
    assert.deepEqual(short, [], 'tags below their minimum');
    const pii = set.queries.filter((q) => q.tags.includes('pii'));
    // Valid numbers (ID check digit included), so the detectors the search service masks with find them.
    const unmasked = pii.filter((q) => !/\[(手机号|身份证号)\]/.test(maskPersonalData(q.text, set.asOf))).map((q) => q.id);
    assert.deepEqual(unmasked, [], 'pii queries whose number the detectors miss');
    assert.ok(
      set.queries.filter((q) => q.tags.includes('long')).every((q) => q.text.length >= 60),
      'long queries are long',
    );
  });

  it('splits about 40 % to tune, stratified by the first tag (the second round of tuning queries aside)', () => {
    const first = set.queries.filter((q) => q.round === undefined);
    const tune = first.filter((q) => q.split === 'tune').length / first.length;
    assert.ok(tune > 0.37 && tune < 0.43, `tune share ${tune.toFixed(3)}`);
    assert.ok(
      set.queries.every((q) => q.round === undefined || ((q.round === 2 || q.round === 3) && q.split === 'tune')),
      'later queries go to tune only',
    );
    const problems: string[] = [];
    for (const [tag, n] of countBy(first, (q) => q.tags[0])) {
      const t = first.filter((q) => q.tags[0] === tag && q.split === 'tune').length;
      if (Math.abs(t - n * 0.4) > 1) problems.push(`${tag}: ${t} of ${n} in tune`);
    }
    noProblems(problems);
  });
});
