import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { Clock, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { ManuscriptVersion } from '@tongfa/manuscripts';
import { PluginCallError, PluginHost } from '@tongfa/plugins';
import { htmlToText } from '@tongfa/plugin-sdk';
import { Assignment, AssignmentState, Campaign, OPEN_STATES } from './entities';
import { CampaignError, CampaignException } from './campaigns.exception';
import { AssignmentView } from './campaign-views';
import { CampaignsService } from './campaigns.service';
import { RelaysService } from './relays.service';
import { matchPost, prepareSource, PreparedSource } from './matcher';

export interface MyAssignmentsQuery extends PageQuery {
  state?: AssignmentState;
  /** `requested`: instead of the caller's own work, the exemption requests waiting for the caller's decision as issuer. */
  exemption?: 'requested';
}

/** Roles through which a unit sees its own campaign work. */
const UNIT_ROLES: readonly Role[] = [Role.Editor, Role.UnitAdmin, Role.Reviewer, Role.DutyOfficer];

/**
 * 任务分派 seen from the unit: its list, acceptance (the relay manuscript), evidence, exemption
 * requests; and the issuer's exemption decision. A unit sees only its own assignments.
 */
@Injectable()
export class AssignmentsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly campaigns: CampaignsService,
    private readonly relays: RelaysService,
    private readonly host: PluginHost,
  ) {}

  /** The caller's own units' assignments (not its subtree's): open ones first, by deadline. */
  async mine(actor: Actor, q: MyAssignmentsQuery): Promise<Page<AssignmentView>> {
    if (q.exemption === 'requested') return this.exemptionsToDecide(actor, q);
    const units = [...new Set(actor.grants.filter((g) => UNIT_ROLES.includes(g.role)).map((g) => g.unitId))];
    if (!units.length) return { items: [], total: 0 };
    const qb = this.ds.getRepository(Assignment).createQueryBuilder('a').where('a.unitId IN (:...units)', { units });
    whereInScope(qb, 'a.unitPath', actor.scope(Permission.AssignmentRead));
    if (q.state) qb.andWhere('a.state = :state', { state: q.state });
    qb.orderBy(`CASE WHEN a.state IN ('pending', 'accepted', 'overdue') THEN 0 ELSE 1 END`, 'ASC')
      .addOrderBy('a.deadline', 'ASC')
      .addOrderBy('a.id', 'ASC');
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(qb, skip, take);
    return { items: await this.campaigns.views(items, new Map()), total };
  }

  /**
   * Exemption requests the caller decides: assignments of campaigns issued inside the caller's
   * campaign:issue subtree (the same test as decideExemption), oldest request first.
   */
  private async exemptionsToDecide(actor: Actor, q: MyAssignmentsQuery): Promise<Page<AssignmentView>> {
    const scope = actor.scope(Permission.CampaignIssue);
    if (!scope.length) return { items: [], total: 0 };
    const qb = this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .innerJoin(Campaign, 'c', 'c.id = a.campaignId')
      .where("a.exemptionStatus = 'requested'");
    whereInScope(qb, 'c.unitPath', scope);
    if (q.state) qb.andWhere('a.state = :state', { state: q.state });
    qb.orderBy('a.deadline', 'ASC').addOrderBy('a.id', 'ASC');
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(qb, skip, take);
    return { items: await this.campaigns.views(items, new Map()), total };
  }

  async get(actor: Actor, id: string): Promise<AssignmentView> {
    const { a, c } = await this.visible(actor, id);
    return (await this.campaigns.views([a], new Map([[c.id, c]])))[0]!;
  }

  /** An assignment the caller may see: of its own unit, or of a campaign it issued. NotFound otherwise. */
  private async visible(actor: Actor, id: string): Promise<{ a: Assignment; c: Campaign; own: boolean; issuer: boolean }> {
    const a = await this.ds.getRepository(Assignment).findOneBy({ id });
    const c = a ? await this.ds.getRepository(Campaign).findOneBy({ id: a.campaignId }) : null;
    if (!a || !c) throw new CampaignException(CampaignError.AssignmentNotFound);
    const own =
      actor.grants.some((g) => UNIT_ROLES.includes(g.role) && g.unitId === a.unitId) &&
      pathInScope(a.unitPath, actor.scope(Permission.AssignmentRead));
    const issuer = pathInScope(c.unitPath, actor.scope(Permission.CampaignIssue));
    if (!own && !issuer) throw new CampaignException(CampaignError.AssignmentNotFound);
    return { a, c, own, issuer };
  }

  /** Only the assigned unit's editors and admin act on its assignment. */
  private async workable(actor: Actor, id: string): Promise<{ a: Assignment; c: Campaign }> {
    const v = await this.visible(actor, id);
    const works = actor.grants.some((g) => (g.role === Role.Editor || g.role === Role.UnitAdmin) && g.unitId === v.a.unitId);
    if (!works) throw new CampaignException(CampaignError.NotYourAssignment);
    return v;
  }

  /**
   * Accepts: the unit's relay manuscript (one per campaign and unit; a second acceptance answers the
   * same) goes through the unit's review, or straight to publication under a trust rule.
   */
  async accept(actor: Actor, id: string): Promise<{ manuscriptId: string; trusted: boolean; view: AssignmentView }> {
    const { a, c } = await this.workable(actor, id);
    if (c.status === 'closed') throw new CampaignException(CampaignError.Closed);
    if (a.state === 'not_applicable') throw new CampaignException(CampaignError.NoAccount);
    if (!OPEN_STATES.includes(a.state) || a.exemptionStatus === 'approved') {
      throw new CampaignException(CampaignError.NotAcceptable, { state: a.state });
    }
    const run = () =>
      this.ds.transaction(async (m) => {
        const unit = await m.findOneByOrFail(Unit, { id: a.unitId });
        const { relay, created } = await this.relays.relayFor(m, c, unit, actor.userId);
        const now = this.clock.now();
        await m
          .createQueryBuilder()
          .update(Assignment)
          .set({
            state: () => `CASE WHEN state = 'pending' THEN 'accepted' ELSE state END`,
            acceptedAt: () => 'COALESCE(acceptedAt, :now)',
            acceptedBy: () => 'COALESCE(acceptedBy, :by)',
            manuscriptId: relay.manuscriptId,
          })
          .setParameters({ now, by: actor.userId })
          .where('id = :id AND state IN (:...open)', { id: a.id, open: OPEN_STATES })
          .execute();
        return { relay, created };
      });
    let result;
    try {
      result = await run();
    } catch (e) {
      // Two first acceptances of one unit raced on the relay's unique key: the other made it.
      if (!(e instanceof QueryFailedError)) throw e;
      result = await run();
    }
    if (result.created && result.relay.trusted) await this.relays.approveTrusted(result.relay);
    // Approved already (a trust rule, or a later acceptance after the review): publish now.
    await this.relays.publishRelay(result.relay.id);
    // Boolean(): after the insert the MySQL driver reloads the defaulted column as 1.
    return { manuscriptId: result.relay.manuscriptId, trusted: Boolean(result.relay.trusted), view: await this.get(actor, id) };
  }

  /**
   * Evidence of a post made outside Tongfa: the URL must be a post of the assigned account (asked
   * of the platform through the plugin) whose content matches the release.
   */
  async evidence(actor: Actor, id: string, url: string): Promise<AssignmentView> {
    const { a, c } = await this.workable(actor, id);
    if (!a.accountId) throw new CampaignException(CampaignError.NoAccount);
    if (!OPEN_STATES.includes(a.state)) throw new CampaignException(CampaignError.AlreadyComplete, { state: a.state });
    let post;
    try {
      post = await this.host.getPostByUrl(a.accountId, url);
    } catch (e) {
      if (!(e instanceof PluginCallError)) throw e;
      throw new CampaignException(CampaignError.EvidenceUnverifiable, { reason: e.message.split(' / ')[0]! }, [
        { field: 'url', message: e.message },
      ]);
    }
    if (!post) throw new CampaignException(CampaignError.EvidenceNotFound, {}, [{ field: 'url', message: '不是本账号的帖子' }]);
    const verdict = matchPost(await this.sourceOf(c), post);
    if (!verdict.match) throw new CampaignException(CampaignError.EvidenceMismatch, {}, [{ field: 'url', message: '内容与联动稿件不符' }]);
    await this.relays.complete(a.id, 'evidence', new Date(post.publishedAt), post.url, actor.userId);
    return this.get(actor, id);
  }

  /** What a relay is matched against: the released version's text, the original's link and post ids. */
  async sourceOf(c: Campaign): Promise<PreparedSource> {
    const v = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: c.sourceVersionId });
    const remote = c.sourcePublicationId
      ? await this.ds
          .createQueryBuilder()
          .select(['t.remoteId AS remoteId', 't.url AS url'])
          .from('publication_target', 't')
          .where('t.publicationId = :p', { p: c.sourcePublicationId })
          .getRawMany<{ remoteId: string | null; url: string | null }>()
      : [];
    return prepareSource({
      title: v.title,
      text: `${v.summary}${htmlToText(v.bodyHtml)}`,
      urls: [c.sourceUrl, ...remote.map((r) => r.url)].filter((u): u is string => !!u),
      remoteIds: remote.flatMap((r) => (r.remoteId ? [r.remoteId] : [])),
      notBefore: c.createdAt.getTime(),
    });
  }

  async requestExemption(actor: Actor, id: string, reason: string): Promise<AssignmentView> {
    const { a } = await this.workable(actor, id);
    if (!OPEN_STATES.includes(a.state)) throw new CampaignException(CampaignError.AlreadyComplete, { state: a.state });
    if (a.exemptionStatus === 'requested') throw new CampaignException(CampaignError.ExemptionPending);
    await this.ds
      .createQueryBuilder()
      .update(Assignment)
      .set({
        exemptionReason: reason.trim().slice(0, 500),
        exemptionStatus: 'requested',
        exemptionRequestedBy: actor.userId,
        exemptionDecidedAt: null,
        exemptionDecidedBy: null,
        exemptionComment: null,
      })
      .where('id = :id AND state IN (:...open)', { id, open: OPEN_STATES })
      .execute();
    return this.get(actor, id);
  }

  /** The issuer (a supervisor at the issuing unit or above) decides; never the unit itself. */
  async decideExemption(
    actor: Actor,
    id: string,
    decision: 'approve' | 'reject',
    comment?: string,
  ): Promise<{ view: AssignmentView; before: Assignment }> {
    const { a, issuer } = await this.visible(actor, id);
    if (!issuer) throw new CampaignException(CampaignError.OwnExemption);
    if (a.exemptionStatus !== 'requested') throw new CampaignException(CampaignError.ExemptionNotRequested);
    const now = this.clock.now();
    const res = await this.ds
      .createQueryBuilder()
      .update(Assignment)
      .set({
        exemptionStatus: decision === 'approve' ? 'approved' : 'rejected',
        exemptionDecidedAt: now,
        exemptionDecidedBy: actor.userId,
        exemptionComment: comment?.trim().slice(0, 500) || null,
        ...(decision === 'approve' && OPEN_STATES.includes(a.state) ? { state: 'exempted' as const, nextReminderAt: null } : {}),
      })
      .where("id = :id AND exemptionStatus = 'requested'", { id })
      .execute();
    if (!res.affected) throw new CampaignException(CampaignError.ExemptionNotRequested);
    return { view: await this.get(actor, id), before: a };
  }
}
