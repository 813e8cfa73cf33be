import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, CommonError, CommonException, newId } from '@tongfa/core';
import { Actor, Role } from '@tongfa/identity';
import { Account } from '@tongfa/accounts';
import { Manuscript, ManuscriptStatus, ManuscriptVersion } from '@tongfa/manuscripts';
import { PluginRegistry } from '@tongfa/plugins';
import { CorrectionMode, Publication, PublicationTarget } from './entities';
import { priorityOfCategory, targetRank } from './priority';
import { PublishingError, PublishingException } from './publishing.exception';
import { PublicationsService, PublicationView } from './publications.service';
import { Dispatcher } from './dispatcher';
import { assertSameRequest, IdempotentRequest, requestHash } from './idempotency';

/** The standing note on a correction target whose platform can neither edit nor retract. */
export const MANUAL_REMOVAL_NOTE =
  '该平台不支持通过接口修改或撤回，已发布更正稿；原稿仍在平台上，请到平台手动删除 / the platform can neither edit nor retract through its API: the correction was posted anew and the old post must be removed there by hand';

/**
 * Corrections (更正) of published posts. A correction is a publication of a newer approved
 * version of the same manuscript (先审后发: the change went through review) to the accounts where
 * the original is live, linked to it by `correctionOf`. Per target the platform's declared
 * capabilities choose the path: `edit` the post in place; else `replace` it (retract, then publish
 * the new version); else `republish` with a note that the old post must be removed by hand.
 *
 * Everything rides on the existing outbox machinery: the correction's targets and the originals'
 * state changes commit in one transaction, jobs are hints, and the reconciler finds lost ones.
 */
@Injectable()
export class CorrectionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly publications: PublicationsService,
    private readonly registry: PluginRegistry,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Which path a correction takes on a platform, from what its plugin declares. */
  modeFor(platform: string): CorrectionMode {
    const caps = this.registry.get(platform)?.manifest.capabilities ?? [];
    if (caps.includes('edit')) return 'edit';
    if (caps.includes('retract')) return 'replace';
    return 'republish';
  }

  async correct(
    actor: Actor,
    publicationId: string,
    reason: string,
    idempotencyKey?: string,
  ): Promise<{ view: PublicationView; created: boolean; original: Publication }> {
    const request: IdempotentRequest = { kind: 'correction', resourceId: publicationId, body: { reason } };
    const hash = requestHash(request);
    if (idempotencyKey) {
      const replay = await this.replay(actor, request, hash, idempotencyKey);
      if (replay) return replay;
    }
    const original = await this.publications.find(actor, publicationId);
    if (!actor.grants.some((g) => g.role === Role.Editor && g.unitId === original.unitId)) throw new CommonException(CommonError.Forbidden);
    const ms = await this.ds.getRepository(Manuscript).findOneByOrFail({ id: original.manuscriptId });
    const published = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: original.versionId });
    // 先审后发: the correction is the approved current version, and it is newer than what went out.
    const approved =
      ms.status === ManuscriptStatus.Approved && ms.approvedVersionId && ms.approvedVersionId === ms.currentVersionId
        ? await this.ds.getRepository(ManuscriptVersion).findOneBy({ id: ms.approvedVersionId })
        : null;
    if (!approved || approved.number <= published.number) {
      throw new PublishingException(PublishingError.CorrectionNotApproved, { published: published.number });
    }
    const originals = await this.ds.getRepository(PublicationTarget).find({
      where: { publicationId: original.id, state: 'published' },
      order: { createdAt: 'ASC' },
    });
    if (!originals.length) throw new PublishingException(PublishingError.NothingToCorrect);
    const accountIds = originals.map((t) => t.accountId);
    const accounts = await this.ds.getRepository(Account).find({ where: { id: In(accountIds) } });
    const rendered = await this.publications.prepare(ms, approved, accounts, accountIds);

    const now = this.clock.now();
    const correction = this.ds.getRepository(Publication).create({
      id: newId(),
      manuscriptId: ms.id,
      versionId: approved.id,
      unitId: original.unitId,
      unitPath: original.unitPath,
      createdBy: actor.userId,
      idempotencyKey: idempotencyKey ?? newId(),
      requestHash: hash,
      status: 'publishing',
      priority: priorityOfCategory(ms.category),
      scheduledAt: null,
      retractReason: null,
      retractedBy: null,
      correctionOf: original.id,
      correctionReason: reason,
    });
    const plan = originals.map((o, i) => {
      const mode = this.modeFor(o.platform);
      const target = this.ds.getRepository(PublicationTarget).create({
        id: newId(),
        publicationId: correction.id,
        accountId: o.accountId,
        platform: o.platform,
        // edit: the post stays and its id with it; replace: wait for the old post's retract to end;
        // republish: an ordinary publish of the new version.
        state: mode === 'edit' ? 'editing' : mode === 'replace' ? 'awaiting_retract' : 'queued',
        priority: targetRank(correction.priority, i),
        rendition: rendered.find((r) => r.account.id === o.accountId)!.rendition,
        checkpoint: null,
        remoteId: mode === 'edit' ? o.remoteId : null,
        url: mode === 'edit' ? o.url : null,
        attempts: 0,
        lastErrorKind: null,
        lastError: null,
        nextAttemptAt: mode === 'replace' ? null : now,
        claimedBy: null,
        claimedUntil: null,
        mustCheckExisting: false,
        dispatchedAt: null,
        dispatches: 0,
        publishedAt: null,
        retractedAt: null,
        correctionMode: mode,
        replacesTargetId: o.id,
        supersededBy: null,
        note: mode === 'republish' ? MANUAL_REMOVAL_NOTE : null,
      });
      return { original: o, target, mode };
    });

    try {
      await this.ds.transaction(async (m) => {
        await m.insert(Publication, correction);
        for (const { original: o, target, mode } of plan) {
          // Conditional on `published`: a concurrent correction or retract of the same post wins
          // cleanly, and this whole correction rolls back rather than act on a post twice.
          const res = await m.update(
            PublicationTarget,
            { id: o.id, state: 'published' },
            mode === 'replace'
              ? { state: 'retracting', supersededBy: target.id, attempts: 0, nextAttemptAt: now, lastError: null, lastErrorKind: null }
              : { state: 'superseded', supersededBy: target.id },
          );
          if (!res.affected) throw new PublishingException(PublishingError.NothingToCorrect);
          await m.insert(PublicationTarget, target as never);
        }
      });
    } catch (e) {
      // A concurrent request with the same Idempotency-Key won the unique index: return its correction.
      if (idempotencyKey && !(e instanceof PublishingException)) {
        const replay = await this.replay(actor, request, hash, idempotencyKey, true);
        if (replay) return replay;
      }
      throw e;
    }
    await this.publications.refreshStatus(original.id);
    // After commit: lost enqueues are found by the reconciler, so these are only fast paths.
    const of = (mode: CorrectionMode) => plan.filter((p) => p.mode === mode);
    await this.dispatcher.dispatchEdit(of('edit').map((p) => p.target)).catch(() => undefined);
    await this.dispatcher.dispatch(of('republish').map((p) => p.target)).catch(() => undefined);
    await this.dispatcher.dispatchRetract(of('replace').map((p) => p.original.id)).catch(() => undefined);
    return { view: await this.publications.view(correction), created: true, original };
  }

  /**
   * Lets a `replace` target go on once its original's retract has ended: `retracted` → queued for
   * an ordinary publish; `retract_failed` → failed, because publishing now would leave two live
   * posts. Conditional updates make it safe to call from the retract job and the reconciler alike.
   */
  async afterRetract(originalTargetId: string): Promise<void> {
    const repo = this.ds.getRepository(PublicationTarget);
    const next = await repo.findOne({ where: { replacesTargetId: originalTargetId, state: 'awaiting_retract' } });
    if (!next) return;
    const original = await repo.findOne({ where: { id: originalTargetId }, select: { id: true, state: true, lastError: true } });
    const now = this.clock.now();
    if (original?.state === 'retracted') {
      const res = await repo.update({ id: next.id, state: 'awaiting_retract' }, { state: 'queued', nextAttemptAt: now });
      if (res.affected) await this.dispatcher.dispatch([{ id: next.id, nextAttemptAt: now }]).catch(() => undefined);
    } else if (original?.state === 'retract_failed' || !original) {
      await repo.update(
        { id: next.id, state: 'awaiting_retract' },
        {
          state: 'failed',
          lastErrorKind: 'retract_failed',
          lastError: `原稿撤回失败，为避免两稿并存未发布更正稿；请到平台删除原稿后重新更正：${original?.lastError ?? '原发布记录不存在'}`,
        },
      );
    } else {
      return; // still retracting
    }
    await this.publications.refreshStatus(next.publicationId);
  }

  /** For the reconciler: `replace` targets whose original's retract ended but were never moved on. */
  async sweepAwaiting(limit = 500): Promise<number> {
    const waiting = await this.ds
      .getRepository(PublicationTarget)
      .createQueryBuilder('t')
      .innerJoin(PublicationTarget, 'o', 'o.id = t.replacesTargetId')
      .select(['t.id', 't.replacesTargetId'])
      .where("t.state = 'awaiting_retract'")
      .andWhere("o.state IN ('retracted', 'retract_failed')")
      .take(limit)
      .getMany();
    for (const t of waiting) await this.afterRetract(t.replacesTargetId!);
    return waiting.length;
  }

  /**
   * A terminal failure of an in-place edit: the old content is still live, so the original target
   * takes its post back (a later correction can try again).
   */
  async editFailed(target: Pick<PublicationTarget, 'id' | 'replacesTargetId'>): Promise<void> {
    if (!target.replacesTargetId) return;
    const repo = this.ds.getRepository(PublicationTarget);
    const res = await repo.update(
      { id: target.replacesTargetId, state: 'superseded', supersededBy: target.id },
      { state: 'published', supersededBy: null },
    );
    if (!res.affected) return;
    const original = await repo.findOne({ where: { id: target.replacesTargetId }, select: { id: true, publicationId: true } });
    if (original) await this.publications.refreshStatus(original.publicationId);
  }

  private async replay(
    actor: Actor,
    request: IdempotentRequest,
    hash: string,
    idempotencyKey: string,
    waitForWinner = false,
  ): Promise<{ view: PublicationView; created: boolean; original: Publication } | null> {
    const existing = waitForWinner
      ? await this.publications.awaitIdempotent(actor.userId, idempotencyKey)
      : await this.ds.getRepository(Publication).findOne({ where: { createdBy: actor.userId, idempotencyKey } });
    if (!existing) return null;
    assertSameRequest(existing, request, hash);
    const original = await this.publications.find(actor, request.resourceId);
    return { view: await this.publications.view(existing), created: false, original };
  }
}
