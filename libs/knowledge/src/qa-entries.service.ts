import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, MoreThan, Not } from 'typeorm';
import { Clock, CommonError, CommonException, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { ReviewCategory, ReviewService, sanitizeBody } from '@tongfa/manuscripts';
import {
  QaCategory,
  QaChannelAnswers,
  QaEntry,
  QaEntryStatus,
  QaEntryVersion,
  QaPolicyBasis,
  QaPolicyCitation,
  QaPolicyDocument,
  QaReviewDecision,
} from './entities';
import { KnowledgeError, KnowledgeException } from './knowledge.exception';
import { bumpSequence, SEARCH_SEQUENCE } from './qa-sequence';

export interface QaEntryInput {
  question: string;
  similarQuestions?: string[];
  /** Rich text; sanitized like manuscript bodies. */
  answer: string;
  channelAnswers?: QaChannelAnswers;
  /** A qa_category id. */
  category?: string | null;
  /** The owner unit; default the editor's unit. */
  unitId?: string;
  keywords?: string[];
  policyBasis?: { title: string; docNumber?: string | null; url?: string | null }[];
  effectiveFrom?: Date | null;
  effectiveUntil?: Date | null;
  overridesEntryId?: string | null;
  internalNote?: string | null;
}

export interface QaEntryListQuery extends PageQuery {
  status?: QaEntryStatus;
  category?: string;
  unitId?: string;
  /** Live entries whose validity ends within this many days. */
  expiringWithinDays?: number;
  needsReview?: boolean;
  q?: string;
}

export interface QaEntryView {
  id: string;
  unitId: string;
  status: QaEntryStatus;
  version: number;
  question: string;
  category: string | null;
  overridesEntryId: string | null;
  needsReview: boolean;
  lastDecision: 'approve' | 'reject' | null;
  liveVersionId: string | null;
  liveUntil: Date | null;
  current: QaEntryVersion;
  /** The published version when it is not the current one (an edit waiting for review). */
  live: QaEntryVersion | null;
  updatedAt: Date;
}

const STEP_NAMES: Record<number, string> = { 1: '初审', 2: '复审', 3: '终审' };

/**
 * 答问 (Q&A entries) and their immutable versions, reviewed through the owner unit's `qa` review
 * chain (the manuscripts' per-unit chains, category qa). The published version stays live while
 * its successor is drafted and reviewed; search sees only live versions (QaIndexSync).
 */
@Injectable()
export class QaEntriesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly review: ReviewService,
  ) {}

  async create(actor: Actor, input: QaEntryInput, manager?: EntityManager): Promise<QaEntryView> {
    const run = async (m: EntityManager) => {
      const unit = await this.editorUnit(m, actor, input.unitId);
      const id = newId();
      await this.checkOverride(m, unit, input.overridesEntryId ?? null);
      const version = await this.makeVersion(m, id, 1, actor.userId, input);
      const entry = m.create(QaEntry, {
        id,
        unitId: unit.id,
        unitPath: unit.path,
        status: QaEntryStatus.Draft,
        question: version.question,
        categoryId: version.categoryId,
        overridesEntryId: version.overridesEntryId,
        currentVersionId: version.id,
        currentVersionNumber: 1,
        liveVersionId: null,
        liveUntil: null,
        expiryRemindedAt: null,
        needsReview: false,
        authorId: actor.userId,
        chain: null,
        approvedSteps: null,
        submittedAt: null,
        lastDecision: null,
        searchSeq: 0,
      });
      await m.insert(QaEntryVersion, version);
      await m.insert(QaEntry, entry);
      await this.cite(m, id, [version]);
      return this.view(m, entry);
    };
    return manager ? run(manager) : this.ds.transaction(run);
  }

  /** Saves a new version from the current one and the changes; a published entry stays live meanwhile. */
  async update(actor: Actor, id: string, changes: Partial<QaEntryInput>): Promise<QaEntryView> {
    return this.ds.transaction(async (m) => {
      const entry = await this.find(m, actor, id);
      this.assertEditor(actor, entry);
      if (entry.status === QaEntryStatus.Archived) throw new KnowledgeException(KnowledgeError.NotEditable, { status: entry.status });
      const cur = await m.findOneByOrFail(QaEntryVersion, { id: entry.currentVersionId });
      const merged: QaEntryInput = {
        question: changes.question ?? cur.question,
        similarQuestions: changes.similarQuestions ?? cur.similarQuestions,
        answer: changes.answer ?? cur.answerHtml,
        channelAnswers: changes.channelAnswers ?? cur.channelAnswers,
        category: changes.category !== undefined ? changes.category : cur.categoryId,
        keywords: changes.keywords ?? cur.keywords,
        policyBasis: changes.policyBasis ?? cur.policyBasis,
        effectiveFrom: changes.effectiveFrom !== undefined ? changes.effectiveFrom : cur.effectiveFrom,
        effectiveUntil: changes.effectiveUntil !== undefined ? changes.effectiveUntil : cur.effectiveUntil,
        overridesEntryId: changes.overridesEntryId !== undefined ? changes.overridesEntryId : cur.overridesEntryId,
        internalNote: changes.internalNote !== undefined ? changes.internalNote : cur.internalNote,
      };
      const unit = await m.findOneByOrFail(Unit, { id: entry.unitId });
      await this.checkOverride(m, unit, merged.overridesEntryId ?? null, entry.id);
      const version = await this.makeVersion(m, entry.id, entry.currentVersionNumber + 1, actor.userId, merged);
      await m.insert(QaEntryVersion, version);
      // Any edit restarts the review: an approval covers one version only.
      const res = await m
        .createQueryBuilder()
        .update(QaEntry)
        .set({
          status: QaEntryStatus.Draft,
          question: version.question,
          categoryId: version.categoryId,
          overridesEntryId: version.overridesEntryId,
          currentVersionId: version.id,
          currentVersionNumber: version.number,
          chain: null,
          approvedSteps: null,
          lastDecision: null,
          revision: entry.revision + 1,
        })
        .where('id = :id AND revision = :rev', { id: entry.id, rev: entry.revision })
        .execute();
      if (!res.affected) throw new KnowledgeException(KnowledgeError.Concurrent);
      const live = entry.liveVersionId ? await m.findOneByOrFail(QaEntryVersion, { id: entry.liveVersionId }) : null;
      await this.cite(m, entry.id, live ? [version, live] : [version]);
      return this.view(m, await m.findOneByOrFail(QaEntry, { id }));
    });
  }

  async get(actor: Actor, id: string): Promise<QaEntryView> {
    const entry = await this.find(this.ds.manager, actor, id);
    return this.view(this.ds.manager, entry);
  }

  async versions(actor: Actor, id: string): Promise<QaEntryVersion[]> {
    await this.find(this.ds.manager, actor, id);
    return this.ds.getRepository(QaEntryVersion).find({ where: { entryId: id }, order: { number: 'DESC' } });
  }

  async list(actor: Actor, q: QaEntryListQuery): Promise<Page<QaEntry>> {
    const qb = this.ds.getRepository(QaEntry).createQueryBuilder('e');
    whereInScope(qb, 'e.unitPath', actor.scope(Permission.QaRead));
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.category) qb.andWhere('e.categoryId = :category', { category: q.category });
    if (q.unitId) qb.andWhere('e.unitId = :unitId', { unitId: q.unitId });
    if (q.needsReview !== undefined) qb.andWhere('e.needsReview = :nr', { nr: q.needsReview });
    if (q.expiringWithinDays !== undefined) {
      const now = this.clock.now();
      qb.andWhere('e.liveVersionId IS NOT NULL AND e.liveUntil > :now AND e.liveUntil <= :until', {
        now,
        until: new Date(now.getTime() + q.expiringWithinDays * 86_400_000),
      });
    }
    if (q.q) qb.andWhere('e.question LIKE :q', { q: `%${q.q.replace(/[\\%_]/g, '')}%` });
    qb.orderBy('e.updatedAt', 'DESC').addOrderBy('e.id', 'ASC');
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(qb, skip, take);
    return { items, total };
  }

  /** Sends the current version to review through the owner unit's `qa` chain. */
  async submit(actor: Actor, id: string, manager?: EntityManager): Promise<QaEntryView> {
    const run = async (m: EntityManager) => {
      const entry = await this.find(m, actor, id);
      this.assertEditor(actor, entry);
      if (entry.status !== QaEntryStatus.Draft) throw new KnowledgeException(KnowledgeError.NotSubmittable, { status: entry.status });
      const unit = await m.findOneByOrFail(Unit, { id: entry.unitId });
      const chain = await this.review.chainFor(m, unit, ReviewCategory.Qa);
      const res = await m
        .createQueryBuilder()
        .update(QaEntry)
        .set({
          status: QaEntryStatus.InReview,
          chain: { steps: chain.steps.map((s) => ({ level: s.level, name: s.name || STEP_NAMES[s.level] || `${s.level}` })) },
          approvedSteps: [],
          submittedAt: this.clock.now(),
          lastDecision: null,
          revision: entry.revision + 1,
        })
        .where('id = :id AND revision = :rev', { id: entry.id, rev: entry.revision })
        .execute();
      if (!res.affected) throw new KnowledgeException(KnowledgeError.Concurrent);
      return this.view(m, await m.findOneByOrFail(QaEntry, { id }));
    };
    return manager ? run(manager) : this.ds.transaction(run);
  }

  /**
   * A reviewer's decision on the open step they may take. The last approval publishes the
   * version (it replaces the live one in search); a rejection returns the draft to its editors
   * while the live version, if any, stays.
   */
  async decide(
    actor: Actor,
    id: string,
    input: { decision: 'approve' | 'reject'; comment?: string | null },
  ): Promise<{ entry: QaEntryView; decision: QaReviewDecision }> {
    return this.ds.transaction(async (m) => {
      const entry = await this.find(m, actor, id);
      if (entry.status !== QaEntryStatus.InReview || !entry.chain) throw new KnowledgeException(KnowledgeError.NotInReview);
      // Reviewer independence (审核独立): no author of a version under review decides it.
      const since = entry.liveVersionId ? (await m.findOneByOrFail(QaEntryVersion, { id: entry.liveVersionId })).number : 0;
      const wrote = await m
        .createQueryBuilder(QaEntryVersion, 'v')
        .where('v.entryId = :id AND v.authorId = :me AND v.number > :since', { id, me: actor.userId, since })
        .getCount();
      if (wrote > 0) throw new KnowledgeException(KnowledgeError.OwnEntry);
      const decided = await m.find(QaReviewDecision, { where: { versionId: entry.currentVersionId } });
      if (decided.some((d) => d.reviewerId === actor.userId)) throw new KnowledgeException(KnowledgeError.TwoSteps);
      const levels = actor.grants.filter((g) => g.role === Role.Reviewer && entry.unitPath.startsWith(g.unitPath)).map((g) => g.level);
      const open = entry.chain.steps.map((_, i) => i).filter((i) => !(entry.approvedSteps ?? []).includes(i));
      // Steps go in order: only the first open step may be decided.
      const step = open[0];
      if (step === undefined || !levels.includes(entry.chain.steps[step].level)) {
        throw new KnowledgeException(KnowledgeError.NotYourStep, { level: step !== undefined ? entry.chain.steps[step].level : '-' });
      }
      const decision = m.create(QaReviewDecision, {
        id: newId(),
        entryId: id,
        versionId: entry.currentVersionId,
        step,
        level: entry.chain.steps[step].level,
        reviewerId: actor.userId,
        decision: input.decision,
        comment: input.comment ?? null,
      });
      // The unique (versionId, step) index turns a concurrent second decision into an error.
      await m.insert(QaReviewDecision, decision);
      const set: Partial<QaEntry> = { revision: entry.revision + 1, lastDecision: input.decision };
      if (input.decision === 'reject') {
        set.status = QaEntryStatus.Draft;
      } else {
        set.approvedSteps = [...(entry.approvedSteps ?? []), step].sort((a, b) => a - b);
        if (set.approvedSteps.length === entry.chain.steps.length) {
          const version = await m.findOneByOrFail(QaEntryVersion, { id: entry.currentVersionId });
          Object.assign(set, {
            status: QaEntryStatus.Published,
            liveVersionId: version.id,
            liveUntil: version.effectiveUntil,
            expiryRemindedAt: null,
            needsReview: false,
            searchSeq: await bumpSequence(m, SEARCH_SEQUENCE),
          });
          await this.cite(m, id, [version]);
        }
      }
      const res = await m
        .createQueryBuilder()
        .update(QaEntry)
        .set(set)
        .where('id = :id AND revision = :rev', { id, rev: entry.revision })
        .execute();
      if (!res.affected) throw new KnowledgeException(KnowledgeError.Concurrent);
      return { entry: await this.view(m, await m.findOneByOrFail(QaEntry, { id })), decision };
    });
  }

  /** Takes an entry out of the library (and out of search). */
  async archive(actor: Actor, id: string): Promise<QaEntryView> {
    return this.ds.transaction(async (m) => {
      const entry = await this.find(m, actor, id);
      this.assertEditor(actor, entry);
      await m.update(
        QaEntry,
        { id },
        {
          status: QaEntryStatus.Archived,
          liveVersionId: null,
          liveUntil: null,
          searchSeq: await bumpSequence(m, SEARCH_SEQUENCE),
          revision: entry.revision + 1,
        },
      );
      await m.delete(QaPolicyCitation, { entryId: id });
      return this.view(m, await m.findOneByOrFail(QaEntry, { id }));
    });
  }

  async history(actor: Actor, id: string): Promise<QaReviewDecision[]> {
    await this.find(this.ds.manager, actor, id);
    return this.ds.getRepository(QaReviewDecision).find({ where: { entryId: id }, order: { createdAt: 'ASC' } });
  }

  /** An entry in the caller's read scope (or one they may edit), else not found. */
  async find(m: EntityManager, actor: Actor, id: string): Promise<QaEntry> {
    const entry = await m.findOne(QaEntry, { where: { id } });
    if (!entry || !(pathInScope(entry.unitPath, actor.scope(Permission.QaRead)) || actor.canAt(Permission.QaWrite, entry.unitPath))) {
      throw new KnowledgeException(KnowledgeError.EntryNotFound);
    }
    return entry;
  }

  assertEditor(actor: Actor, entry: QaEntry): void {
    if (!actor.canAt(Permission.QaWrite, entry.unitPath)) throw new KnowledgeException(KnowledgeError.NotEditor);
  }

  async view(m: EntityManager, entry: QaEntry): Promise<QaEntryView> {
    const ids = [entry.currentVersionId, entry.liveVersionId].filter((v): v is string => !!v);
    const versions = await m.find(QaEntryVersion, { where: { id: In(ids) } });
    const current = versions.find((v) => v.id === entry.currentVersionId)!;
    const live =
      entry.liveVersionId && entry.liveVersionId !== entry.currentVersionId ? versions.find((v) => v.id === entry.liveVersionId)! : null;
    return {
      id: entry.id,
      unitId: entry.unitId,
      status: entry.status,
      version: entry.currentVersionNumber,
      question: entry.question,
      category: entry.categoryId,
      overridesEntryId: entry.overridesEntryId,
      needsReview: entry.needsReview,
      lastDecision: entry.lastDecision,
      liveVersionId: entry.liveVersionId,
      liveUntil: entry.liveUntil,
      current,
      live,
      updatedAt: entry.updatedAt,
    };
  }

  /** The unit to write for: the given one (where the actor is an editor) or the actor's own. */
  async editorUnit(m: EntityManager, actor: Actor, unitId?: string): Promise<Unit> {
    const id = unitId ?? actor.grants.find((g) => g.role === Role.Editor)?.unitId ?? actor.unitId;
    const unit = await m.findOne(Unit, { where: { id } });
    if (!unit || !actor.canAt(Permission.QaWrite, unit.path)) {
      if (unit && actor.canAt(Permission.UnitRead, unit.path)) throw new CommonException(CommonError.Forbidden);
      throw new KnowledgeException(KnowledgeError.UnitNotFound);
    }
    return unit;
  }

  /** An override names a published entry owned by a strict ancestor of the unit. */
  private async checkOverride(m: EntityManager, unit: Unit, targetId: string | null, selfId?: string): Promise<void> {
    if (!targetId) return;
    const target = await m.findOne(QaEntry, { where: { id: targetId, liveVersionId: Not(IsNull()) } });
    const ok = target && target.id !== selfId && target.unitPath !== unit.path && unit.path.startsWith(target.unitPath);
    if (!ok)
      throw new KnowledgeException(KnowledgeError.OverrideInvalid, {}, [
        { field: 'overridesEntryId', message: '须为上级单位已发布的答问' },
      ]);
  }

  private async makeVersion(
    m: EntityManager,
    entryId: string,
    number: number,
    authorId: string,
    input: QaEntryInput,
  ): Promise<QaEntryVersion> {
    const from = input.effectiveFrom ?? null;
    const until = input.effectiveUntil ?? null;
    if (from && until && until.getTime() <= from.getTime()) {
      throw new KnowledgeException(KnowledgeError.DatesInvalid, {}, [
        { field: 'effectiveUntil', message: '须晚于生效时间 / after effectiveFrom' },
      ]);
    }
    if (input.category && !(await m.exists(QaCategory, { where: { id: input.category } }))) {
      throw new KnowledgeException(KnowledgeError.CategoryNotFound, {}, [{ field: 'category', message: '分类不存在 / unknown category' }]);
    }
    const clean = (list: string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];
    const plain = (s: string | null | undefined) => (s ? s.replace(/<[^>]*>/g, '').trim() || null : null);
    return m.create(QaEntryVersion, {
      id: newId(),
      entryId,
      number,
      question: input.question.trim(),
      similarQuestions: clean(input.similarQuestions),
      answerHtml: sanitizeBody(input.answer),
      // Channel answers are plain text: markup would show as-is in a message or on the phone.
      channelAnswers: {
        newMedia: plain(input.channelAnswers?.newMedia),
        web: plain(input.channelAnswers?.web),
        hotline: plain(input.channelAnswers?.hotline),
      },
      categoryId: input.category ?? null,
      keywords: clean(input.keywords),
      policyBasis: await this.resolveDocuments(m, input.policyBasis ?? []),
      effectiveFrom: from,
      effectiveUntil: until,
      overridesEntryId: input.overridesEntryId ?? null,
      internalNote: input.internalNote ?? null,
      authorId,
    });
  }

  /** Each cited document becomes (or finds) its qa_policy_document row, by 文号 or else title. */
  private async resolveDocuments(m: EntityManager, basis: QaEntryInput['policyBasis'] & object): Promise<QaPolicyBasis[]> {
    const out: QaPolicyBasis[] = [];
    for (const b of basis) {
      const title = b.title.trim();
      const docNumber = b.docNumber?.trim() || null;
      const citationKey = (docNumber ?? title).slice(0, 300);
      let doc = await m.findOne(QaPolicyDocument, { where: { citationKey } });
      if (!doc) {
        doc = m.create(QaPolicyDocument, {
          id: newId(),
          title,
          docNumber,
          url: b.url ?? null,
          citationKey,
          repealed: false,
          repealedAt: null,
        });
        await m.insert(QaPolicyDocument, doc);
      }
      out.push({ title, docNumber, url: b.url ?? null, documentId: doc.id });
    }
    return out;
  }

  /** Rewrites which documents the entry cites: those of its current and live versions. */
  private async cite(m: EntityManager, entryId: string, versions: QaEntryVersion[]): Promise<void> {
    await m.delete(QaPolicyCitation, { entryId });
    const ids = [...new Set(versions.flatMap((v) => v.policyBasis.map((b) => b.documentId).filter((d): d is string => !!d)))];
    if (ids.length)
      await m.insert(
        QaPolicyCitation,
        ids.map((documentId) => ({ entryId, documentId })),
      );
  }

  /** Entries whose search view changed after `seq` (all when 0), with their live versions. */
  async changedSince(seq: number): Promise<{ entries: QaEntry[]; versions: Map<string, QaEntryVersion>; maxSeq: number }> {
    const entries = await this.ds.getRepository(QaEntry).find({
      where: seq > 0 ? { searchSeq: MoreThan(seq) } : { liveVersionId: Not(IsNull()) },
    });
    const ids = entries.map((e) => e.liveVersionId).filter((v): v is string => !!v);
    const versions = new Map<string, QaEntryVersion>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const v of await this.ds.getRepository(QaEntryVersion).find({ where: { id: In(ids.slice(i, i + 500)) } })) versions.set(v.id, v);
    }
    return { entries, versions, maxSeq: entries.reduce((mx, e) => Math.max(mx, e.searchSeq), seq) };
  }
}
