import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { pathInScope, whereInScope } from '@tongfa/database';
import { Actor, ApiKey, Permission, Unit } from '@tongfa/identity';
import { QaEntry, QaEntryVersion, QaQueryLog } from './entities';
import { KnowledgeError, KnowledgeException } from './knowledge.exception';
import { maskPersonalData } from './mask-personal-data';
import { QaIndexSync } from './qa-index-sync';
import { QaChannel, QaSearchHit } from './search';

/** What a search returns per answer: public fields only (API-key clients see exactly this). */
export interface QaAnswer {
  entryId: string;
  question: string;
  /** The channel's short answer when the entry has one, else the sanitized rich answer. */
  answer: string;
  answerHtml: string;
  channelAnswer: string | null;
  policyBasis: { title: string; docNumber: string | null; url: string | null }[];
  score: number;
  matchedQuestion: string;
}

export interface QaSearchResponse {
  queryId: string;
  items: QaAnswer[];
  suggestions: QaAnswer[];
}

export interface QaGap {
  normalizedText: string;
  /** One of the questions as asked (masked). */
  example: string;
  unitId: string;
  count: number;
  firstAskedAt: Date;
  lastAskedAt: Date;
}

const MAX_QUERY_CHARS = 1000;

/**
 * Searches the library for a unit, logs every query (personal data masked first) with what it
 * returned, takes feedback, and lists the gaps: questions without a good answer or with an
 * unhelpful one, clustered by normalized text, ranked by count and age, routed to a unit.
 */
@Injectable()
export class QaSearchService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly sync: QaIndexSync,
  ) {}

  /**
   * Searches for `unitId` (default: the key's unit, or the caller's). A key queries for its own
   * unit's subtree only; a signed-in caller for units in their read scope.
   */
  async search(
    actor: Actor,
    input: { q: string; unitId?: string; channel?: QaChannel; limit?: number; trial?: boolean },
    key: ApiKey | null,
  ): Promise<QaSearchResponse> {
    const unit = await this.askingUnit(actor, input.unitId, key);
    const now = this.clock.now();
    // Masked before anything else sees the text: the log row, the normalized form, the index.
    const masked = maskPersonalData(input.q.slice(0, MAX_QUERY_CHARS), now);
    // Not answered from a half-built index: an empty result would be logged as a gap.
    const index = await this.sync.ready();
    if (!index) throw new KnowledgeException(KnowledgeError.IndexBuilding);
    const result = index.search(masked, { unitPath: unit.path, channel: input.channel, limit: input.limit, now });
    const hits = [...result.items, ...result.suggestions];
    const answers = await this.answers(hits, input.channel);
    const queryId = newId();
    await this.ds.getRepository(QaQueryLog).insert({
      id: queryId,
      unitId: unit.id,
      unitPath: unit.path,
      askedUnitId: unit.id,
      channel: input.channel ?? null,
      userId: key ? null : actor.userId,
      apiKeyId: key?.id ?? null,
      maskedText: masked,
      normalizedText: index.normalize(masked).slice(0, MAX_QUERY_CHARS),
      results: hits.map((h) => ({ entryId: h.entryId, score: h.score })),
      topScore: hits[0]?.score ?? null,
      answered: result.items.length > 0,
      helpful: null,
      feedbackEntryId: null,
      // An editor's trial in the console is not a citizen going unanswered: no gap. Keys are citizens' channels.
      gap: result.items.length === 0 && !(input.trial && !key),
      resolvedByEntryId: null,
    });
    return {
      queryId,
      items: result.items.map((h) => answers.get(h.entryId)!).filter(Boolean),
      suggestions: result.suggestions.map((h) => answers.get(h.entryId)!).filter(Boolean),
    };
  }

  /**
   * Whether an answer helped. Unhelpful makes the query a gap routed to the answer's owner unit;
   * helpful (a suggestion the citizen took) closes a no-match gap.
   */
  async feedback(actor: Actor, input: { queryId: string; entryId?: string; helpful: boolean }, key: ApiKey | null): Promise<void> {
    const log = await this.ds.getRepository(QaQueryLog).findOne({ where: { id: input.queryId } });
    const mine =
      log && (key ? log.apiKeyId === key.id : log.userId === actor.userId || pathInScope(log.unitPath, actor.scope(Permission.QaRead)));
    if (!log || !mine) throw new KnowledgeException(KnowledgeError.QueryNotFound);
    const entryId = input.entryId ?? log.results[0]?.entryId ?? null;
    if (entryId && !log.results.some((r) => r.entryId === entryId)) {
      throw new KnowledgeException(KnowledgeError.QueryNotFound, {}, [
        { field: 'entryId', message: '不是该次查询的结果 / not a result of the query' },
      ]);
    }
    const owner = !input.helpful && entryId ? await this.ds.getRepository(QaEntry).findOne({ where: { id: entryId } }) : null;
    await this.ds.getRepository(QaQueryLog).update(
      { id: log.id },
      {
        helpful: input.helpful,
        feedbackEntryId: entryId,
        gap: !input.helpful,
        // The unit-path subscriber derives the path copy from the new unit id.
        ...(owner ? { unitId: owner.unitId, unitPath: owner.unitPath } : {}),
      },
    );
  }

  /** Gaps routed to units in the caller's read scope, most asked first, then the oldest. */
  async gaps(actor: Actor, q: PageQuery & { unitId?: string }): Promise<Page<QaGap>> {
    const base = this.ds.getRepository(QaQueryLog).createQueryBuilder('l').where('l.gap = :gap', { gap: true });
    whereInScope(base, 'l.unitPath', actor.scope(Permission.QaRead));
    if (q.unitId) base.andWhere('l.unitId = :unitId', { unitId: q.unitId });
    const grouped = base
      .clone()
      .select('l.normalizedText', 'normalizedText')
      .addSelect('l.unitId', 'unitId')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MIN(l.createdAt)', 'firstAt')
      .addSelect('MAX(l.createdAt)', 'lastAt')
      .addSelect('MAX(l.maskedText)', 'example')
      .groupBy('l.normalizedText')
      .addGroupBy('l.unitId');
    const totalRow = await this.ds
      .createQueryBuilder()
      .select('COUNT(*)', 'n')
      .from(`(${grouped.getQuery()})`, 'g')
      .setParameters(grouped.getParameters())
      .getRawOne<{ n: string | number }>();
    const { skip, take } = pageOffset(q);
    const rows = await grouped.orderBy('n', 'DESC').addOrderBy('firstAt', 'ASC').offset(skip).limit(take).getRawMany<{
      normalizedText: string;
      unitId: string;
      n: string | number;
      firstAt: string | Date;
      lastAt: string | Date;
      example: string;
    }>();
    return {
      items: rows.map((r) => ({
        normalizedText: r.normalizedText,
        example: r.example,
        unitId: r.unitId,
        count: Number(r.n),
        firstAskedAt: toDate(r.firstAt),
        lastAskedAt: toDate(r.lastAt),
      })),
      total: Number(totalRow?.n ?? 0),
    };
  }

  /**
   * Citizens' wordings to offer as similar questions of an entry (相似问法建议): questions asked
   * through the channels (API keys) within the owner unit's subtree over the last 180 days, clustered
   * by normalized text, that read like the entry's question or that the search answered with the
   * entry itself. Only what the caller may write for; texts that had personal data masked are left
   * out (a similar question is published with the entry).
   */
  async similarQuestions(
    actor: Actor,
    input: { q: string; unitId: string; entryId?: string; limit?: number },
  ): Promise<{ items: QaSimilarQuestion[] }> {
    const unit = await this.ds.getRepository(Unit).findOne({ where: { id: input.unitId } });
    const scope = actor.scope(Permission.QaWrite);
    if (!unit || !pathInScope(unit.path, scope)) throw new KnowledgeException(KnowledgeError.UnitNotFound);
    const index = await this.sync.ready();
    if (!index) throw new KnowledgeException(KnowledgeError.IndexBuilding);
    const since = new Date(this.clock.now().getTime() - SIMILAR_WINDOW_DAYS * 86_400_000);
    const qb = this.ds
      .getRepository(QaQueryLog)
      .createQueryBuilder('l')
      .select(['l.maskedText', 'l.normalizedText', 'l.results', 'l.createdAt'])
      .where('l.apiKeyId IS NOT NULL')
      .andWhere('l.unitPath LIKE :sub', { sub: `${unit.path}%` })
      .andWhere('l.createdAt >= :since', { since });
    whereInScope(qb, 'l.unitPath', scope);
    const rows = await qb.orderBy('l.createdAt', 'DESC').limit(SIMILAR_SCAN_ROWS).getMany();
    const own = index.normalize(input.q);
    const clusters = new Map<string, { text: string; count: number; lastAskedAt: Date; answeredWithEntry: number }>();
    for (const r of rows) {
      if (r.normalizedText === own || /\[(手机号|身份证号|银行卡号)\]/.test(r.maskedText)) continue;
      const c = clusters.get(r.normalizedText) ?? { text: r.maskedText, count: 0, lastAskedAt: r.createdAt, answeredWithEntry: 0 };
      c.count++;
      if (input.entryId && r.results[0]?.entryId === input.entryId) c.answeredWithEntry++;
      clusters.set(r.normalizedText, c);
    }
    const items: QaSimilarQuestion[] = [];
    for (const c of clusters.values()) {
      const similarity = index.textSimilarity(input.q, c.text);
      const answeredWithEntry = c.answeredWithEntry > 0;
      if (similarity < SIMILAR_MIN && !answeredWithEntry) continue;
      items.push({
        text: c.text,
        count: c.count,
        lastAskedAt: c.lastAskedAt,
        similarity: Math.round(similarity * 1000) / 1000,
        answeredWithEntry,
      });
    }
    // The entry's own answers first (citizens found it with these words), then by likeness and count.
    items.sort(
      (a, b) =>
        Number(b.answeredWithEntry) - Number(a.answeredWithEntry) ||
        b.similarity - a.similarity ||
        b.count - a.count ||
        a.text.localeCompare(b.text),
    );
    return { items: items.slice(0, input.limit ?? 10) };
  }

  /**
   * Closes the gaps of one cluster (normalized text) routed to units the caller writes for, with
   * the entry written to answer them. Returns how many queries it closed.
   */
  async resolveGap(actor: Actor, normalizedText: string, entryId: string): Promise<number> {
    const qb = this.ds
      .getRepository(QaQueryLog)
      .createQueryBuilder()
      .update(QaQueryLog)
      .set({ gap: false, resolvedByEntryId: entryId })
      .where('gap = :gap AND normalizedText = :t', { gap: true, t: normalizedText });
    const scope = actor.scope(Permission.QaWrite);
    if (scope.length === 0) return 0;
    qb.andWhere(
      `(${scope.map((_, i) => `unitPath LIKE :gs${i}`).join(' OR ')})`,
      Object.fromEntries(scope.map((p, i) => [`gs${i}`, `${p}%`])),
    );
    return (await qb.execute()).affected ?? 0;
  }

  private async askingUnit(actor: Actor, unitId: string | undefined, key: ApiKey | null): Promise<Unit> {
    const units = this.ds.getRepository(Unit);
    if (key) {
      if (!(key.scopes ?? []).includes('qa:query')) throw new KnowledgeException(KnowledgeError.KeyScopeMissing);
      const unit = await units.findOne({ where: { id: unitId ?? key.unitId } });
      if (!unit) throw new KnowledgeException(KnowledgeError.UnitNotFound);
      if (!unit.path.startsWith(key.unitPath)) throw new KnowledgeException(KnowledgeError.KeyOutOfUnit);
      return unit;
    }
    const unit = await units.findOne({ where: { id: unitId ?? actor.unitId } });
    if (!unit || !pathInScope(unit.path, [...actor.scope(Permission.QaRead), ...actor.scope(Permission.QaWrite)])) {
      throw new KnowledgeException(KnowledgeError.UnitNotFound);
    }
    return unit;
  }

  private async answers(hits: QaSearchHit[], channel: QaChannel | undefined): Promise<Map<string, QaAnswer>> {
    const out = new Map<string, QaAnswer>();
    if (hits.length === 0) return out;
    const entries = await this.ds.getRepository(QaEntry).find({ where: { id: In(hits.map((h) => h.entryId)) } });
    const liveIds = entries.map((e) => e.liveVersionId).filter((v): v is string => !!v);
    const versions = liveIds.length ? await this.ds.getRepository(QaEntryVersion).find({ where: { id: In(liveIds) } }) : [];
    for (const h of hits) {
      const e = entries.find((x) => x.id === h.entryId);
      const v = e && versions.find((x) => x.id === e.liveVersionId);
      // Archived between the index refresh and now: not offered.
      if (!v) continue;
      const channelAnswer = channel ? (v.channelAnswers[channel] ?? null) : null;
      out.set(h.entryId, {
        entryId: h.entryId,
        question: v.question,
        answer: channelAnswer ?? v.answerHtml,
        answerHtml: v.answerHtml,
        channelAnswer,
        policyBasis: v.policyBasis.map((b) => ({ title: b.title, docNumber: b.docNumber ?? null, url: b.url ?? null })),
        score: h.score,
        matchedQuestion: h.matchedQuestion,
      });
    }
    return out;
  }
}

/** How far back citizens' questions are read for similar-question suggestions, and how many at most. */
const SIMILAR_WINDOW_DAYS = 180;
const SIMILAR_SCAN_ROWS = 5000;
/** Below this likeness a citizen's question is not offered (unless the search answered it with the entry). */
const SIMILAR_MIN = 0.3;

export interface QaSimilarQuestion {
  /** The citizen's wording (latest of its cluster). */
  text: string;
  count: number;
  lastAskedAt: Date;
  /** Dice likeness to the entry's question, 0..1. */
  similarity: number;
  /** The search answered (some of) these questions with the entry itself. */
  answeredWithEntry: boolean;
}

function toDate(v: string | Date): Date {
  return v instanceof Date ? v : new Date(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
