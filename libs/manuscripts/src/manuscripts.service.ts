import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { CommonError, CommonException, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { pathInScope, fetchPage, listOrder } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { Adaptations, Manuscript, ManuscriptCategory, ManuscriptSource, ManuscriptStatus, ManuscriptVersion } from './entities';
import { ManuscriptError, ManuscriptException } from './manuscripts.exception';
import { sanitizeBody } from './sanitize';
import { assertOwnMedia } from './media-references';
import { normaliseAdaptations } from './adaptations';
import { ManuscriptHooks } from './manuscript-hooks';

export interface ManuscriptInput {
  title: string;
  summary: string;
  body: string;
  category: ManuscriptCategory;
  source: ManuscriptSource;
  coverMediaId?: string | null;
  mediaIds?: string[];
  /** Per-platform overrides (各平台适配), checked against the installed plugins' limits. */
  adaptations?: unknown;
  /** The unit to write for, when the editor works for several; default the editor's unit. */
  unitId?: string;
}

export interface ManuscriptListQuery extends PageQuery {
  status?: ManuscriptStatus;
  category?: ManuscriptCategory;
  mine?: boolean;
  q?: string;
}

export interface ManuscriptView extends Manuscript {
  version: ManuscriptVersion;
}

const DRAFT_STATES = [ManuscriptStatus.Draft, ManuscriptStatus.Rejected];

/**
 * Manuscripts and their immutable versions. Every save makes a version; an edit of a manuscript
 * in review or approved sends it back to draft (先审后发: an approval covers one version only).
 * A draft never submitted is visible to the editors of its own unit alone; once submitted (even
 * if later returned or reopened), to every role that reads manuscripts over the unit's subtree.
 */
@Injectable()
export class ManuscriptsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly hooks: ManuscriptHooks,
  ) {}

  async create(actor: Actor, input: ManuscriptInput): Promise<ManuscriptView> {
    return this.ds.transaction(async (m) => this.createInUnit(m, await this.editorUnit(m, actor, input.unitId), actor.userId, input));
  }

  /**
   * Writes a draft of `unit` in the caller's transaction, the author already authorised by the
   * caller (an editor of the unit, or a campaign relay accepted by the unit's editor or admin).
   */
  async createInUnit(m: EntityManager, unit: Unit, authorId: string, input: ManuscriptInput): Promise<ManuscriptView> {
    const id = newId();
    const version = this.makeVersion(m, id, 1, authorId, input);
    await assertOwnMedia(m, unit.id, version);
    const manuscript = m.create(Manuscript, {
      id,
      unitId: unit.id,
      unitPath: unit.path,
      authorId,
      title: version.title,
      category: version.category,
      status: ManuscriptStatus.Draft,
      currentVersionId: version.id,
      currentVersionNumber: 1,
      approvedVersionId: null,
      chain: null,
      approvedSteps: null,
      submittedAt: null,
    });
    await m.save(manuscript);
    await m.save(version);
    return { ...manuscript, version };
  }

  /** Saves a new version. Returns the same view without a new version when nothing changed. */
  async update(actor: Actor, id: string, input: Partial<ManuscriptInput>): Promise<{ view: ManuscriptView; reopened: boolean }> {
    return this.ds.transaction(async (m) => {
      const manuscript = await this.find(m, actor, id);
      this.assertEditor(actor, manuscript);
      const current = await m.findOneByOrFail(ManuscriptVersion, { id: manuscript.currentVersionId });
      const merged: ManuscriptInput = {
        title: input.title ?? current.title,
        summary: input.summary ?? current.summary,
        body: input.body ?? current.bodyHtml,
        category: input.category ?? current.category,
        source: input.source ?? current.source,
        coverMediaId: input.coverMediaId !== undefined ? input.coverMediaId : current.coverMediaId,
        mediaIds: input.mediaIds ?? current.mediaIds,
        adaptations: input.adaptations,
      };
      // Adaptations not sent are kept as reviewed, not checked again: an edit of the body must not fail
      // because a platform's plugin was removed since (render leaves an unknown platform's adaptation unused).
      const kept = input.adaptations === undefined ? current.adaptations : undefined;
      const next = this.makeVersion(m, manuscript.id, manuscript.currentVersionNumber + 1, actor.userId, merged, kept);
      await assertOwnMedia(m, manuscript.unitId, next);
      if (next.contentHash === current.contentHash) return { view: { ...manuscript, version: current }, reopened: false };
      await this.hooks.checkEdit(m, manuscript, current, next);
      const reopened = !DRAFT_STATES.includes(manuscript.status);
      await m.save(next);
      manuscript.currentVersionId = next.id;
      manuscript.currentVersionNumber = next.number;
      manuscript.title = next.title;
      manuscript.category = next.category;
      if (reopened) {
        // 先审后发: the approval (or running review) covered the previous version only.
        manuscript.status = ManuscriptStatus.Draft;
        manuscript.chain = null;
        manuscript.approvedSteps = null;
        manuscript.escalatedSteps = null;
        manuscript.escalationDueAt = null;
      }
      await m.save(manuscript);
      return { view: { ...manuscript, version: next }, reopened };
    });
  }

  async get(actor: Actor, id: string): Promise<ManuscriptView> {
    const manuscript = await this.find(this.ds.manager, actor, id);
    const version = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: manuscript.currentVersionId });
    return { ...manuscript, version };
  }

  async versions(actor: Actor, id: string): Promise<ManuscriptVersion[]> {
    await this.find(this.ds.manager, actor, id);
    return this.ds.getRepository(ManuscriptVersion).find({ where: { manuscriptId: id }, order: { number: 'DESC' } });
  }

  async version(actor: Actor, id: string, versionId: string): Promise<ManuscriptVersion> {
    await this.find(this.ds.manager, actor, id);
    const v = await this.ds.getRepository(ManuscriptVersion).findOne({ where: { id: versionId, manuscriptId: id } });
    if (!v) throw new ManuscriptException(ManuscriptError.NotFound);
    return v;
  }

  async list(actor: Actor, q: ManuscriptListQuery): Promise<Page<Manuscript>> {
    const scope = actor.scope(Permission.ManuscriptRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    const editorUnits = actor.grants.filter((g) => g.role === Role.Editor).map((g) => g.unitId);
    // What the caller sees, three ways: submitted work anywhere in the read scope; drafts of the
    // editor's own unit(s); and one's own manuscripts.
    const submittedInScope = new Brackets((x) => {
      x.where('(m.status NOT IN (:...drafts) OR m.submittedAt IS NOT NULL)', { drafts: DRAFT_STATES });
      x.andWhere(new Brackets((y) => scope.forEach((p, i) => y.orWhere(`m.unitPath LIKE :sp${i}`, { [`sp${i}`]: `${p}%` }))));
    });
    const ofEditorUnits = editorUnits.length ? new Brackets((x) => x.where('m.unitId IN (:...editorUnits)', { editorUnits })) : null;
    const own = new Brackets((x) => x.where('m.authorId = :me', { me: actor.userId }));
    const branches = [submittedInScope, ...(ofEditorUnits ? [ofEditorUnits] : []), own];
    const filtered = () => {
      const qb = this.ds.getRepository(Manuscript).createQueryBuilder('m');
      if (q.status) qb.andWhere('m.status = :status', { status: q.status });
      if (q.category) qb.andWhere('m.category = :category', { category: q.category });
      if (q.mine) qb.andWhere('m.authorId = :me2', { me2: actor.userId });
      if (q.q) qb.andWhere('m.title LIKE :q', { q: `%${q.q.replace(/[\\%_]/g, '')}%` });
      return qb;
    };
    const order = listOrder(
      q.sort,
      {
        title: 'm.title',
        status: 'm.status',
        category: 'm.category',
        createdAt: 'm.createdAt',
        updatedAt: 'm.updatedAt',
        submittedAt: 'm.submittedAt',
      },
      [['m.updatedAt', 'DESC']],
      'm.id',
    );
    const { skip, take } = pageOffset(q);
    // The page: each way on its own (one OR over all three defeats every index: the database
    // scanned and sorted the whole table), each ordered and cut at the page's end, then merged.
    // Each branch takes the index that suits it: a province's submitted work walks the updatedAt
    // index and stops after a page; a county's reads its unit-path range; one's own, the author's.
    const [column, dir] = order[0]!;
    const parts: string[] = [];
    const params: unknown[] = [];
    branches.forEach((branch, i) => {
      const qb = filtered().andWhere(branch).select('m.id', 'id').addSelect(column, 'k');
      order.forEach(([c, d], j) => (j === 0 ? qb.orderBy(c, d) : qb.addOrderBy(c, d)));
      const [sql, ps] = qb.limit(skip + take).getQueryAndParameters();
      parts.push(`SELECT id, k FROM (${sql}) b${i}`);
      params.push(...ps);
    });
    const countQb = filtered().andWhere(new Brackets((w) => branches.forEach((b) => w.orWhere(b))));
    const [rows, total] = await Promise.all([
      this.ds.query(`${parts.join(' UNION ')} ORDER BY k ${dir}, id ${dir} LIMIT ${take} OFFSET ${skip}`, params) as Promise<
        { id: string }[]
      >,
      fetchPage(countQb, 0, 0, { totalOf: ['manuscript'], countOnly: true }).then(([, n]) => n),
    ]);
    const found = rows.length ? await this.ds.getRepository(Manuscript).find({ where: { id: In(rows.map((r) => r.id)) } }) : [];
    const byId = new Map(found.map((m) => [m.id, m]));
    return { items: rows.map((r) => byId.get(r.id)).filter((m): m is Manuscript => !!m), total };
  }

  /** Loads a manuscript the actor may see; NotFound otherwise (existence is not leaked). */
  async find(m: EntityManager, actor: Actor, id: string): Promise<Manuscript> {
    const manuscript = await m.findOne(Manuscript, { where: { id } });
    if (!manuscript || !this.canSee(actor, manuscript)) throw new ManuscriptException(ManuscriptError.NotFound);
    return manuscript;
  }

  canSee(actor: Actor, manuscript: Manuscript): boolean {
    if (manuscript.authorId === actor.userId) return true;
    if (DRAFT_STATES.includes(manuscript.status) && !manuscript.submittedAt) {
      return actor.grants.some((g) => g.role === Role.Editor && g.unitId === manuscript.unitId);
    }
    return pathInScope(manuscript.unitPath, actor.scope(Permission.ManuscriptRead));
  }

  assertEditor(actor: Actor, manuscript: Manuscript): void {
    const editor = actor.grants.some((g) => g.role === Role.Editor && g.unitId === manuscript.unitId);
    if (!editor) throw new ManuscriptException(ManuscriptError.NotAuthor);
  }

  private async editorUnit(m: EntityManager, actor: Actor, unitId?: string): Promise<Unit> {
    const grants = actor.grants.filter((g) => g.role === Role.Editor);
    const grant = unitId ? grants.find((g) => g.unitId === unitId) : grants[0];
    if (!grant) {
      if (grants.length === 0) throw new CommonException(CommonError.Forbidden);
      throw new ManuscriptException(ManuscriptError.UnitNotFound);
    }
    return m.findOneByOrFail(Unit, { id: grant.unitId });
  }

  private makeVersion(
    m: EntityManager,
    manuscriptId: string,
    number: number,
    authorId: string,
    input: ManuscriptInput,
    kept?: Adaptations | null,
  ): ManuscriptVersion {
    if (input.source.type === 'reprint' && !input.source.unitName?.trim()) {
      throw new ManuscriptException(ManuscriptError.SourceRequired, {}, [{ field: 'source.unitName', message: '转载须注明来源单位' }]);
    }
    const bodyHtml = sanitizeBody(input.body);
    const source: ManuscriptSource =
      input.source.type === 'original'
        ? { type: 'original' }
        : { type: 'reprint', unitName: input.source.unitName?.trim(), url: input.source.url };
    const content = {
      title: input.title.trim(),
      summary: input.summary.trim(),
      bodyHtml,
      category: input.category,
      source,
      coverMediaId: input.coverMediaId ?? null,
      mediaIds: input.mediaIds ?? [],
    };
    const adaptations = kept !== undefined ? kept : normaliseAdaptations(input.adaptations, this.hooks.adaptationRules);
    // Only a version with adaptations hashes them, so versions saved before they existed keep their hash.
    const hashed = adaptations ? { ...content, adaptations } : content;
    return m.create(ManuscriptVersion, {
      id: newId(),
      manuscriptId,
      number,
      ...content,
      adaptations,
      authorId,
      contentHash: createHash('sha256').update(JSON.stringify(hashed)).digest('hex'),
    });
  }
}
