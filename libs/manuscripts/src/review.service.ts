import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock, CommonError, CommonException, newId } from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import {
  ChainStep,
  Manuscript,
  ManuscriptCategory,
  ManuscriptStatus,
  ManuscriptVersion,
  ReviewChain,
  ReviewCategory,
  ReviewChainMinimum,
  ReviewDecision,
} from './entities';
import { ManuscriptError, ManuscriptException } from './manuscripts.exception';
import { ManuscriptsService } from './manuscripts.service';
import { ComplianceGate, ComplianceVerdict } from './compliance-gate';
import { complianceSubjectOf } from './adaptations';
import { ReviewEscalation } from './review-escalation.service';
import { ManuscriptHooks } from './manuscript-hooks';
import { mayDecide, nextEscalationDue, openSteps } from './review-steps';

export interface ChainView {
  category: ReviewCategory;
  steps: ChainStep[];
  parallel: boolean;
  /** Where the chain comes from: this unit, an ancestor, or the built-in default. */
  inheritedFrom: string | null;
  isDefault: boolean;
  /** The province's minimum number of steps for the category; shorter chains are never applied. */
  minSteps: number;
}

export const CATEGORY_NAMES: Record<ReviewCategory, { zh: string; en: string }> = {
  [ManuscriptCategory.Policy]: { zh: '政策解读', en: 'policy interpretation' },
  [ManuscriptCategory.News]: { zh: '工作动态', en: 'work news' },
  [ManuscriptCategory.Notice]: { zh: '通知公告', en: 'notices' },
  [ManuscriptCategory.Emergency]: { zh: '突发事件', en: 'emergencies' },
  [ManuscriptCategory.Reprint]: { zh: '转载', en: 'reprints' },
  [ReviewCategory.Qa]: { zh: '答问', en: 'Q&A entries' },
};

/** The highest reviewer level (终审): a chain has at most this many steps. */
export const MAX_REVIEW_LEVEL = 3;

/** Built-in minimum steps per category until the province sets its own: 三审 for policy and emergencies. */
export function defaultMinimum(category: ReviewCategory): number {
  return category === ManuscriptCategory.Policy || category === ManuscriptCategory.Emergency ? 3 : 1;
}

export interface ChainMinimumView {
  category: ReviewCategory;
  minSteps: number;
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

const STEP_NAMES: Record<number, string> = { 1: '初审', 2: '复审', 3: '终审' };

/**
 * 分级分类审核 defaults: three steps for policy interpretation and emergencies, one for 答问 (an
 * answer's owner unit vouches for it; units add steps as they see fit), two for the rest.
 */
export function defaultChain(category: ReviewCategory): { steps: ChainStep[]; parallel: boolean } {
  const levels =
    category === ManuscriptCategory.Policy || category === ManuscriptCategory.Emergency
      ? [1, 2, 3]
      : category === ReviewCategory.Qa
        ? [1]
        : [1, 2];
  return {
    steps: levels.map((level) => ({
      level,
      name: STEP_NAMES[level]!,
      limitMinutes: category === ManuscriptCategory.Emergency ? 30 : null,
    })),
    parallel: category === ManuscriptCategory.Emergency,
  };
}

export interface PendingItem {
  manuscriptId: string;
  title: string;
  category: ManuscriptCategory;
  unitId: string;
  versionId: string;
  versionNumber: number;
  step: number;
  stepName: string;
  level: number;
  /** Overdue and escalated: a reviewer one level up may decide it. */
  escalated: boolean;
  submittedAt: Date | null;
}

/**
 * Review in order (三审): submit runs the compliance checks and fixes the unit's chain on the
 * manuscript; each step needs a reviewer of its level over the unit, never the author nor anyone
 * who wrote a version of the current cycle, never one person for two steps of a version. The last approval makes the version publishable.
 */
@Injectable()
export class ReviewService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly manuscripts: ManuscriptsService,
    private readonly compliance: ComplianceGate,
    private readonly escalation: ReviewEscalation,
    private readonly hooks: ManuscriptHooks,
  ) {}

  async chains(actor: Actor, unitId: string): Promise<ChainView[]> {
    const unit = await this.unitIn(actor, Permission.ManuscriptRead, unitId, Permission.ReviewChainManage);
    const minimums = await this.minimumSteps(this.ds.manager);
    return Promise.all(Object.values(ReviewCategory).map((c) => this.chainFor(this.ds.manager, unit, c, minimums)));
  }

  async setChains(
    actor: Actor,
    unitId: string,
    chains: { category: ReviewCategory; steps: ChainStep[]; parallel?: boolean }[],
  ): Promise<ChainView[]> {
    const unit = await this.unitIn(actor, Permission.ReviewChainManage, unitId);
    const minimums = await this.minimumSteps(this.ds.manager);
    chains.forEach((c, i) => {
      if (c.steps.length === 0)
        throw new ManuscriptException(ManuscriptError.ChainInvalid, { reason: '至少一个审核环节 / at least one step' });
      const levels = c.steps.map((s) => s.level);
      if (new Set(levels).size !== levels.length)
        throw new ManuscriptException(ManuscriptError.ChainInvalid, { reason: '级别不能重复 / levels repeat' });
      const min = minimums[c.category];
      if (c.steps.length < min) {
        const name = CATEGORY_NAMES[c.category];
        throw new ManuscriptException(ManuscriptError.ChainBelowMinimum, { category: name.zh, categoryEn: name.en, min }, [
          { field: `chains[${i}].steps`, message: `“${name.zh}”至少 ${min} 个审核环节 / at least ${min} steps` },
        ]);
      }
    });
    await this.ds.transaction(async (m) => {
      for (const c of chains) {
        const existing = await m.findOne(ReviewChain, { where: { unitId: unit.id, category: c.category } });
        const steps = c.steps.map((s) => ({
          level: s.level,
          name: s.name || STEP_NAMES[s.level] || `第${s.level}级`,
          limitMinutes: s.limitMinutes ?? null,
        }));
        await m.save(
          ReviewChain,
          m.create(ReviewChain, {
            id: existing?.id ?? newId(),
            unitId: unit.id,
            unitPath: unit.path,
            category: c.category,
            steps,
            parallel: c.parallel ?? c.category === ManuscriptCategory.Emergency,
            updatedBy: actor.userId,
          }),
        );
      }
    });
    return this.chains(actor, unitId);
  }

  /** Submits the current version: blocking findings stop it; otherwise the review starts. */
  async submit(actor: Actor, id: string): Promise<{ manuscript: Manuscript; verdict: ComplianceVerdict }> {
    const pre = await this.manuscripts.find(this.ds.manager, actor, id);
    this.manuscripts.assertEditor(actor, pre);
    if (![ManuscriptStatus.Draft, ManuscriptStatus.Rejected].includes(pre.status)) {
      throw new ManuscriptException(ManuscriptError.NotSubmittable, { status: pre.status });
    }
    const version = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: pre.currentVersionId });
    const verdict = await this.compliance.check({ ...complianceSubjectOf(version), unitPath: pre.unitPath }, { phase: 'submit' });
    if (verdict.blocking.length > 0) {
      throw new ManuscriptException(
        ManuscriptError.ComplianceBlocked,
        { count: verdict.blocking.length },
        verdict.blocking.map((f) => ({ field: 'body', code: f.id, message: f.message.zh })),
      );
    }
    const manuscript = await this.ds.transaction(async (m) => {
      const ms = await m.findOneByOrFail(Manuscript, { id });
      if (ms.revision !== pre.revision) throw new ManuscriptException(ManuscriptError.Concurrent);
      const unit = await m.findOneByOrFail(Unit, { id: ms.unitId });
      const chain = await this.chainFor(m, unit, version.category);
      ms.status = ManuscriptStatus.InReview;
      ms.chain = { steps: chain.steps, parallel: chain.parallel };
      ms.approvedSteps = [];
      ms.escalatedSteps = [];
      ms.submittedAt = this.clock.now();
      ms.escalationDueAt = nextEscalationDue(ms, ms.submittedAt);
      return m.save(ms);
    });
    await this.escalation.schedule(manuscript);
    await this.hooks.reviewed({ kind: 'submitted', manuscript, actorId: actor.userId });
    return { manuscript, verdict };
  }

  /**
   * Records a reviewer's decision on the step they may act on. Approve moves on (or, on the last
   * step, approves the version); reject returns the manuscript to the editor with the comment.
   */
  async decide(
    actor: Actor,
    id: string,
    input: { decision: 'approve' | 'reject'; comment?: string | null; versionId?: string; acknowledged?: string[] },
  ): Promise<{ manuscript: Manuscript; decision: ReviewDecision }> {
    const result = await this.ds.transaction(async (m) => {
      const ms = await this.manuscripts.find(m, actor, id);
      if (ms.status !== ManuscriptStatus.InReview || !ms.chain) throw new ManuscriptException(ManuscriptError.NotInReview);
      if (input.versionId && input.versionId !== ms.currentVersionId) {
        throw new ManuscriptException(ManuscriptError.StaleVersion, { current: ms.currentVersionNumber });
      }
      if (ms.authorId === actor.userId) throw new ManuscriptException(ManuscriptError.OwnManuscript);
      const written = (await this.writtenThisCycle(m, [ms], actor.userId)).get(ms.id);
      if (written) throw new ManuscriptException(ManuscriptError.OwnVersion, { versions: written.join('、') });
      const already = await m.find(ReviewDecision, { where: { versionId: ms.currentVersionId } });
      if (already.some((d) => d.reviewerId === actor.userId)) throw new ManuscriptException(ManuscriptError.TwoSteps);
      const step = this.stepFor(actor, ms);
      if (step === null) {
        const next = openSteps(ms)[0];
        throw new ManuscriptException(ManuscriptError.NotYourStep, { level: next !== undefined ? ms.chain.steps[next]!.level : '-' });
      }
      if (input.decision === 'approve') {
        const version = await m.findOneByOrFail(ManuscriptVersion, { id: ms.currentVersionId });
        const verdict = await this.compliance.check(
          { ...complianceSubjectOf(version), unitPath: ms.unitPath },
          { phase: 'approve', acknowledged: input.acknowledged ?? [] },
        );
        if (verdict.blocking.length > 0) {
          throw new ManuscriptException(
            ManuscriptError.ComplianceBlocked,
            { count: verdict.blocking.length },
            verdict.blocking.map((f) => ({ field: 'body', code: f.id, message: f.message.zh })),
          );
        }
        const missing = verdict.warnings.filter((w) => !(input.acknowledged ?? []).includes(w.id));
        if (missing.length > 0) {
          throw new ManuscriptException(
            ManuscriptError.WarningsUnacknowledged,
            { count: missing.length },
            missing.map((w) => ({ field: 'acknowledged', code: w.id, message: w.message.zh })),
          );
        }
      }
      const decision = m.create(ReviewDecision, {
        id: newId(),
        manuscriptId: ms.id,
        versionId: ms.currentVersionId,
        step,
        level: ms.chain.steps[step]!.level,
        reviewerId: actor.userId,
        decision: input.decision,
        comment: input.comment ?? null,
        acknowledged: input.acknowledged ?? [],
      });
      // The unique (versionId, step) index makes a concurrent second decision on the step fail.
      await m.insert(ReviewDecision, decision);
      if (input.decision === 'reject') {
        ms.status = ManuscriptStatus.Rejected;
      } else {
        ms.approvedSteps = [...(ms.approvedSteps ?? []), step].sort((a, b) => a - b);
        if (ms.approvedSteps.length === ms.chain.steps.length) {
          ms.status = ManuscriptStatus.Approved;
          ms.approvedVersionId = ms.currentVersionId;
        }
      }
      // The next sequential step opens now; parallel steps keep the deadlines of their submission.
      ms.escalationDueAt =
        ms.status === ManuscriptStatus.InReview ? nextEscalationDue(ms, ms.chain.parallel ? ms.submittedAt! : this.clock.now()) : null;
      // The revision column turns a concurrent change into an error instead of a lost update.
      const res = await m
        .createQueryBuilder()
        .update(Manuscript)
        .set({
          status: ms.status,
          approvedSteps: ms.approvedSteps,
          approvedVersionId: ms.approvedVersionId,
          escalationDueAt: ms.escalationDueAt,
          revision: ms.revision + 1,
        })
        .where('id = :id AND revision = :rev', { id: ms.id, rev: ms.revision })
        .execute();
      if (!res.affected) throw new ManuscriptException(ManuscriptError.Concurrent);
      return { manuscript: await m.findOneByOrFail(Manuscript, { id: ms.id }), decision };
    });
    await this.escalation.schedule(result.manuscript);
    if (result.manuscript.status === ManuscriptStatus.Approved) await this.hooks.approved(result.manuscript);
    const kind =
      input.decision === 'reject' ? 'returned' : result.manuscript.status === ManuscriptStatus.Approved ? 'approved' : 'step_approved';
    await this.hooks.reviewed({ kind, manuscript: result.manuscript, actorId: actor.userId, comment: input.comment ?? null });
    return result;
  }

  async history(actor: Actor, id: string): Promise<ReviewDecision[]> {
    await this.manuscripts.find(this.ds.manager, actor, id);
    return this.ds.getRepository(ReviewDecision).find({ where: { manuscriptId: id }, order: { createdAt: 'ASC' } });
  }

  /** What waits for this reviewer: manuscripts in review whose open step matches one of their levels. */
  async pending(actor: Actor): Promise<PendingItem[]> {
    const grants = actor.grants.filter((g) => g.role === Role.Reviewer);
    if (grants.length === 0) return [];
    const qb = this.ds.getRepository(Manuscript).createQueryBuilder('m').where('m.status = :s', { s: ManuscriptStatus.InReview });
    qb.andWhere(
      `(${grants.map((_, i) => `m.unitPath LIKE :rp${i}`).join(' OR ')})`,
      Object.fromEntries(grants.map((g, i) => [`rp${i}`, `${g.unitPath}%`])),
    );
    qb.andWhere('m.authorId <> :me', { me: actor.userId });
    const rows = await qb.orderBy('m.submittedAt', 'ASC').take(500).getMany();
    const decided = rows.length
      ? await this.ds
          .getRepository(ReviewDecision)
          .find({ where: { versionId: In(rows.map((r) => r.currentVersionId)), reviewerId: actor.userId } })
      : [];
    const written = await this.writtenThisCycle(this.ds.manager, rows, actor.userId);
    const out: PendingItem[] = [];
    for (const ms of rows) {
      if (decided.some((d) => d.versionId === ms.currentVersionId)) continue;
      if (written.has(ms.id)) continue;
      const step = this.stepFor(actor, ms);
      if (step === null) continue;
      out.push({
        manuscriptId: ms.id,
        title: ms.title,
        category: ms.category,
        unitId: ms.unitId,
        versionId: ms.currentVersionId,
        versionNumber: ms.currentVersionNumber,
        step,
        stepName: ms.chain!.steps[step]!.name,
        level: ms.chain!.steps[step]!.level,
        escalated: (ms.escalatedSteps ?? []).includes(step),
        submittedAt: ms.submittedAt,
      });
    }
    return out;
  }

  /**
   * The version numbers `userId` wrote in each manuscript's current review cycle, for those where
   * there is one. The cycle is every version after the last one the whole chain approved (all of
   * them when none was): a rejection does not end it, since the rejected text is still what the
   * next version builds on, so whoever wrote any of it is no independent reviewer (审核独立).
   */
  private async writtenThisCycle(m: EntityManager, manuscripts: Manuscript[], userId: string): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    if (manuscripts.length === 0) return out;
    const approvedIds = manuscripts.map((ms) => ms.approvedVersionId).filter((v): v is string => !!v);
    const approved = approvedIds.length
      ? await m.find(ManuscriptVersion, { where: { id: In(approvedIds) }, select: { id: true, number: true } })
      : [];
    const mine = await m.find(ManuscriptVersion, {
      where: { manuscriptId: In(manuscripts.map((ms) => ms.id)), authorId: userId },
      select: { manuscriptId: true, number: true },
      order: { number: 'ASC' },
    });
    for (const ms of manuscripts) {
      const since = approved.find((v) => v.id === ms.approvedVersionId)?.number ?? 0;
      const numbers = mine.filter((v) => v.manuscriptId === ms.id && v.number > since).map((v) => v.number);
      if (numbers.length) out.set(ms.id, numbers);
    }
    return out;
  }

  /**
   * The open step this actor may decide, by reviewer level over the manuscript's unit. Overdue
   * (escalated) steps come first: a reviewer who may take either takes the one holding things up.
   */
  private stepFor(actor: Actor, ms: Manuscript): number | null {
    const levels = actor.grants.filter((g) => g.role === Role.Reviewer && ms.unitPath.startsWith(g.unitPath)).map((g) => g.level);
    const open = openSteps(ms);
    const escalated = new Set(ms.escalatedSteps ?? []);
    for (const i of [...open.filter((i) => escalated.has(i)), ...open.filter((i) => !escalated.has(i))]) {
      if (mayDecide(ms, i, levels)) return i;
    }
    return null;
  }

  /**
   * The chain a manuscript of `category` gets at `unit`: the nearest unit's own chain (the deepest
   * ancestor's), skipping any with fewer steps than the province's minimum (set before the minimum
   * was raised), else the built-in default with the missing levels added up to the minimum.
   */
  async chainFor(m: EntityManager, unit: Unit, category: ReviewCategory, minimums?: Record<ReviewCategory, number>): Promise<ChainView> {
    const minSteps = (minimums ?? (await this.minimumSteps(m)))[category];
    const ancestorIds = unit.path.split('/').filter(Boolean);
    const rows = await m.find(ReviewChain, { where: { unitId: In(ancestorIds), category } });
    // Ordered by the unit's place in the current path (not the copied path's length): nearest first.
    const nearest = rows
      .filter((r) => r.steps.length >= minSteps)
      .sort((a, b) => ancestorIds.indexOf(b.unitId) - ancestorIds.indexOf(a.unitId))[0];
    if (nearest)
      return {
        category,
        steps: nearest.steps,
        parallel: nearest.parallel,
        inheritedFrom: nearest.unitId === unit.id ? null : nearest.unitId,
        isDefault: false,
        minSteps,
      };
    const base = defaultChain(category);
    for (let level = 1; base.steps.length < minSteps && level <= MAX_REVIEW_LEVEL; level++) {
      if (!base.steps.some((s) => s.level === level)) base.steps.push({ ...base.steps[0]!, level, name: STEP_NAMES[level]! });
    }
    base.steps.sort((a, b) => a.level - b.level);
    return { category, ...base, inheritedFrom: null, isDefault: true, minSteps };
  }

  /** Minimum steps per category: the province's settings over the built-in ones. */
  async minimumSteps(m: EntityManager = this.ds.manager): Promise<Record<ReviewCategory, number>> {
    const rows = await m.find(ReviewChainMinimum);
    const out = {} as Record<ReviewCategory, number>;
    for (const c of Object.values(ReviewCategory)) out[c] = rows.find((r) => r.category === c)?.minSteps ?? defaultMinimum(c);
    return out;
  }

  async minimums(): Promise<ChainMinimumView[]> {
    const rows = await this.ds.getRepository(ReviewChainMinimum).find();
    return Object.values(ReviewCategory).map((category) => {
      const row = rows.find((r) => r.category === category);
      return row
        ? { category, minSteps: row.minSteps, isDefault: false, updatedBy: row.updatedBy, updatedAt: row.updatedAt }
        : { category, minSteps: defaultMinimum(category), isDefault: true, updatedBy: null, updatedAt: null };
    });
  }

  /**
   * Sets the province's minimum steps. Only a unit admin at the root may: review policy
   * (分级分类审核) is the province's own content decision, made by whoever manages the province's
   * review chains. A platform operator runs the system and does not decide how much review
   * content needs (三权分立); a city or county admin would lower the floor over itself.
   */
  async setMinimums(actor: Actor, items: { category: ReviewCategory; minSteps: number }[]): Promise<ChainMinimumView[]> {
    const root = await this.ds.getRepository(Unit).findOne({ where: { depth: 0 } });
    if (!root || !actor.grants.some((g) => g.role === Role.UnitAdmin && g.unitId === root.id)) {
      throw new ManuscriptException(ManuscriptError.MinimumProvinceOnly);
    }
    items.forEach((it, i) => {
      if (!Number.isInteger(it.minSteps) || it.minSteps < 1 || it.minSteps > MAX_REVIEW_LEVEL) {
        throw new ManuscriptException(ManuscriptError.ChainInvalid, { reason: `最少环节须为 1–${MAX_REVIEW_LEVEL}` }, [
          { field: `minimums[${i}].minSteps`, message: `1–${MAX_REVIEW_LEVEL}` },
        ]);
      }
    });
    await this.ds.transaction(async (m) => {
      for (const it of items) await m.save(ReviewChainMinimum, { category: it.category, minSteps: it.minSteps, updatedBy: actor.userId });
    });
    return this.minimums();
  }

  private async unitIn(actor: Actor, permission: Permission, unitId: string, orPermission?: Permission): Promise<Unit> {
    const unit = await this.ds.getRepository(Unit).findOne({ where: { id: unitId } });
    const ok =
      unit && (pathInScope(unit.path, actor.scope(permission)) || (orPermission && pathInScope(unit.path, actor.scope(orPermission))));
    if (!unit || !ok) {
      if (unit && actor.canAt(Permission.UnitRead, unit.path)) throw new CommonException(CommonError.Forbidden);
      throw new ManuscriptException(ManuscriptError.UnitNotFound);
    }
    return unit;
  }
}
