import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThanOrEqual, Not } from 'typeorm';
import { Clock, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { JobHandler } from '@tongfa/jobs';
import { QaCategory, QaEntry, QaPolicyCitation, QaPolicyDocument, QaSynonym } from './entities';
import { KnowledgeError, KnowledgeException } from './knowledge.exception';
import { bumpSequence, SYNONYM_SEQUENCE } from './qa-sequence';
import { SynonymGroup } from './search';

/** Days before an entry's validity ends that its owner unit is reminded. */
export const EXPIRY_REMINDER_DAYS = 30;

/**
 * The province's tables of the library: the synonym table, the category tree and the policy
 * documents entries cite (a repeal flags every citing entry for review); and the expiry reminder.
 */
@Injectable()
export class QaLibraryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly alerts: AlertsService,
  ) {}

  async synonyms(): Promise<SynonymGroup[]> {
    const rows = await this.ds.getRepository(QaSynonym).find({ order: { sortOrder: 'ASC' } });
    return rows.map((r) => ({ terms: r.terms }));
  }

  /** Replaces the whole table in one transaction; every hub re-indexes within seconds. */
  async setSynonyms(actor: Actor, groups: SynonymGroup[]): Promise<SynonymGroup[]> {
    await this.assertProvince(actor);
    const seen = new Map<string, number>();
    groups.forEach((g, i) => {
      const terms = g.terms.map((t) => t.trim());
      if (terms.length < 2 || terms.some((t) => t.length < 2)) {
        throw new KnowledgeException(KnowledgeError.SynonymsInvalid, { reason: '每组至少两个词，每个词至少两个字' }, [
          { field: `groups[${i}].terms`, message: '每组至少两个词，每个词至少两个字 / two terms of two characters at least' },
        ]);
      }
      for (const t of terms) {
        const other = seen.get(t);
        if (other !== undefined && other !== i) {
          throw new KnowledgeException(KnowledgeError.SynonymsInvalid, { reason: `“${t}”出现在两个组中` }, [
            { field: `groups[${i}].terms`, message: `“${t}”已在第 ${other + 1} 组 / already in group ${other + 1}` },
          ]);
        }
        seen.set(t, i);
      }
    });
    await this.ds.transaction(async (m) => {
      await m.clear(QaSynonym);
      if (groups.length) {
        await m.insert(
          QaSynonym,
          groups.map((g, i) => ({ id: newId(), terms: g.terms.map((t) => t.trim()), sortOrder: i, updatedBy: actor.userId })),
        );
      }
      await bumpSequence(m, SYNONYM_SEQUENCE);
    });
    return this.synonyms();
  }

  async categories(): Promise<QaCategory[]> {
    return this.ds.getRepository(QaCategory).find({ order: { pathName: 'ASC' } });
  }

  async createCategory(actor: Actor, input: { name: string; parentId?: string | null; sortOrder?: number }): Promise<QaCategory> {
    await this.assertProvince(actor);
    return this.ds.transaction(async (m) => {
      const parent = input.parentId ? await m.findOne(QaCategory, { where: { id: input.parentId } }) : null;
      if (input.parentId && !parent) {
        throw new KnowledgeException(KnowledgeError.CategoryNotFound, {}, [
          { field: 'parentId', message: '上级分类不存在 / unknown parent' },
        ]);
      }
      const name = input.name.trim();
      if (await m.exists(QaCategory, { where: { parentId: parent ? parent.id : IsNull(), name } })) {
        throw new KnowledgeException(KnowledgeError.CategoryExists, {}, [{ field: 'name', message: '同级已有同名分类 / name taken' }]);
      }
      const row = m.create(QaCategory, {
        id: newId(),
        parentId: parent?.id ?? null,
        name,
        pathName: parent ? `${parent.pathName} / ${name}` : name,
        sortOrder: input.sortOrder ?? 0,
      });
      await m.insert(QaCategory, row);
      return row;
    });
  }

  async documents(actor: Actor, q: PageQuery & { repealed?: boolean }): Promise<Page<QaPolicyDocument>> {
    if (!actor.can(Permission.QaRead)) return { items: [], total: 0 };
    const { skip, take } = pageOffset(q);
    const [items, total] = await this.ds.getRepository(QaPolicyDocument).findAndCount({
      where: q.repealed === undefined ? {} : { repealed: q.repealed },
      order: { createdAt: 'DESC' },
      skip,
      take,
    });
    return { items, total };
  }

  /** Marks a document repealed and flags every entry citing it (one transaction); returns the flagged ids. */
  async repeal(actor: Actor, documentId: string): Promise<{ document: QaPolicyDocument; flaggedEntryIds: string[] }> {
    await this.assertProvince(actor);
    return this.ds.transaction(async (m) => {
      const doc = await m.findOne(QaPolicyDocument, { where: { id: documentId } });
      if (!doc) throw new KnowledgeException(KnowledgeError.DocumentNotFound);
      if (!doc.repealed) {
        doc.repealed = true;
        doc.repealedAt = this.clock.now();
        await m.save(doc);
      }
      const ids = (await m.find(QaPolicyCitation, { where: { documentId } })).map((c) => c.entryId);
      if (ids.length) await m.update(QaEntry, { id: In(ids) }, { needsReview: true });
      return { document: doc, flaggedEntryIds: ids };
    });
  }

  /**
   * Reminds each owner unit, once per live version, that an entry stops being valid within
   * EXPIRY_REMINDER_DAYS (a duty alert over the unit). Search itself drops it on time.
   */
  @JobHandler('qa.expiry-sweep')
  async handleExpirySweep(): Promise<number> {
    const now = this.clock.now();
    const due = await this.ds.getRepository(QaEntry).find({
      where: {
        liveVersionId: Not(IsNull()),
        expiryRemindedAt: IsNull(),
        liveUntil: LessThanOrEqual(new Date(now.getTime() + EXPIRY_REMINDER_DAYS * 86_400_000)),
      },
      take: 500,
    });
    let n = 0;
    for (const e of due.filter((x) => x.liveUntil && x.liveUntil.getTime() > now.getTime())) {
      await this.ds.transaction(async (m) => {
        const days = Math.ceil((e.liveUntil!.getTime() - now.getTime()) / 86_400_000);
        await this.alerts.raise(
          {
            kind: DutyAlertKind.QaEntryExpiring,
            severity: DutyAlertSeverity.Info,
            unitId: e.unitId,
            unitPath: e.unitPath,
            title: { zh: `答问即将失效（${days} 天后）`, en: `A Q&A entry expires in ${days} days` },
            message: {
              zh: `“${e.question}”将于 ${e.liveUntil!.toISOString().slice(0, 10)} 失效，请及时更新或确认`,
              en: `“${e.question}” expires on ${e.liveUntil!.toISOString().slice(0, 10)}`,
            },
            link: { type: 'qa_entry', id: e.id },
            dedupeKey: `qa-expiring:${e.liveVersionId}`,
          },
          m,
        );
        await m.update(QaEntry, { id: e.id }, { expiryRemindedAt: now });
      });
      n++;
    }
    return n;
  }

  /** The province's tables belong to a platform operator or supervisor at the root. */
  private async assertProvince(actor: Actor): Promise<void> {
    const root = await this.ds.getRepository(Unit).findOne({ where: { depth: 0 } });
    const ok =
      root &&
      actor.grants.some((g) => (g.role === Role.PlatformOperator || g.role === Role.Supervisor) && g.unitId === root.id) &&
      actor.canAt(Permission.QaLibraryManage, root.path);
    if (!ok) throw new KnowledgeException(KnowledgeError.ProvinceOnly);
  }
}
