import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Clock, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission, Role, Unit, UnitLevel } from '@tongfa/identity';
import { Account, AccountStatus } from '@tongfa/accounts';
import { Manuscript, ManuscriptStatus, ManuscriptVersion } from '@tongfa/manuscripts';
import { Publication, PublicationsService, PublicationTarget, RenditionService } from '@tongfa/publishing';
import { PluginRegistry } from '@tongfa/plugins';
import { CampaignHooks } from './campaign-hooks';
import { AccountPoll, Assignment, AssignmentState, Campaign, CampaignStatus } from './entities';
import { CampaignError, CampaignException } from './campaigns.exception';
import {
  addCount,
  assignmentView,
  AssignmentView,
  CampaignDetailView,
  campaignView,
  CampaignView,
  emptyCounts,
  RelayView,
  StateCounts,
} from './campaign-views';
import { bulkInsert, lockedPaths, rawDate } from './sql';
import { defaultReminders } from './poll-schedule';

export interface CreateCampaignInput {
  title: string;
  instructions?: string;
  source: { manuscriptId?: string; publicationId?: string };
  targets: { unitIds?: string[]; rootUnitId?: string; levels?: UnitLevel[] };
  platforms: string[];
  deadline: Date;
  reminders?: number[];
  allowAdaptation?: boolean;
}

export interface CampaignListQuery extends PageQuery {
  status?: CampaignStatus;
}

export interface AssignmentListQuery extends PageQuery {
  state?: AssignmentState;
  unitId?: string;
  platform?: string;
}

export interface DashboardView {
  counts: StateCounts;
  units: { unitId: string; unitName: string; level: UnitLevel; hasChildren: boolean; counts: StateCounts }[];
  platforms: { platform: string; counts: StateCounts }[];
  timeline: { at: string; done: number }[];
  overdue: {
    assignmentId: string;
    unitId: string;
    unitName: string;
    platform: string;
    accountName: string | null;
    minutesLate: number;
    reminders: number;
  }[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const MAX_TARGET_UNITS = 20_000;
/** Unit ids are UUIDs (newId), so every segment of a unit path has this length. */
const UNIT_ID_LENGTH = 36;
/** Units per transaction chunk: rows per multi-row INSERT stay under SQLite's parameter limit. */
const CHUNK_UNITS = 500;
const PUBLISHABLE: AccountStatus[] = [AccountStatus.Active, AccountStatus.Opened];

/**
 * 联动任务 seen from the issuer: creation (thousands of assignments in one transaction, in chunks),
 * lists, the live dashboard, relays and their retraction, closing. Every read is limited to
 * campaigns issued inside the caller's supervisor subtree.
 */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly registry: PluginRegistry,
    private readonly publications: PublicationsService,
    private readonly renditions: RenditionService,
    private readonly hooks: CampaignHooks,
  ) {}

  async create(actor: Actor, input: CreateCampaignInput): Promise<CampaignView> {
    const scope = actor.scope(Permission.CampaignIssue);
    if (!scope.length) throw new CampaignException(CampaignError.NotSupervisor);
    const source = await this.resolveSource(actor, input.source);
    const issuer = await this.ds.getRepository(Unit).findOneByOrFail({ id: source.manuscript.unitId });
    const platforms = this.checkPlatforms(input.platforms);
    const now = this.clock.now();
    const duration = input.deadline.getTime() - now.getTime();
    if (!(duration >= 10 * MIN && duration <= 30 * 24 * HOUR)) {
      throw new CampaignException(CampaignError.DeadlineInvalid, {}, [
        { field: 'deadline', message: '截止时间须在 10 分钟之后、30 天之内' },
      ]);
    }
    const reminders = this.checkReminders(input.reminders, duration);
    const unitIds = await this.resolveTargets(issuer, scope, input.targets);

    const campaign = this.ds.getRepository(Campaign).create({
      id: newId(),
      title: input.title.trim(),
      instructions: (input.instructions ?? '').trim(),
      unitId: issuer.id,
      unitPath: issuer.path,
      sourceManuscriptId: source.manuscript.id,
      sourcePublicationId: source.publicationId,
      sourceVersionId: source.versionId,
      sourceTitle: source.title,
      sourceUrl: source.url,
      platforms,
      deadline: input.deadline,
      reminders,
      allowAdaptation: input.allowAdaptation ?? false,
      status: 'open',
      createdBy: actor.userId,
      createdAt: now,
      closedAt: null,
      escalatedAt: null,
    });
    const firstReminder = reminders.length ? new Date(input.deadline.getTime() - Math.max(...reminders) * MIN) : input.deadline;
    const firstPoll = new Date(now.getTime() + 30 * MIN);
    const listing = new Set(platforms.filter((p) => this.registry.get(p)?.manifest.capabilities.includes('listPosts')));

    await this.ds.transaction(async (m) => {
      await m.insert(Campaign, campaign);
      for (let i = 0; i < unitIds.length; i += CHUNK_UNITS) {
        const chunk = unitIds.slice(i, i + CHUNK_UNITS);
        const paths = await lockedPaths(m, chunk);
        // One query per chunk for the accounts; the oldest publishable account per unit and platform
        // (一个单位原则上在同一平台只开设一个账号, so there is normally just one).
        const accounts = await m
          .getRepository(Account)
          .createQueryBuilder('a')
          .select(['a.id', 'a.unitId', 'a.platform'])
          .where('a.unitId IN (:...units) AND a.platform IN (:...platforms) AND a.status IN (:...statuses)', {
            units: chunk,
            platforms,
            statuses: PUBLISHABLE,
          })
          .orderBy('a.createdAt', 'ASC')
          .getMany();
        const byKey = new Map<string, string>();
        for (const a of accounts) if (!byKey.has(`${a.unitId}:${a.platform}`)) byKey.set(`${a.unitId}:${a.platform}`, a.id);
        const rows: Partial<Assignment>[] = [];
        const polled: Partial<AccountPoll>[] = [];
        for (const unitId of chunk) {
          const path = paths.get(unitId);
          if (!path) continue; // deleted meanwhile: nothing to assign
          for (const platform of platforms) {
            const accountId = byKey.get(`${unitId}:${platform}`) ?? null;
            rows.push(this.assignmentRow(campaign, unitId, path, platform, accountId, firstReminder));
            if (accountId && listing.has(platform))
              polled.push({ accountId, platform, nextPollAt: firstPoll, lastPolledAt: null, calls: 0, lastError: null });
          }
        }
        await bulkInsert(m, Assignment, rows);
        await this.schedulePolls(m, polled, firstPoll);
      }
    });
    await this.hooks.issued(campaign);
    return campaignView(campaign, issuer.name, await this.counts(campaign.id));
  }

  private assignmentRow(c: Campaign, unitId: string, unitPath: string, platform: string, accountId: string | null, firstReminder: Date) {
    return {
      id: newId(),
      campaignId: c.id,
      unitId,
      unitPath,
      platform,
      accountId,
      state: (accountId ? 'pending' : 'not_applicable') as AssignmentState,
      deadline: c.deadline,
      acceptedAt: null,
      acceptedBy: null,
      completedAt: null,
      completion: null,
      url: null,
      manuscriptId: null,
      publicationId: null,
      publishKey: null,
      reminders: 0,
      nextReminderAt: accountId ? firstReminder : null,
      exemptionReason: null,
      exemptionStatus: null,
      exemptionRequestedBy: null,
      exemptionDecidedAt: null,
      exemptionDecidedBy: null,
      exemptionComment: null,
    };
  }

  /** One poll row per account (kept across campaigns); an account already due later is brought forward. */
  private async schedulePolls(m: EntityManager, rows: Partial<AccountPoll>[], firstPoll: Date): Promise<void> {
    if (!rows.length) return;
    const ids = rows.map((r) => r.accountId!);
    const existing = new Set(
      (await m.getRepository(AccountPoll).find({ where: { accountId: In(ids) }, select: { accountId: true } })).map((r) => r.accountId),
    );
    await bulkInsert(
      m,
      AccountPoll,
      rows.filter((r) => !existing.has(r.accountId!)),
    );
    if (existing.size) {
      await m
        .createQueryBuilder()
        .update(AccountPoll)
        .set({ nextPollAt: firstPoll })
        .where('accountId IN (:...ids) AND (nextPollAt IS NULL OR nextPollAt > :first)', { ids: [...existing], first: firstPoll })
        .execute();
    }
  }

  /** The approved source, of the caller's own unit (where it holds the supervisor role). */
  private async resolveSource(actor: Actor, src: CreateCampaignInput['source']) {
    if (!!src.manuscriptId === !!src.publicationId) {
      throw new CampaignException(CampaignError.SourceRequired, {}, [
        { field: 'source', message: '请指定 manuscriptId 或 publicationId 之一' },
      ]);
    }
    let publication: Publication | null = null;
    let manuscript: Manuscript | null;
    if (src.publicationId) {
      publication = await this.ds.getRepository(Publication).findOneBy({ id: src.publicationId });
      manuscript = publication ? await this.ds.getRepository(Manuscript).findOneBy({ id: publication.manuscriptId }) : null;
    } else {
      manuscript = await this.ds.getRepository(Manuscript).findOneBy({ id: src.manuscriptId! });
    }
    const field = src.publicationId ? 'source.publicationId' : 'source.manuscriptId';
    const readable = manuscript && pathInScope(manuscript.unitPath, actor.scope(Permission.ManuscriptRead));
    if (!manuscript || !readable) throw new CampaignException(CampaignError.SourceNotFound, {}, [{ field, message: '来源不存在' }]);
    if (!actor.grants.some((g) => g.role === Role.Supervisor && g.unitId === manuscript.unitId)) {
      throw new CampaignException(CampaignError.SourceNotOwnUnit, {}, [{ field, message: '只能以本单位的稿件或发布发起联动' }]);
    }
    const versionId = publication ? publication.versionId : manuscript.approvedVersionId;
    if (!versionId || (!publication && manuscript.status !== ManuscriptStatus.Approved)) {
      throw new CampaignException(CampaignError.SourceNotApproved, {}, [{ field, message: '来源稿件尚未审核通过' }]);
    }
    // The original posts: of the given publication, or of any publication of the approved version.
    const pubs = publication
      ? [publication]
      : await this.ds.getRepository(Publication).find({ where: { manuscriptId: manuscript.id, versionId }, order: { createdAt: 'ASC' } });
    const targets = pubs.length
      ? await this.ds
          .getRepository(PublicationTarget)
          .find({ where: { publicationId: In(pubs.map((p) => p.id)), state: 'published' }, order: { publishedAt: 'ASC' } })
      : [];
    const version = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: versionId });
    return {
      manuscript,
      // A manuscript's first publication with a live post is the campaign's original too: its
      // retraction offers the relays' retraction, and its posts' links identify native reposts.
      publicationId: publication?.id ?? targets[0]?.publicationId ?? null,
      versionId,
      title: version.title,
      url: targets.find((t) => t.url)?.url ?? null,
    };
  }

  private checkPlatforms(platforms: string[]): string[] {
    const unique = [...new Set(platforms)];
    const bad = unique.filter((p) => !this.registry.has(p));
    if (bad.length || !unique.length) {
      throw new CampaignException(
        CampaignError.PlatformsInvalid,
        { platforms: bad.join(', ') || '-' },
        bad.map((p) => ({ field: `platforms[${platforms.indexOf(p)}]`, message: `未安装的平台：${p}` })),
      );
    }
    return unique;
  }

  private checkReminders(given: number[] | undefined, durationMs: number): number[] {
    if (given === undefined) return defaultReminders(durationMs).filter((r) => r * MIN < durationMs);
    if (given.length > 5 || given.some((r) => !Number.isInteger(r) || r < 1 || r > 43_200)) {
      throw new CampaignException(CampaignError.RemindersInvalid, {}, [
        { field: 'reminders', message: '截止前 1 至 43200 分钟，最多 5 个' },
      ]);
    }
    // An offset longer than the campaign would fire at once: the campaign's start is reminder enough.
    return [...new Set(given)].filter((r) => r * MIN < durationMs).sort((a, b) => b - a);
  }

  /** Target unit ids: explicit units and/or a root's descendants of the given levels, inside the issuer's subtree and the caller's scope. */
  private async resolveTargets(issuer: Unit, scope: string[], t: CreateCampaignInput['targets']): Promise<string[]> {
    const inside = (u: Unit) => u.path.startsWith(issuer.path) && u.id !== issuer.id && pathInScope(u.path, scope);
    const ids = new Set<string>();
    if (t.unitIds?.length) {
      const given = [...new Set(t.unitIds)];
      const found = new Map<string, Unit>();
      for (let i = 0; i < given.length; i += 1000) {
        for (const u of await this.ds
          .getRepository(Unit)
          .find({ where: { id: In(given.slice(i, i + 1000)) }, select: { id: true, path: true } }))
          found.set(u.id, u);
      }
      const bad = t.unitIds.flatMap((id, i) => {
        const u = found.get(id);
        return u && inside(u) ? [] : [{ field: `targets.unitIds[${i}]`, message: '不是发起单位的下级单位' }];
      });
      if (bad.length) throw new CampaignException(CampaignError.TargetsInvalid, {}, bad.slice(0, 20));
      given.forEach((id) => ids.add(id));
    }
    if (t.rootUnitId) {
      const root = await this.ds.getRepository(Unit).findOneBy({ id: t.rootUnitId });
      if (!root || !root.path.startsWith(issuer.path) || !pathInScope(root.path, scope)) {
        throw new CampaignException(CampaignError.TargetsInvalid, {}, [
          { field: 'targets.rootUnitId', message: '不是发起单位或其下级单位' },
        ]);
      }
      const qb = this.ds
        .getRepository(Unit)
        .createQueryBuilder('u')
        .select(['u.id', 'u.path'])
        .where('u.path LIKE :p', { p: `${root.path}%` });
      if (t.levels?.length) qb.andWhere('u.level IN (:...levels)', { levels: t.levels });
      for (const u of await qb.getMany()) if (inside(u)) ids.add(u.id);
    }
    if (ids.size === 0)
      throw new CampaignException(CampaignError.TargetsEmpty, {}, [{ field: 'targets', message: '没有符合条件的目标单位' }]);
    if (ids.size > MAX_TARGET_UNITS) {
      throw new CampaignException(CampaignError.TargetsInvalid, {}, [{ field: 'targets', message: `一次最多 ${MAX_TARGET_UNITS} 个单位` }]);
    }
    return [...ids];
  }

  /** A campaign issued inside the caller's supervisor subtree; NotFound otherwise (existence is not leaked). */
  async findIssued(actor: Actor, id: string): Promise<Campaign> {
    const c = await this.ds.getRepository(Campaign).findOneBy({ id });
    if (!c || !pathInScope(c.unitPath, actor.scope(Permission.CampaignIssue))) throw new CampaignException(CampaignError.NotFound);
    return c;
  }

  async counts(campaignId: string, underPath?: string): Promise<StateCounts> {
    const qb = this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .select('a.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('a.campaignId = :campaignId', { campaignId });
    if (underPath) qb.andWhere('a.unitPath LIKE :under', { under: `${underPath}%` });
    const rows = await qb.groupBy('a.state').getRawMany<{ state: string; n: string | number }>();
    return rows.reduce((c, r) => addCount(c, r.state, Number(r.n)), emptyCounts());
  }

  async list(actor: Actor, q: CampaignListQuery): Promise<Page<CampaignView>> {
    const scope = actor.scope(Permission.CampaignIssue);
    if (!scope.length) return { items: [], total: 0 };
    const qb = this.ds.getRepository(Campaign).createQueryBuilder('c');
    whereInScope(qb, 'c.unitPath', scope);
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'DESC'), skip, take);
    const names = await this.unitNames(items.map((c) => c.unitId));
    const counts = await this.countsOf(items.map((c) => c.id));
    return { items: items.map((c) => campaignView(c, names.get(c.unitId) ?? '', counts.get(c.id) ?? emptyCounts())), total };
  }

  private async countsOf(ids: string[]): Promise<Map<string, StateCounts>> {
    const out = new Map<string, StateCounts>();
    if (!ids.length) return out;
    const rows = await this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .select('a.campaignId', 'campaignId')
      .addSelect('a.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('a.campaignId IN (:...ids)', { ids })
      .groupBy('a.campaignId')
      .addGroupBy('a.state')
      .getRawMany<{ campaignId: string; state: string; n: string | number }>();
    for (const r of rows) addCount(out.get(r.campaignId) ?? out.set(r.campaignId, emptyCounts()).get(r.campaignId)!, r.state, Number(r.n));
    return out;
  }

  async get(actor: Actor, id: string): Promise<CampaignDetailView & { sourceRetracted: boolean }> {
    const c = await this.findIssued(actor, id);
    const names = await this.unitNames([c.unitId]);
    const source = c.sourcePublicationId ? await this.ds.getRepository(Publication).findOneBy({ id: c.sourcePublicationId }) : null;
    return {
      ...campaignView(c, names.get(c.unitId) ?? '', await this.counts(c.id)),
      relays: await this.relays(c),
      sourceRetracted: source?.status === 'retracted' || source?.status === 'retracting',
    };
  }

  /**
   * The units' posts carrying the release: those Tongfa published (retractable through the
   * publication where the platform allows) and those made natively (only the unit can take them down).
   */
  async relays(c: Campaign): Promise<RelayView[]> {
    const rows = await this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .where('a.campaignId = :id', { id: c.id })
      .andWhere("(a.publicationId IS NOT NULL OR a.completion IN ('detected', 'evidence'))")
      .orderBy('a.unitPath', 'ASC')
      .addOrderBy('a.platform', 'ASC')
      .getMany();
    const pubIds = [...new Set(rows.flatMap((a) => (a.publicationId ? [a.publicationId] : [])))];
    const targets = pubIds.length ? await this.ds.getRepository(PublicationTarget).find({ where: { publicationId: In(pubIds) } }) : [];
    const names = await this.unitNames(rows.map((a) => a.unitId));
    return rows.map((a) => {
      const t =
        a.publicationId && a.completion !== 'detected' && a.completion !== 'evidence'
          ? targets.find((x) => x.publicationId === a.publicationId && x.accountId === a.accountId)
          : undefined;
      const native = !t;
      return {
        assignmentId: a.id,
        unitId: a.unitId,
        unitName: names.get(a.unitId) ?? '',
        platform: a.platform,
        publicationId: native ? null : a.publicationId,
        state: native ? (a.completion ? 'native' : 'pending') : t.state,
        retractable: !!t && t.state === 'published' && this.renditions.canRetract(a.platform),
        url: a.url ?? t?.url ?? null,
      };
    });
  }

  /**
   * Retracts the relays Tongfa published, through each relay publication's own retraction (the
   * existing path: targets move to retracting, jobs do the rest). Native relays are reported
   * back as "ask the unit".
   */
  async retractRelays(
    actor: Actor,
    id: string,
    reason: string,
  ): Promise<{
    campaign: Campaign;
    retracted: string[];
    askUnit: RelayView[];
    notRetractable: { publicationId: string; targetId: string; reason: string }[];
  }> {
    const c = await this.findIssued(actor, id);
    const relays = await this.relays(c);
    const pubIds = [...new Set(relays.filter((r) => r.retractable && r.publicationId).map((r) => r.publicationId!))];
    const notRetractable: { publicationId: string; targetId: string; reason: string }[] = [];
    for (const pid of pubIds) {
      const res = await this.publications.retract(actor, pid, reason);
      notRetractable.push(...res.notRetractable.map((n) => ({ publicationId: pid, ...n })));
    }
    return { campaign: c, retracted: pubIds, askUnit: relays.filter((r) => r.state === 'native'), notRetractable };
  }

  /** Closes the campaign: polling and reminders stop; what is still owed turns overdue. */
  async close(actor: Actor, id: string): Promise<{ campaign: Campaign; overdue: number }> {
    const c = await this.findIssued(actor, id);
    if (c.status === 'closed') throw new CampaignException(CampaignError.Closed);
    const now = this.clock.now();
    const overdue = await this.ds.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(Campaign)
        .set({ status: 'closed', closedAt: now })
        .where("id = :id AND status = 'open'", { id })
        .execute();
      if (!res.affected) throw new CampaignException(CampaignError.Closed);
      const moved = await m
        .createQueryBuilder()
        .update(Assignment)
        .set({ state: 'overdue', nextReminderAt: null })
        .where("campaignId = :id AND state IN ('pending', 'accepted')", { id })
        .execute();
      await m.createQueryBuilder().update(Assignment).set({ nextReminderAt: null }).where('campaignId = :id', { id }).execute();
      return moved.affected ?? 0;
    });
    return { campaign: { ...c, status: 'closed', closedAt: now }, overdue };
  }

  async dashboard(actor: Actor, id: string, parentUnitId?: string): Promise<DashboardView> {
    const c = await this.findIssued(actor, id);
    const parent = await this.ds.getRepository(Unit).findOneBy({ id: parentUnitId ?? c.unitId });
    if (!parent || !parent.path.startsWith(c.unitPath)) {
      throw new CampaignException(CampaignError.TargetsInvalid, {}, [{ field: 'parentUnitId', message: '不是发起单位或其下级单位' }]);
    }
    const repo = this.ds.getRepository(Assignment);
    // Every assignment lies in the issuer's subtree: below the issuer itself the path filter is
    // dropped, so the grouped reads stay on the (campaignId, …) indexes alone.
    const scoped = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>) =>
      parent.id === c.unitId ? qb : qb.andWhere('a.unitPath LIKE :under', { under: `${parent.path}%` });
    // Rolled up in SQL to the parent's direct children: unit ids are generated UUIDs (36
    // characters), so a child's path is the parent's plus 37 characters.
    const childLength = parent.path.length + UNIT_ID_LENGTH + 1;
    // The four reads are independent: on MariaDB they run side by side on the pool's connections.
    const [byChild, platformRows, done, overdueRows] = await Promise.all([
      scoped(
        repo
          .createQueryBuilder('a')
          .select('SUBSTR(a.unitPath, 1, :len)', 'child')
          .addSelect('a.state', 'state')
          .addSelect('COUNT(*)', 'n')
          .addSelect('MAX(LENGTH(a.unitPath))', 'longest')
          .where('a.campaignId = :id', { id: c.id })
          .setParameter('len', childLength),
      )
        .groupBy('child')
        .addGroupBy('a.state')
        .getRawMany<{ child: string; state: string; n: string | number; longest: string | number }>(),
      scoped(
        repo
          .createQueryBuilder('a')
          .select('a.platform', 'platform')
          .addSelect('a.state', 'state')
          .addSelect('COUNT(*)', 'n')
          .where('a.campaignId = :id', { id: c.id }),
      )
        .groupBy('a.platform')
        .addGroupBy('a.state')
        .getRawMany<{ platform: string; state: string; n: string | number }>(),
      scoped(
        repo
          .createQueryBuilder('a')
          .select('a.completedAt', 'completedAt')
          .where("a.campaignId = :id AND a.state IN ('done', 'done_late')", { id: c.id }),
      ).getRawMany<{ completedAt: string | Date }>(),
      scoped(repo.createQueryBuilder('a').where("a.campaignId = :id AND a.state = 'overdue'", { id: c.id }))
        .orderBy('a.reminders', 'DESC')
        .addOrderBy('a.unitPath', 'ASC')
        .limit(200)
        .getMany(),
    ]);
    const counts = emptyCounts();
    const children = new Map<string, { counts: StateCounts; hasChildren: boolean }>();
    for (const r of byChild) {
      addCount(counts, r.state, Number(r.n));
      const childId = r.child.length > parent.path.length ? r.child.slice(parent.path.length, -1) : parent.id;
      const entry = children.get(childId) ?? children.set(childId, { counts: emptyCounts(), hasChildren: false }).get(childId)!;
      addCount(entry.counts, r.state, Number(r.n));
      if (Number(r.longest) > childLength) entry.hasChildren = true;
    }
    const platforms = new Map<string, StateCounts>(c.platforms.map((p) => [p, emptyCounts()]));
    for (const r of platformRows)
      addCount(platforms.get(r.platform) ?? platforms.set(r.platform, emptyCounts()).get(r.platform)!, r.state, Number(r.n));
    const [units, overdueNames, accountNames] = await Promise.all([
      children.size
        ? this.ds.getRepository(Unit).find({ where: { id: In([...children.keys()]) }, select: { id: true, name: true, level: true } })
        : Promise.resolve([] as Pick<Unit, 'id' | 'name' | 'level'>[]),
      this.unitNames(overdueRows.map((a) => a.unitId)),
      this.accountNames(overdueRows.flatMap((a) => (a.accountId ? [a.accountId] : []))),
    ]);
    const now = this.clock.now();
    return {
      counts,
      units: units
        .map((u) => ({
          unitId: u.id,
          unitName: u.name,
          level: u.level,
          hasChildren: children.get(u.id)!.hasChildren,
          counts: children.get(u.id)!.counts,
        }))
        .sort((a, b) => b.counts.overdue - a.counts.overdue || a.unitName.localeCompare(b.unitName, 'zh')),
      platforms: [...platforms].map(([platform, pc]) => ({ platform, counts: pc })),
      timeline: hourly(
        c.createdAt,
        done.map((d) => rawDate(d.completedAt)),
        now,
      ),
      overdue: overdueRows.map((a) => ({
        assignmentId: a.id,
        unitId: a.unitId,
        unitName: overdueNames.get(a.unitId) ?? '',
        platform: a.platform,
        accountName: a.accountId ? (accountNames.get(a.accountId) ?? null) : null,
        minutesLate: Math.max(0, Math.round((now.getTime() - a.deadline.getTime()) / MIN)),
        reminders: a.reminders,
      })),
    };
  }

  async assignments(actor: Actor, id: string, q: AssignmentListQuery): Promise<Page<AssignmentView>> {
    const c = await this.findIssued(actor, id);
    const qb = this.ds.getRepository(Assignment).createQueryBuilder('a').where('a.campaignId = :id', { id: c.id });
    whereInScope(qb, 'a.unitPath', [c.unitPath]);
    if (q.state) qb.andWhere('a.state = :state', { state: q.state });
    if (q.unitId) qb.andWhere('a.unitId = :unitId', { unitId: q.unitId });
    if (q.platform) qb.andWhere('a.platform = :platform', { platform: q.platform });
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(
      qb.orderBy('a.unitPath', 'ASC').addOrderBy('a.platform', 'ASC').addOrderBy('a.id', 'ASC'),
      skip,
      take,
    );
    return { items: await this.views(items, new Map([[c.id, c]])), total };
  }

  /** Views of assignments, with the names they show, in two queries whatever the page size. */
  async views(items: Assignment[], campaigns: Map<string, Campaign>): Promise<AssignmentView[]> {
    const missing = [...new Set(items.map((a) => a.campaignId))].filter((id) => !campaigns.has(id));
    if (missing.length) for (const c of await this.ds.getRepository(Campaign).findBy({ id: In(missing) })) campaigns.set(c.id, c);
    const units = await this.unitNames([...items.map((a) => a.unitId), ...[...campaigns.values()].map((c) => c.unitId)]);
    const accounts = await this.accountNames(items.flatMap((a) => (a.accountId ? [a.accountId] : [])));
    const now = this.clock.now();
    return items.map((a) => {
      const c = campaigns.get(a.campaignId)!;
      return assignmentView(
        a,
        c,
        { unit: (u) => units.get(u) ?? '', account: (x) => accounts.get(x) ?? null, issuer: units.get(c.unitId) ?? '' },
        now,
      );
    });
  }

  unitNames(ids: string[]): Promise<Map<string, string>> {
    return this.names(Unit, ids);
  }

  accountNames(ids: string[]): Promise<Map<string, string>> {
    return this.names(Account, ids);
  }

  /** id → name of units or accounts, 1,000 ids a query. */
  private async names(target: typeof Unit | typeof Account, ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, string>();
    for (let i = 0; i < unique.length; i += 1000) {
      const rows: { id: string; name: string }[] = await this.ds
        .getRepository<{ id: string; name: string }>(target)
        .find({ where: { id: In(unique.slice(i, i + 1000)) }, select: { id: true, name: true } });
      for (const r of rows) out.set(r.id, r.name);
    }
    return out;
  }
}

/** Cumulative completions per hour from the campaign's start to now (at most 31 days of buckets). */
function hourly(start: Date, completions: Date[], now: Date): { at: string; done: number }[] {
  const first = Math.floor(start.getTime() / HOUR) * HOUR;
  const last = Math.min(now.getTime(), first + 31 * 24 * HOUR);
  const perHour = new Map<number, number>();
  for (const d of completions) {
    const h = Math.max(first, Math.floor(d.getTime() / HOUR) * HOUR);
    perHour.set(h, (perHour.get(h) ?? 0) + 1);
  }
  const out: { at: string; done: number }[] = [];
  let sum = 0;
  for (let h = first; h <= last; h += HOUR) {
    sum += perHour.get(h) ?? 0;
    out.push({ at: new Date(h).toISOString(), done: sum });
  }
  return out;
}
