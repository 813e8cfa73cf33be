import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CommonError, CommonException, Message } from '@tongfa/core';
import { Actor, Role } from '@tongfa/identity';
import { Account, AccountConnection, AccountStatus } from '@tongfa/accounts';
import { Publication, PublicationTarget, TargetState } from './entities';
import { PublishingError, PublishingException } from './publishing.exception';
import { PublicationsService, PublicationView } from './publications.service';
import { RenditionService } from './rendition.service';
import { Dispatcher } from './dispatcher';

/** How a target's state reads to an editor (refusals name it). */
export const TARGET_STATE_TEXT: Record<TargetState, Message> = {
  pending: { zh: '等待定时发布', en: 'scheduled' },
  queued: { zh: '排队中', en: 'queued' },
  publishing: { zh: '发布中', en: 'publishing' },
  published: { zh: '已发布', en: 'published' },
  retry_wait: { zh: '等待自动重试', en: 'waiting to retry' },
  failed: { zh: '发布失败', en: 'failed' },
  needs_reauth: { zh: '需重新授权', en: 'needs re-authorisation' },
  unconfirmed: { zh: '结果待核实', en: 'unconfirmed' },
  retracting: { zh: '撤回中', en: 'retracting' },
  retracted: { zh: '已撤回', en: 'retracted' },
  retract_failed: { zh: '撤回失败', en: 'retract failed' },
  editing: { zh: '更正中', en: 'being corrected' },
  awaiting_retract: { zh: '等待原稿撤回', en: 'waiting for the original to be retracted' },
  superseded: { zh: '已被更正稿接替', en: 'superseded by a correction' },
};

/** States a person may send back to the queue: the ones where publishing stopped for a person to act. */
const RETRYABLE: TargetState[] = ['failed', 'needs_reauth', 'unconfirmed'];
/** States in which the target is already on its way: a second retry is the same request again. */
const UNDER_WAY: TargetState[] = ['pending', 'queued', 'publishing', 'retry_wait'];

export interface TargetActionResult {
  view: PublicationView;
  /** False when the request changed nothing because the target was already on its way (a repeated request). */
  changed: boolean;
  target: PublicationTarget;
}

/**
 * What an editor does with one platform of a publication after it went out: send a stopped target
 * back through the outbox (retry), or take one platform's post down (retract). Both only move the
 * row's state with a conditional UPDATE and hand it to the dispatcher; the worker, which claims the
 * row before any platform call, does the rest. Nothing here calls a plugin.
 */
@Injectable()
export class TargetActionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly publications: PublicationsService,
    private readonly renditions: RenditionService,
    private readonly dispatcher: Dispatcher,
  ) {}

  /**
   * The unit's editors and its unit admins (a unit admin's grant covers its subtree) may act on a
   * publication's targets; others who can read it are refused, others still do not learn it exists.
   */
  async actionable(actor: Actor, publicationId: string, targetId: string): Promise<{ pub: Publication; target: PublicationTarget }> {
    const pub = await this.publications.find(actor, publicationId);
    const may = actor.grants.some(
      (g) => (g.role === Role.Editor && g.unitId === pub.unitId) || (g.role === Role.UnitAdmin && pub.unitPath.startsWith(g.unitPath)),
    );
    if (!may) throw new CommonException(CommonError.Forbidden);
    const target = await this.ds.getRepository(PublicationTarget).findOne({ where: { id: targetId, publicationId: pub.id } });
    if (!target) throw new PublishingException(PublishingError.TargetNotFound);
    return { pub, target };
  }

  async retry(actor: Actor, publicationId: string, targetId: string, opts: { confirmNotPublished?: boolean }): Promise<TargetActionResult> {
    const { pub, target } = await this.actionable(actor, publicationId, targetId);
    const refuse = (zh: string, en: string) => new PublishingException(PublishingError.TargetNotRetryable, { reason: { zh, en } });
    // A repeat of a retry that was already accepted (double click, a client's resend): nothing more to do.
    if (UNDER_WAY.includes(target.state)) return { view: await this.publications.view(pub), changed: false, target };
    if (target.state === 'published')
      throw refuse('该平台已发布成功，重试会重复发布；如需修改内容请使用“更正”', 'the post is already out; use a correction to change it');
    if (!RETRYABLE.includes(target.state)) {
      const s = TARGET_STATE_TEXT[target.state];
      throw refuse(`当前状态为“${s.zh}”，只有发布失败、需重新授权或结果待核实的平台可以重试`, `the target is ${s.en}`);
    }
    if (pub.retractReason)
      throw refuse('该发布已被一键撤回，不能再发出；如需发布请重新发起', 'the publication was retracted; publish it anew');
    if (target.correctionMode)
      throw refuse('这是更正稿的发布，请在原发布上重新发起更正', 'this is a correction’s target; correct the original again');
    const corrected = await this.ds.getRepository(Publication).exists({ where: { correctionOf: pub.id } });
    if (corrected)
      throw refuse('该发布已有更正稿，重试会发出更正前的旧版本', 'the publication has a correction; a retry would send the old version');
    if (target.state === 'unconfirmed' && opts.confirmNotPublished !== true)
      throw new PublishingException(PublishingError.TargetUnconfirmed);
    await this.assertAccountFit(target.accountId);
    const now = this.clock.now();
    // Conditional on the state read and on no worker holding the row: of two concurrent retries
    // one moves it and the other finds it under way. An unconfirmed target goes back without the
    // existence check only because a person has just confirmed on the platform that it is absent
    // (the audit records who); its checkpoint stays, so a multi-step publish resumes where it was.
    const res = await this.ds
      .createQueryBuilder()
      .update(PublicationTarget)
      .set({
        state: 'queued',
        nextAttemptAt: now,
        lastError: null,
        lastErrorKind: null,
        ...(target.state === 'unconfirmed' ? { mustCheckExisting: false } : {}),
      })
      .where('id = :id AND state = :state AND claimedBy IS NULL', { id: target.id, state: target.state })
      .execute();
    const changed = !!res.affected;
    if (changed) {
      await this.publications.refreshStatus(pub.id);
      await this.dispatcher.dispatch([{ id: target.id, nextAttemptAt: now }]).catch(() => undefined);
    }
    return { view: await this.publications.view(pub), changed, target };
  }

  async retract(actor: Actor, publicationId: string, targetId: string): Promise<TargetActionResult> {
    const { pub, target } = await this.actionable(actor, publicationId, targetId);
    const refuse = (zh: string, en: string) => new PublishingException(PublishingError.TargetNotRetractable, { reason: { zh, en } });
    if (target.state === 'retracting' || target.state === 'retracted')
      return { view: await this.publications.view(pub), changed: false, target };
    if (target.state === 'superseded')
      throw refuse('该平台的稿件已由更正稿接替，请撤回更正稿', 'superseded by a correction; retract the correction');
    if (target.state !== 'published') {
      const s = TARGET_STATE_TEXT[target.state];
      throw refuse(`当前状态为“${s.zh}”，只有已发布的平台可以撤回`, `the target is ${s.en}, not published`);
    }
    if (!this.renditions.canRetract(target.platform))
      throw refuse('该平台不支持接口撤回，请到平台后台手动删除', 'the platform cannot retract through its API; delete it there by hand');
    const now = this.clock.now();
    const res = await this.ds
      .createQueryBuilder()
      .update(PublicationTarget)
      .set({ state: 'retracting', nextAttemptAt: now, attempts: 0, lastError: null, lastErrorKind: null })
      .where('id = :id AND state = :state AND claimedBy IS NULL', { id: target.id, state: 'published' })
      .execute();
    const changed = !!res.affected;
    if (changed) {
      await this.publications.refreshStatus(pub.id);
      await this.dispatcher.dispatchRetract([target.id]).catch(() => undefined);
    }
    return { view: await this.publications.view(pub), changed, target };
  }

  /** The worker would end the target again at once: say why now, in the words the worker would use. */
  private async assertAccountFit(accountId: string): Promise<void> {
    const a = await this.ds
      .getRepository(Account)
      .findOne({ where: { id: accountId }, select: { id: true, name: true, status: true, connection: true } });
    const refuse = (zh: string, en: string) => new PublishingException(PublishingError.TargetNotRetryable, { reason: { zh, en } });
    if (!a || a.status === AccountStatus.Cancelled) throw refuse('账号已注销', 'the account is cancelled');
    if (a.status === AccountStatus.Suspended) throw refuse(`账号“${a.name}”已关停，恢复后再重试`, 'the account is suspended');
    if (![AccountStatus.Active, AccountStatus.Opened].includes(a.status))
      throw refuse(`账号“${a.name}”当前不能发布`, 'the account cannot publish now');
    if (a.connection === AccountConnection.NeedsReauth)
      throw refuse(`账号“${a.name}”的授权已失效，请单位管理员重新授权后再重试`, 'the account needs re-authorisation first');
    if (a.connection !== AccountConnection.Connected) throw refuse(`账号“${a.name}”未连接平台`, 'the account is not connected');
  }
}
