import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, pathInScope, whereInScope } from '@tongfa/database';
import { Account } from '@tongfa/accounts';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { JobQueue } from '@tongfa/jobs';
import { MONITORED_STATUSES, RuleState, spotCheckDutyFor } from '@tongfa/monitoring';
import { ChecklistItem, checklistFor, proposedResult } from './checklist';
import { FindingResult, Rectification, SpotCheckFinding, SpotCheckRound, SpotCheckSample } from './entities';
import { drawSample, SAMPLING_ALGORITHM, stratumKey } from './sampling';
import { SupervisionError, SupervisionException } from './supervision.exception';
import { FindingView, PopulationMemberView, RoundDetailView, RoundView } from './views';
import { publicPageUrl } from './public-page';

export interface CreateRoundInput {
  rootUnitId: string;
  period: string;
  ratio: number;
  seed?: string;
}

export interface FindingInput {
  accountId: string;
  item: string;
  result: 'pass' | 'fail';
  note?: string;
  evidence?: Record<string, unknown>;
  /** The rectification deadline for a failure; the item's default when absent. */
  deadline?: Date;
}

const DAY = 86_400_000;
const CHUNK = 400;
const PERIOD = /^(\d{4})-(Q[1-4]|0[1-9]|1[0-2])$/;

export const DEFAULT_REQUIREMENTS =
  '一、各单位要对照本次抽查发现的问题，逐项明确责任人和整改时限，按期完成整改并报送整改情况。\n' +
  '二、严格落实政务新媒体内容发布审核制度（先审后发），确保信息更新及时、互动回应有效。\n' +
  '三、主管单位将对整改情况进行复查，逾期未整改或整改不到位的，将予以通报。';

export const SAMPLING_DESCRIPTION =
  '按“平台|单位层级”分层；层内账号按 ID 字节序排序；每层抽取 ceil(比例×层内账号数) 个（非空层至少 1 个）；' +
  '每层用 mulberry32 生成器，种子为 UTF-8 文本“<seed>|<层键>”的 32 位 FNV-1a 散列；自前向后做 n 步 Fisher–Yates 洗牌' +
  '（第 i 步与 i+floor(next()×(层大小−i)) 交换），前 n 个即为样本。/ Strata by platform|unit level; ids sorted; ' +
  'n = ceil(ratio × size) per stratum (at least one); mulberry32 seeded with FNV-1a-32 of "<seed>|<stratum>"; ' +
  'n steps of a forward Fisher–Yates shuffle; the first n are drawn.';

/** The items of the caller's round root: checklist per the root province's rule sets. */
const rootId = (path: string) => path.split('/').filter(Boolean)[0]!;

/**
 * 抽查 rounds: opening a round (the jurisdiction's minimum ratio, the stratified seeded draw, the
 * checklist pre-filled from monitoring), reading it with its derivation, and the checker's findings,
 * a confirmed failure becoming a rectification order. Every read is limited to the caller's subtree.
 */
@Injectable()
export class SpotChecksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
  ) {}

  async create(actor: Actor, input: CreateRoundInput): Promise<RoundView> {
    const scope = actor.scope(Permission.SpotCheckManage);
    if (!scope.length) throw new SupervisionException(SupervisionError.NotSupervisor);
    const root = await this.ds.getRepository(Unit).findOne({ where: { id: input.rootUnitId } });
    if (!root || !pathInScope(root.path, scope)) throw new SupervisionException(SupervisionError.RootNotFound);
    const province = await this.ds
      .getRepository(Unit)
      .findOneOrFail({ where: { id: rootId(root.path) }, select: { id: true, regionCode: true } });
    const duty = spotCheckDutyFor(province.regionCode);
    const period = PERIOD.exec(input.period);
    if (!period) {
      throw new SupervisionException(
        SupervisionError.PeriodInvalid,
        { reason: { zh: '格式须为 2026-Q4 或 2026-11', en: 'use 2026-Q4 or 2026-11' } },
        [{ field: 'period', message: '抽查周期格式须为 2026-Q4（季度）或 2026-11（月度）' }],
      );
    }
    if (duty.cadence === 'month' && period[2]!.startsWith('Q')) {
      throw new SupervisionException(
        SupervisionError.PeriodInvalid,
        { reason: { zh: `${duty.ruleSet.jurisdiction.zh}按月抽查`, en: `${duty.ruleSet.jurisdiction.en} checks monthly` } },
        [{ field: 'period', message: `抽查周期：${duty.ruleSet.jurisdiction.zh}要求每月抽查，请填写月份，如 2026-11` }],
      );
    }
    if (!(input.ratio >= duty.minRatio - 1e-9) || input.ratio > 1) {
      const min = `${Math.round(duty.minRatio * 100)}%`;
      throw new SupervisionException(SupervisionError.RatioTooLow, { min, jurisdiction: duty.ruleSet.jurisdiction }, [
        {
          field: 'ratio',
          message: `抽查比例须在 ${min} 至 100% 之间（${duty.ruleSet.jurisdiction.zh}${duty.cadence === 'month' ? '每月' : '每季度'}不少于 ${min}）`,
        },
      ]);
    }
    const seed = input.seed?.trim() || newId().replace(/-/g, '').slice(-16);
    const now = this.clock.now();

    const population = await this.ds
      .getRepository(Account)
      .createQueryBuilder('a')
      .innerJoin(Unit, 'u', 'u.id = a.unitId')
      .select([
        'a.id AS id',
        'a.name AS name',
        'a.platform AS platform',
        'a.unitId AS unitId',
        'a.unitPath AS unitPath',
        'a.platformAccountId AS platformAccountId',
        'a.endpoints AS endpoints',
        'a.sandbox AS sandbox',
        'u.name AS unitName',
        'u.level AS level',
      ])
      .where('a.unitPath LIKE :root AND a.status IN (:...statuses)', { root: `${root.path}%`, statuses: MONITORED_STATUSES })
      .getRawMany<{
        id: string;
        name: string;
        platform: string;
        unitId: string;
        unitPath: string;
        platformAccountId: string | null;
        endpoints: string | null;
        sandbox: number | boolean;
        unitName: string;
        level: string;
      }>();
    if (!population.length) throw new SupervisionException(SupervisionError.NoAccounts);
    const draws = drawSample(
      population.map((a) => ({ accountId: a.id, platform: a.platform, level: a.level })),
      input.ratio,
      seed,
    );
    const drawn = new Set(draws.flatMap((d) => d.accountIds));
    const checklist = checklistFor(province.regionCode);
    const round = this.ds.getRepository(SpotCheckRound).create({
      id: newId(),
      unitId: root.id,
      unitPath: root.path,
      period: input.period,
      ratio: input.ratio,
      minRatio: duty.minRatio,
      ruleSet: duty.ruleSet.id,
      ruleSetVersion: duty.ruleSet.version,
      seed,
      algorithm: SAMPLING_ALGORITHM,
      population: population.length,
      sampled: drawn.size,
      strata: draws.map(({ key, platform, level, size, drawn: n }) => ({ key, platform, level, size, drawn: n })),
      requirements: DEFAULT_REQUIREMENTS,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    const samples = population.map((a) => {
      const isDrawn = drawn.has(a.id);
      const pageUrl = isDrawn
        ? publicPageUrl({
            platform: a.platform,
            platformAccountId: a.platformAccountId,
            endpoints: typeof a.endpoints === 'string' ? (JSON.parse(a.endpoints) as Record<string, string>) : a.endpoints,
            sandbox: !!Number(a.sandbox),
          })
        : null;
      return {
        roundId: round.id,
        accountId: a.id,
        drawn: isDrawn,
        accountName: a.name,
        platform: a.platform,
        unitId: a.unitId,
        unitPath: a.unitPath,
        unitName: a.unitName,
        unitLevel: a.level,
        pageUrl,
        snapshotState: pageUrl ? ('pending' as const) : ('none' as const),
        snapshotMediaId: null,
        snapshotAt: null,
        snapshotAttempts: 0,
        nextSnapshotAt: pageUrl ? now : null,
        snapshotError: null,
      };
    });
    await this.ds.transaction(async (m) => {
      await m.insert(SpotCheckRound, round);
      for (let i = 0; i < samples.length; i += CHUNK) await m.insert(SpotCheckSample, samples.slice(i, i + CHUNK));
      await this.prefill(m, round, [...drawn], checklist, now);
    });
    // A hint: the snapshot sweep would find the rows anyway.
    if (samples.some((s) => s.snapshotState === 'pending')) {
      await this.jobs.add('supervision.snapshot-sweep', {}, { jobId: `supervision.snapshot-sweep:${round.id}` }).catch(() => undefined);
    }
    return this.view(round, root.name);
  }

  /** One finding per drawn account and checklist item, proposed by monitoring's rule state with its evidence. */
  private async prefill(m: EntityManager, round: SpotCheckRound, accountIds: string[], checklist: ChecklistItem[], now: Date) {
    for (let i = 0; i < accountIds.length; i += CHUNK) {
      const ids = accountIds.slice(i, i + CHUNK);
      const states = await m.find(RuleState, { where: { accountId: In(ids), ruleId: In(checklist.map((c) => c.id)) } });
      const stateOf = new Map(states.map((s) => [`${s.accountId}\u0000${s.ruleId}`, s]));
      const rows: SpotCheckFinding[] = [];
      for (const accountId of ids) {
        for (const item of checklist) {
          const s = stateOf.get(`${accountId}\u0000${item.id}`);
          const result = proposedResult(s?.state);
          const url = s && typeof s.evidence.lastPostUrl === 'string' ? s.evidence.lastPostUrl : null;
          rows.push(
            m.create(SpotCheckFinding, {
              id: newId(),
              roundId: round.id,
              accountId,
              item: item.id,
              result,
              source: 'monitoring',
              note: s
                ? `监测${s.state === 'breach' ? '不合格' : s.state === 'warning' ? '预警' : s.state === 'ok' ? '正常' : '未知'}：${item.title.zh}`
                : `尚无监测结果，待人工核查：${item.title.zh}`,
              evidence: s
                ? {
                    url,
                    time: s.evaluatedAt.toISOString(),
                    since: s.since.toISOString(),
                    state: s.state,
                    step: s.step,
                    ruleSet: s.ruleSet,
                    ruleSetVersion: s.ruleSetVersion,
                    data: s.evidence,
                  }
                : { state: null },
              decidedBy: null,
              decidedAt: now,
            }),
          );
        }
      }
      for (let j = 0; j < rows.length; j += CHUNK)
        await m.insert(SpotCheckFinding, rows.slice(j, j + CHUNK) as QueryDeepPartialEntity<SpotCheckFinding>[]);
    }
  }

  /** A round the caller may read (spot-check read scope over its root); 404 otherwise. */
  async findRound(actor: Actor, id: string, permission = Permission.SpotCheckRead): Promise<SpotCheckRound> {
    const round = await this.ds.getRepository(SpotCheckRound).findOne({ where: { id } });
    if (!round || !pathInScope(round.unitPath, actor.scope(Permission.SpotCheckRead)))
      throw new SupervisionException(SupervisionError.NotFound);
    if (!pathInScope(round.unitPath, actor.scope(permission))) throw new SupervisionException(SupervisionError.NotSupervisor);
    return round;
  }

  async list(actor: Actor, q: PageQuery & { rootUnitId?: string }): Promise<Page<RoundView>> {
    const scope = actor.scope(Permission.SpotCheckRead);
    if (!scope.length) throw new SupervisionException(SupervisionError.NotPermitted);
    const qb = this.ds.getRepository(SpotCheckRound).createQueryBuilder('r');
    whereInScope(qb, 'r.unitPath', scope);
    if (q.rootUnitId) qb.andWhere('r.unitId = :root', { root: q.rootUnitId });
    qb.orderBy('r.createdAt', 'DESC').addOrderBy('r.id', 'DESC');
    const { skip, take } = pageOffset(q);
    const [rows, total] = await fetchPage(qb, skip, take);
    const names = await this.unitNames(rows.map((r) => r.unitId));
    return { items: rows.map((r) => this.view(r, names.get(r.unitId) ?? '')), total };
  }

  /**
   * A round with its derivation (strata sizes and counts, the re-draw checked here) and one page of
   * its sample; the population itself is paged by `population()`. The whole membership is read to
   * re-derive the sample, but only a page of it goes out: a province's round holds thousands.
   */
  async get(actor: Actor, id: string, q: PageQuery = { page: 1, pageSize: 20 }): Promise<RoundDetailView> {
    const round = await this.findRound(actor, id);
    const [members, names] = await Promise.all([
      this.ds
        .getRepository(SpotCheckSample)
        .find({ where: { roundId: id }, order: { unitPath: 'ASC', platform: 'ASC', accountId: 'ASC' } }),
      this.unitNames([round.unitId]),
    ]);
    const province = await this.ds
      .getRepository(Unit)
      .findOneOrFail({ where: { id: rootId(round.unitPath) }, select: { id: true, regionCode: true } });
    const checklist = checklistFor(province.regionCode);
    const titles = new Map(checklist.map((c) => [c.id, c.title]));
    const again = drawSample(
      members.map((s) => ({ accountId: s.accountId, platform: s.platform, level: s.unitLevel })),
      round.ratio,
      round.seed,
    );
    const stored = new Set(members.filter((s) => s.drawn).map((s) => s.accountId));
    const redrawn = again.flatMap((d) => d.accountIds);
    const verified = redrawn.length === stored.size && redrawn.every((a) => stored.has(a));
    const drawnMembers = members.filter((s) => s.drawn);
    const { skip, take } = pageOffset(q);
    const pageMembers = drawnMembers.slice(skip, skip + take);
    const findings = pageMembers.length
      ? await this.ds
          .getRepository(SpotCheckFinding)
          .find({ where: { roundId: id, accountId: In(pageMembers.map((s) => s.accountId)) }, order: { item: 'ASC' } })
      : [];
    const findingsOf = new Map<string, FindingView[]>();
    for (const f of findings) {
      const list = findingsOf.get(f.accountId) ?? findingsOf.set(f.accountId, []).get(f.accountId)!;
      list.push(findingView(f, titles));
    }
    return {
      ...this.view(round, names.get(round.unitId) ?? ''),
      checklist: checklist.map((c) => ({ id: c.id, kind: c.kind, title: c.title, deadlineDays: c.deadlineDays })),
      derivation: {
        algorithm: round.algorithm,
        description: SAMPLING_DESCRIPTION,
        seed: round.seed,
        ratio: round.ratio,
        strata: again.map((d) => ({ key: d.key, platform: d.platform, level: d.level, size: d.size, drawn: d.drawn })),
        verified,
      },
      sample: {
        total: drawnMembers.length,
        items: pageMembers.map((s) => ({
          accountId: s.accountId,
          accountName: s.accountName,
          platform: s.platform,
          unitId: s.unitId,
          unitName: s.unitName,
          unitLevel: s.unitLevel,
          stratum: stratumKey(s.platform, s.unitLevel),
          snapshot: {
            state: s.snapshotState,
            mediaId: s.snapshotMediaId,
            takenAt: s.snapshotAt,
            pageUrl: s.pageUrl,
            error: s.snapshotError,
          },
          findings: findingsOf.get(s.accountId) ?? [],
        })),
      },
    };
  }

  /**
   * The round's whole population a page at a time, in stratum order then account id: with the seed
   * and the algorithm, everything anyone needs to draw the sample again (`drawSample`).
   */
  async population(actor: Actor, id: string, q: PageQuery): Promise<Page<PopulationMemberView>> {
    await this.findRound(actor, id);
    const qb = this.ds
      .getRepository(SpotCheckSample)
      .createQueryBuilder('s')
      .select(['s.accountId', 's.platform', 's.unitLevel', 's.drawn'])
      .where('s.roundId = :id', { id })
      .orderBy('s.platform', 'ASC')
      .addOrderBy('s.unitLevel', 'ASC')
      .addOrderBy('s.accountId', 'ASC');
    const { skip, take } = pageOffset(q);
    const [rows, total] = await fetchPage(qb, skip, take);
    return {
      total,
      items: rows.map((s) => ({
        accountId: s.accountId,
        platform: s.platform,
        level: s.unitLevel,
        stratum: stratumKey(s.platform, s.unitLevel),
        drawn: s.drawn,
      })),
    };
  }

  /**
   * The checker's decision on one item of one drawn account. A failure opens a rectification order
   * to the account's unit (one per finding: a repeated failure keeps the order it has).
   */
  async recordFinding(
    actor: Actor,
    roundId: string,
    input: FindingInput,
  ): Promise<{
    round: SpotCheckRound;
    finding: FindingView;
    before: FindingResult | null;
    rectification: Rectification | null;
    created: boolean;
  }> {
    const round = await this.findRound(actor, roundId, Permission.SpotCheckManage);
    const sample = await this.ds.getRepository(SpotCheckSample).findOne({ where: { roundId, accountId: input.accountId, drawn: true } });
    if (!sample) {
      throw new SupervisionException(SupervisionError.NotSampled, {}, [{ field: 'accountId', message: '账号不在本轮抽查样本中' }]);
    }
    const province = await this.ds
      .getRepository(Unit)
      .findOneOrFail({ where: { id: rootId(round.unitPath) }, select: { id: true, regionCode: true } });
    const checklist = checklistFor(province.regionCode);
    const item = checklist.find((c) => c.id === input.item);
    if (!item) {
      const items = checklist.map((c) => c.id).join('|');
      throw new SupervisionException(SupervisionError.ItemInvalid, { items }, [{ field: 'item', message: `检查项须为 ${items}` }]);
    }
    const now = this.clock.now();
    let deadline = new Date(now.getTime() + item.deadlineDays * DAY);
    if (input.deadline) {
      const ahead = input.deadline.getTime() - now.getTime();
      if (!(ahead >= DAY - 60_000 && ahead <= 90 * DAY)) {
        throw new SupervisionException(SupervisionError.DeadlineInvalid, {}, [
          { field: 'deadline', message: '整改期限须在 1 至 90 天之内' },
        ]);
      }
      deadline = input.deadline;
    }
    const note = (input.note ?? '').trim().slice(0, 1000);
    return this.ds.transaction(async (m) => {
      const existing = await m.findOne(SpotCheckFinding, { where: { roundId, accountId: input.accountId, item: item.id } });
      const before = existing?.result ?? null;
      const evidence = { ...(existing?.evidence ?? {}), ...(input.evidence ?? {}) };
      const finding = existing ?? m.create(SpotCheckFinding, { id: newId(), roundId, accountId: input.accountId, item: item.id });
      Object.assign(finding, {
        result: input.result,
        source: 'checker',
        note: note || item.title.zh,
        evidence,
        decidedBy: actor.userId,
        decidedAt: now,
      });
      await m.save(SpotCheckFinding, finding);
      let rectification: Rectification | null = await m.findOne(Rectification, { where: { findingId: finding.id } });
      let created = false;
      if (input.result === 'fail' && !rectification) {
        rectification = m.create(Rectification, {
          id: newId(),
          roundId,
          findingId: finding.id,
          accountId: sample.accountId,
          unitId: sample.unitId,
          unitPath: sample.unitPath,
          item: item.id,
          problem:
            `${sample.accountName}（${sample.platform}）：${item.title.zh}${note && note !== item.title.zh ? `。${note}` : ''}`.slice(
              0,
              1000,
            ),
          state: 'open',
          deadline,
          responseText: null,
          responseEvidence: null,
          respondedAt: null,
          respondedBy: null,
          answeredLate: false,
          reviewedAt: null,
          reviewedBy: null,
          reviewNote: null,
          reopened: 0,
          overdueAlertedAt: null,
          createdBy: actor.userId,
          createdAt: now,
        });
        try {
          await m.insert(Rectification, rectification);
          created = true;
        } catch (e) {
          // Two checkers failing the same item at once: the unique finding id keeps one order, the other reads it.
          rectification = await m.findOne(Rectification, { where: { findingId: finding.id } });
          if (!rectification) throw e;
        }
      }
      return { round, finding: findingView(finding, new Map(checklist.map((c) => [c.id, c.title]))), before, rectification, created };
    });
  }

  async updateRequirements(actor: Actor, id: string, requirements: string): Promise<{ before: string; round: RoundView }> {
    const round = await this.findRound(actor, id, Permission.SpotCheckManage);
    const before = round.requirements;
    round.requirements = requirements.trim();
    round.updatedAt = this.clock.now();
    await this.ds.getRepository(SpotCheckRound).update({ id }, { requirements: round.requirements, updatedAt: round.updatedAt });
    const names = await this.unitNames([round.unitId]);
    return { before, round: this.view(round, names.get(round.unitId) ?? '') };
  }

  private async unitNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const units = await this.ds.getRepository(Unit).find({ where: { id: In([...new Set(ids)]) }, select: { id: true, name: true } });
    return new Map(units.map((u) => [u.id, u.name]));
  }

  view(r: SpotCheckRound, rootUnitName: string): RoundView {
    return {
      id: r.id,
      rootUnitId: r.unitId,
      rootUnitName,
      period: r.period,
      ratio: r.ratio,
      minRatio: r.minRatio,
      ruleSet: r.ruleSet,
      ruleSetVersion: r.ruleSetVersion,
      seed: r.seed,
      algorithm: r.algorithm,
      population: r.population,
      sampled: r.sampled,
      strata: r.strata,
      requirements: r.requirements,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }
}

export function findingView(f: SpotCheckFinding, titles: Map<string, { zh: string; en: string }>): FindingView {
  return {
    id: f.id,
    item: f.item,
    itemTitle: titles.get(f.item) ?? { zh: f.item, en: f.item },
    result: f.result,
    source: f.source,
    note: f.note,
    evidence: f.evidence,
    decidedBy: f.decidedBy,
    decidedAt: f.decidedAt,
  };
}
