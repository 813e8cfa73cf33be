import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, CommonError, CommonException, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { containsPattern, LIKE_ESCAPE, pathInScope, whereInScope, fetchPage, orderList } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { Account } from '@tongfa/accounts';
import { ComplianceGate, complianceSubjectOf, Manuscript, ManuscriptStatus, ManuscriptVersion, ReviewDecision } from '@tongfa/manuscripts';
import {
  CorrectionMode,
  Publication,
  PublicationAttempt,
  PublicationPlan,
  PublicationStatus,
  PublicationTarget,
  TargetState,
  TERMINAL_STATES,
} from './entities';
import { priorityOfCategory, targetRank } from './priority';
import { PublishingError, PublishingException } from './publishing.exception';
import { RenderedFor, RenditionService } from './rendition.service';
import { SkippedAccount } from './publishability';
import { Dispatcher } from './dispatcher';
import { assertSameRequest, IdempotentRequest, requestHash } from './idempotency';

export interface CreatePublicationInput {
  accountIds: string[];
  scheduledAt?: Date | null;
}

/** Filters of the publication list (all optional, all within the caller's subtree). */
export interface PublicationFilter {
  manuscriptId?: string;
  /** Publication statuses (any of). */
  status?: PublicationStatus[];
  /** Publications with a target on this platform (plugin id). */
  platform?: string;
  /** Publications with a target on this account. */
  accountId?: string;
  /** Publications with a target in this state (e.g. `failed`: something to retry). */
  targetState?: TargetState;
  /** The unit's subtree. */
  unitId?: string;
  /** Created at or after / before. */
  from?: Date;
  to?: Date;
  /** Text in the manuscript's title. */
  q?: string;
}

/** The longest path every scope path starts with, cut at a unit boundary ('/'). */
function commonPrefix(paths: string[]): string {
  let p = paths[0] ?? '';
  for (const x of paths) while (!x.startsWith(p)) p = p.slice(0, p.slice(0, -1).lastIndexOf('/') + 1);
  return p;
}

export interface TargetView {
  id: string;
  accountId: string;
  accountName: string | null;
  platform: string;
  state: TargetState;
  remoteId: string | null;
  url: string | null;
  /** A sandbox account's post: the simulator's page that shows it (the platform url exists only in the simulation). */
  viewUrl: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  publishedAt: Date | null;
  retractedAt: Date | null;
  /** Corrections: how this target corrects the original post, and which target it replaces. */
  correctionMode: CorrectionMode | null;
  replacesTargetId: string | null;
  /** On an original: the correction target that took over its post. */
  supersededBy: string | null;
  note: string | null;
  updatedAt: Date;
}

export interface PublicationView extends Publication {
  targets: TargetView[];
}

/** What creating a publication answers: the publication, and the accounts it left out and why. */
export interface CreatedPublicationView extends PublicationView {
  skipped: SkippedAccount[];
}

/** How the state of every target sums up for the publication. */
export function summarize(states: TargetState[], scheduled: boolean): PublicationStatus {
  if (states.every((s) => s === 'pending')) return scheduled ? 'scheduled' : 'publishing';
  if (states.some((s) => s === 'retracting')) return 'retracting';
  if (states.every((s) => s === 'retracted' || s === 'retract_failed') && states.some((s) => s === 'retracted')) return 'retracted';
  if (!states.every((s) => TERMINAL_STATES.includes(s))) return 'publishing';
  if (states.every((s) => s === 'published')) return 'published';
  // Corrected: no target of its own is live any more; a correction publication carries the posts.
  if (states.some((s) => s === 'superseded') && !states.includes('published')) return 'superseded';
  if (states.some((s) => s === 'published' || s === 'retracted')) return 'partial';
  return 'failed';
}

/**
 * Publications and their targets (the outbox): created in one transaction with the approved
 * version's renditions, then handed to the dispatcher. Nothing is published inside the request.
 */
@Injectable()
export class PublicationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly renditions: RenditionService,
    private readonly compliance: ComplianceGate,
    private readonly dispatcher: Dispatcher,
  ) {}

  async create(
    actor: Actor,
    manuscriptId: string,
    input: CreatePublicationInput,
    idempotencyKey?: string,
  ): Promise<{ view: CreatedPublicationView; created: boolean }> {
    const ms = await this.ds.getRepository(Manuscript).findOne({ where: { id: manuscriptId } });
    const isEditor = ms && actor.grants.some((g) => g.role === Role.Editor && g.unitId === ms.unitId);
    if (!ms || !isEditor) {
      if (ms && pathInScope(ms.unitPath, actor.scope(Permission.ManuscriptRead))) throw new CommonException(CommonError.Forbidden);
      throw new PublishingException(PublishingError.ManuscriptNotFound);
    }
    // An Idempotency-Key replays only the request it was first used for, and only to a caller who
    // may still publish the manuscript (checked above): keys are per caller (createdBy), so no
    // unit can probe or replay another's.
    const request: IdempotentRequest = {
      kind: 'publication',
      resourceId: manuscriptId,
      body: { accountIds: [...new Set(input.accountIds)].sort(), scheduledAt: input.scheduledAt ?? null },
    };
    const hash = requestHash(request);
    if (idempotencyKey) {
      const existing = await this.ds.getRepository(Publication).findOne({ where: { createdBy: actor.userId, idempotencyKey } });
      if (existing) {
        assertSameRequest(existing, request, hash);
        return { view: await this.replayed(existing, input.accountIds), created: false };
      }
    }
    // 先审后发: only the version the review approved, and only while it is still the current one.
    if (ms.status !== ManuscriptStatus.Approved || !ms.approvedVersionId || ms.approvedVersionId !== ms.currentVersionId) {
      throw new PublishingException(PublishingError.NotApproved);
    }
    const version = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: ms.approvedVersionId });
    const ids = [...new Set(input.accountIds)];
    const accounts = await this.ds.getRepository(Account).find({ where: { id: In(ids) } });
    // Another unit's account (or none) is a wrong request, refused whole; an account of the unit
    // that cannot take this manuscript is left out and reported, and the others still publish.
    const problems = ids.flatMap((id, i) => {
      const a = accounts.find((x) => x.id === id);
      if (!a || a.unitId !== ms.unitId)
        return [{ field: `accountIds[${i}]`, message: '不是本单位的账号 / not an account of the manuscript’s unit' }];
      return [];
    });
    if (problems.length) throw new PublishingException(PublishingError.AccountsInvalid, {}, problems);
    const now = this.clock.now();
    if (input.scheduledAt && input.scheduledAt.getTime() < now.getTime() - 60_000)
      throw new PublishingException(PublishingError.ScheduleInPast);
    // The planned time (计划发布时间) set while writing becomes the publication's time when the
    // request names none; a plan already past publishes now. The request's own time always wins.
    const plan = await this.ds.getRepository(PublicationPlan).findOneBy({ manuscriptId: ms.id });
    const scheduledAt = input.scheduledAt ?? (plan && plan.plannedAt.getTime() > now.getTime() ? plan.plannedAt : null);

    const { rendered, skipped } = await this.sort(
      ms,
      version,
      ids.map((id) => accounts.find((a) => a.id === id)!),
    );
    if (rendered.length === 0) {
      throw new PublishingException(
        PublishingError.NothingPublishable,
        { count: skipped.length },
        skipped.map((k) => ({
          field: `accountIds[${ids.indexOf(k.accountId)}]`,
          code: k.code,
          message: `${k.accountName}（${k.platformName}）：${k.reason}。${k.fix}`,
        })),
      );
    }

    const scheduled = !!scheduledAt && scheduledAt.getTime() > now.getTime();
    const publication = this.ds.getRepository(Publication).create({
      id: newId(),
      manuscriptId: ms.id,
      versionId: version.id,
      unitId: ms.unitId,
      unitPath: ms.unitPath,
      createdBy: actor.userId,
      idempotencyKey: idempotencyKey ?? newId(),
      requestHash: hash,
      status: scheduled ? 'scheduled' : 'publishing',
      // 突发事件 first, campaign relays last; the targets carry the rank the queue orders by.
      priority: priorityOfCategory(ms.category),
      scheduledAt: scheduledAt ?? null,
      retractReason: null,
      retractedBy: null,
      correctionOf: null,
      correctionReason: null,
    });
    const targets = rendered.map((r, i) =>
      this.ds.getRepository(PublicationTarget).create({
        id: newId(),
        publicationId: publication.id,
        accountId: r.account.id,
        platform: r.account.platform,
        state: scheduled ? 'pending' : 'queued',
        priority: targetRank(publication.priority, i),
        rendition: r.rendition,
        checkpoint: null,
        remoteId: null,
        url: null,
        attempts: 0,
        lastErrorKind: null,
        lastError: null,
        nextAttemptAt: scheduled ? scheduledAt! : now,
        claimedBy: null,
        claimedUntil: null,
        mustCheckExisting: false,
        dispatchedAt: null,
        dispatches: 0,
        publishedAt: null,
        retractedAt: null,
        correctionMode: null,
        replacesTargetId: null,
        supersededBy: null,
        note: null,
      }),
    );
    try {
      // The outbox: the publication and every target commit together, or nothing does.
      await this.ds.transaction(async (m) => {
        await m.insert(Publication, publication);
        // Multi-row inserts: a matrix-wide publication has thousands of targets.
        for (let i = 0; i < targets.length; i += 200) await m.insert(PublicationTarget, targets.slice(i, i + 200) as never);
        // The plan is used up: from now on the publication carries the time (and the calendar shows it).
        if (plan) await m.delete(PublicationPlan, { manuscriptId: ms.id });
      });
    } catch (e) {
      // A concurrent request with the same Idempotency-Key won the unique index: return its publication.
      if (idempotencyKey) {
        const existing = await this.awaitIdempotent(actor.userId, idempotencyKey);
        if (existing) {
          assertSameRequest(existing, request, hash);
          return { view: await this.replayed(existing, input.accountIds), created: false };
        }
      }
      throw e;
    }
    // After commit: a lost enqueue here is found by the reconciler, so this is only a fast path.
    await this.dispatcher.dispatch(targets).catch(() => undefined);
    return { view: { ...(await this.view(publication)), skipped }, created: true };
  }

  /**
   * The five checks at the publish phase (the whole manuscript: refused as a whole), then which
   * accounts can take the version and which cannot, by the rule the preview shows.
   */
  private async sort(
    ms: Manuscript,
    version: ManuscriptVersion,
    accounts: Account[],
  ): Promise<{ rendered: RenderedFor[]; skipped: SkippedAccount[] }> {
    await this.assertCompliant(ms, version);
    const assessed = await this.renditions.assess(version, ms, accounts);
    return {
      rendered: assessed.flatMap((a) => (a.skip || !a.rendition ? [] : [{ account: a.account, rendition: a.rendition }])),
      skipped: assessed.flatMap((a) => (a.skip ? [a.skip] : [])),
    };
  }

  /**
   * A repeated request (same Idempotency-Key) answers the publication it created; the accounts it
   * asked for that have no target are reported again, with why they cannot take it now.
   */
  private async replayed(pub: Publication, accountIds: string[]): Promise<CreatedPublicationView> {
    const view = await this.view(pub);
    const missing = [...new Set(accountIds)].filter((id) => !view.targets.some((t) => t.accountId === id));
    if (!missing.length) return { ...view, skipped: [] };
    const ms = await this.ds.getRepository(Manuscript).findOneByOrFail({ id: pub.manuscriptId });
    const version = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: pub.versionId });
    const accounts = await this.ds.getRepository(Account).find({ where: { id: In(missing), unitId: pub.unitId } });
    const assessed = await this.renditions.assess(version, ms, accounts);
    return { ...view, skipped: assessed.flatMap((a) => (a.skip ? [a.skip] : [])) };
  }

  /**
   * After losing the unique-index race on (createdBy, Idempotency-Key), the winner's transaction
   * may not have committed yet (InnoDB can also end the loser with a deadlock before the winner
   * commits): wait for its row rather than answer an error for a request that will have succeeded.
   */
  async awaitIdempotent(createdBy: string, idempotencyKey: string, timeoutMs = 5000): Promise<Publication | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const existing = await this.ds.getRepository(Publication).findOne({ where: { createdBy, idempotencyKey } });
      if (existing || Date.now() > deadline) return existing;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * The checks every publication of a version passes before its outbox is written (corrections
   * too): the five checks at the publish phase, then each account's rendition without violations.
   * `ids` orders the accounts for the error details.
   */
  async prepare(ms: Manuscript, version: ManuscriptVersion, accounts: Account[], ids: string[]): Promise<RenderedFor[]> {
    await this.assertCompliant(ms, version);
    const rendered = await this.renditions.renderFor(version, ms, accounts);
    const broken = rendered.filter((r) => r.rendition.violations.length > 0);
    if (broken.length) {
      throw new PublishingException(
        PublishingError.RenditionViolations,
        {},
        broken.flatMap((r) =>
          r.rendition.violations.map((v) => ({
            field: `accountIds[${ids.indexOf(r.account.id)}]`,
            code: v.constraint,
            message: `${r.account.name}：${v.message}`,
          })),
        ),
      );
    }
    return rendered;
  }

  /** Before publishing: the five checks, with the acknowledgements the reviewers recorded on this version. */
  private async assertCompliant(ms: Manuscript, version: ManuscriptVersion): Promise<void> {
    const acknowledged = (
      await this.ds.getRepository(ReviewDecision).find({ where: { versionId: version.id }, select: { acknowledged: true } })
    ).flatMap((d) => d.acknowledged);
    const verdict = await this.compliance.check(
      { ...complianceSubjectOf(version), unitPath: ms.unitPath },
      { phase: 'publish', acknowledged },
    );
    if (verdict.blocking.length > 0) {
      throw new PublishingException(
        PublishingError.ComplianceBlocked,
        { count: verdict.blocking.length },
        verdict.blocking.map((f) => ({ field: 'body', code: f.id, message: f.message.zh })),
      );
    }
  }

  async get(actor: Actor, id: string): Promise<PublicationView> {
    return this.view(await this.find(actor, id));
  }

  async list(actor: Actor, q: PageQuery & PublicationFilter): Promise<Page<Publication>> {
    const scope = actor.scope(Permission.ManuscriptRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    const qb = this.ds.getRepository(Publication).createQueryBuilder('p');
    whereInScope(qb, 'p.unitPath', scope);
    if (q.unitId) {
      // A unit outside the caller's subtree narrows to nothing rather than saying whether it exists.
      const unit = await this.ds.getRepository(Unit).findOne({ where: { id: q.unitId }, select: { id: true, path: true } });
      whereInScope(qb, 'p.unitPath', unit && pathInScope(unit.path, scope) ? [unit.path] : []);
    }
    if (q.manuscriptId) qb.andWhere('p.manuscriptId = :mid', { mid: q.manuscriptId });
    if (q.status?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: q.status });
    if (q.platform)
      qb.andWhere('EXISTS (SELECT 1 FROM publication_target ft WHERE ft.publicationId = p.id AND ft.platform = :platform)', {
        platform: q.platform,
      });
    if (q.accountId)
      qb.andWhere('EXISTS (SELECT 1 FROM publication_target fa WHERE fa.publicationId = p.id AND fa.accountId = :accountId)', {
        accountId: q.accountId,
      });
    if (q.targetState)
      qb.andWhere('EXISTS (SELECT 1 FROM publication_target fs WHERE fs.publicationId = p.id AND fs.state = :targetState)', {
        targetState: q.targetState,
      });
    if (q.from) qb.andWhere('p.createdAt >= :from', { from: q.from });
    if (q.to) qb.andWhere('p.createdAt < :to', { to: q.to });
    if (q.q)
      qb.andWhere(
        `p.manuscriptId IN (SELECT fm.id FROM manuscript fm WHERE fm.unitPath LIKE :fmScope AND fm.title LIKE :title ${LIKE_ESCAPE})`,
        {
          title: containsPattern(q.q),
          // The manuscripts' own scope keeps the subquery on the caller's subtree (and its index).
          fmScope: `${commonPrefix(scope)}%`,
        },
      );
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(
      orderList(
        qb,
        q.sort,
        { createdAt: 'p.createdAt', status: 'p.status', scheduledAt: 'p.scheduledAt' },
        [['p.createdAt', 'DESC']],
        'p.id',
      ),
      skip,
      take,
      { totalOf: ['publication', 'publication_target', 'manuscript'] },
    );
    return { items, total };
  }

  /**
   * Takes the post down everywhere the platform allows: every published target moves to
   * retracting and gets a job; targets that cannot be retracted are reported, not hidden.
   */
  async retract(
    actor: Actor,
    id: string,
    reason: string,
  ): Promise<{ view: PublicationView; notRetractable: { targetId: string; reason: string }[] }> {
    const pub = await this.find(actor, id);
    const isEditor = actor.grants.some((g) => g.role === Role.Editor && g.unitId === pub.unitId);
    const isSupervisor = actor.grants.some((g) => g.role === Role.Supervisor && pub.unitPath.startsWith(g.unitPath));
    if (!isEditor && !isSupervisor) throw new CommonException(CommonError.Forbidden);
    const targets = await this.ds.getRepository(PublicationTarget).find({ where: { publicationId: pub.id } });
    const notRetractable: { targetId: string; reason: string }[] = [];
    const toRetract: PublicationTarget[] = [];
    for (const t of targets) {
      if (t.state === 'superseded') {
        notRetractable.push({
          targetId: t.id,
          reason: '已由更正稿接替，请撤回更正稿 / superseded by a correction; retract the correction',
        });
        continue;
      }
      if (t.state !== 'published') {
        if (!['retracted', 'retracting'].includes(t.state))
          notRetractable.push({ targetId: t.id, reason: `状态为 ${t.state}，无需撤回 / not published` });
        continue;
      }
      if (!this.renditions.canRetract(t.platform)) {
        notRetractable.push({
          targetId: t.id,
          reason: '该平台不支持接口撤回，请到平台手动删除 / the platform cannot retract through its API; delete it there by hand',
        });
        continue;
      }
      toRetract.push(t);
    }
    await this.ds.transaction(async (m) => {
      await m.update(Publication, { id: pub.id }, { retractReason: reason, retractedBy: actor.userId });
      for (const t of toRetract) {
        await m.update(
          PublicationTarget,
          { id: t.id, state: 'published' },
          { state: 'retracting', nextAttemptAt: this.clock.now(), attempts: 0, lastError: null, lastErrorKind: null },
        );
      }
    });
    await this.refreshStatus(pub.id);
    await this.dispatcher.dispatchRetract(toRetract.map((t) => t.id)).catch(() => undefined);
    return { view: await this.view(pub), notRetractable };
  }

  async attempts(actor: Actor, id: string): Promise<PublicationAttempt[]> {
    const pub = await this.find(actor, id);
    const targets = await this.ds.getRepository(PublicationTarget).find({ where: { publicationId: pub.id }, select: { id: true } });
    if (!targets.length) return [];
    return this.ds
      .getRepository(PublicationAttempt)
      .find({ where: { targetId: In(targets.map((t) => t.id)) }, order: { startedAt: 'ASC' } });
  }

  /** Recomputes the publication's summary from its targets. */
  async refreshStatus(publicationId: string): Promise<void> {
    const pub = await this.ds.getRepository(Publication).findOneBy({ id: publicationId });
    if (!pub) return;
    // The distinct states suffice for the summary: one grouped read instead of every target row.
    const rows = (await this.ds
      .getRepository(PublicationTarget)
      .createQueryBuilder('t')
      .select('t.state', 'state')
      .where('t.publicationId = :publicationId', { publicationId })
      .groupBy('t.state')
      .getRawMany()) as { state: TargetState }[];
    const status = summarize(
      rows.map((r) => r.state),
      !!pub.scheduledAt,
    );
    if (status !== pub.status) await this.ds.getRepository(Publication).update({ id: publicationId }, { status });
  }

  private readonly statusTimers = new Map<string, NodeJS.Timeout>();

  /**
   * Asks for a summary refresh soon, coalescing: a publication to ten thousand accounts settles a
   * target many times a second, and recomputing its summary on each would read the whole
   * publication every time. Views compute the summary from the targets they read anyway, so only
   * lists see the stored value, at most half a second late.
   */
  scheduleStatusRefresh(publicationId: string): void {
    if (this.statusTimers.has(publicationId)) return;
    const timer = setTimeout(() => {
      this.statusTimers.delete(publicationId);
      this.refreshStatus(publicationId).catch(() => undefined);
    }, 500);
    timer.unref();
    this.statusTimers.set(publicationId, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    const ids = [...this.statusTimers.keys()];
    for (const t of this.statusTimers.values()) clearTimeout(t);
    this.statusTimers.clear();
    for (const id of ids) await this.refreshStatus(id).catch(() => undefined);
  }

  async find(actor: Actor, id: string): Promise<Publication> {
    const pub = await this.ds.getRepository(Publication).findOne({ where: { id } });
    if (!pub || !pathInScope(pub.unitPath, actor.scope(Permission.ManuscriptRead))) throw new PublishingException(PublishingError.NotFound);
    return pub;
  }

  async view(pub: Publication): Promise<PublicationView> {
    const fresh = (await this.ds.getRepository(Publication).findOneBy({ id: pub.id })) ?? pub;
    const targets = await this.ds.getRepository(PublicationTarget).find({ where: { publicationId: pub.id }, order: { createdAt: 'ASC' } });
    const accounts = targets.length
      ? await this.ds.getRepository(Account).find({
          where: { id: In(targets.map((t) => t.accountId)) },
          select: { id: true, name: true, sandbox: true, endpoints: true },
        })
      : [];
    return {
      ...fresh,
      // Computed from the rows just read, so a view is never behind its own targets.
      status: targets.length
        ? summarize(
            targets.map((t) => t.state),
            !!fresh.scheduledAt,
          )
        : fresh.status,
      targets: targets.map((t) => ({
        id: t.id,
        accountId: t.accountId,
        accountName: accounts.find((a) => a.id === t.accountId)?.name ?? null,
        platform: t.platform,
        state: t.state,
        remoteId: t.remoteId,
        url: t.url,
        viewUrl: sandboxViewUrl(
          accounts.find((a) => a.id === t.accountId),
          t.platform,
          t.url,
        ),
        attempts: t.attempts,
        lastError: t.lastError,
        nextAttemptAt: t.nextAttemptAt,
        publishedAt: t.publishedAt,
        retractedAt: t.retractedAt,
        correctionMode: t.correctionMode,
        replacesTargetId: t.replacesTargetId,
        supersededBy: t.supersededBy,
        note: t.note,
        updatedAt: t.updatedAt,
      })),
    };
  }
}

/** Where the sandbox shows a simulated post: its simulator's origin, `/_sandbox/<platform>/view?url=`. */
function sandboxViewUrl(account: Pick<Account, 'sandbox' | 'endpoints'> | undefined, platform: string, url: string | null): string | null {
  if (!url || !account?.sandbox) return null;
  const endpoint = Object.values(account.endpoints ?? {})[0];
  if (!endpoint) return null;
  try {
    return `${new URL(endpoint).origin}/_sandbox/${encodeURIComponent(platform)}/view?url=${encodeURIComponent(url)}`;
  } catch {
    return null;
  }
}
