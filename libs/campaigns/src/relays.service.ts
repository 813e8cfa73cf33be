import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { Clock, DomainException, newId } from '@tongfa/core';
import { AuditService } from '@tongfa/audit';
import { Actor, Role, Unit } from '@tongfa/identity';
import {
  Manuscript,
  ManuscriptCategory,
  ManuscriptHooks,
  ManuscriptsService,
  ManuscriptStatus,
  ManuscriptVersion,
  mediaReferences,
} from '@tongfa/manuscripts';
import { Media } from '@tongfa/media';
import { PublicationsService, PublicationTarget } from '@tongfa/publishing';
import { JobHandler } from '@tongfa/jobs';
import { Assignment, Campaign, CampaignRelay, CampaignTrust, OPEN_STATES } from './entities';
import { CampaignError, CampaignException } from './campaigns.exception';
import { rawDate } from './sql';

/**
 * The relay (转载) of a campaign inside Tongfa: the unit's reprint manuscript, its review through
 * the unit's own chain (or none under a CampaignTrust rule), its publication through the existing
 * pipeline once approved (exactly once), and the assignments' completion when their targets are
 * published. Manuscripts and publishing do not know campaigns: this listens to the manuscript
 * hooks and reads the targets' states; the completion sweep is the one place that settles them.
 */
@Injectable()
export class RelaysService implements OnModuleInit {
  private readonly logger = new Logger('CampaignRelays');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly hooks: ManuscriptHooks,
    private readonly manuscripts: ManuscriptsService,
    private readonly publications: PublicationsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.hooks.onEdit((m, ms, current, next) => this.checkEdit(m, ms, current, next));
    this.hooks.onApproved(async (ms) => {
      const relay = await this.ds.getRepository(CampaignRelay).findOneBy({ manuscriptId: ms.id });
      if (relay) await this.publishRelay(relay.id);
    });
  }

  /**
   * The unit's relay of the campaign, made on the first acceptance: a reprint manuscript carrying
   * the source version's title, lead and body, the issuer as 稿源单位 and the original's link.
   * Runs in the acceptance's transaction; a concurrent first acceptance loses on the unique key.
   */
  async relayFor(m: EntityManager, c: Campaign, unit: Unit, acceptedBy: string): Promise<{ relay: CampaignRelay; created: boolean }> {
    const existing = await m.findOneBy(CampaignRelay, { campaignId: c.id, unitId: unit.id });
    if (existing) return { relay: existing, created: false };
    const source = await m.findOneByOrFail(ManuscriptVersion, { id: c.sourceVersionId });
    const issuer = await m.findOneByOrFail(Unit, { id: c.unitId });
    const media = await this.copyMedia(m, source, unit, acceptedBy);
    let body = source.bodyHtml;
    for (const [from, to] of media) body = body.replaceAll(from, to);
    const ms = await this.manuscripts.createInUnit(m, unit, acceptedBy, {
      title: source.title,
      summary: source.summary,
      body,
      category: ManuscriptCategory.Reprint,
      source: { type: 'reprint', unitName: issuer.name, ...(c.sourceUrl ? { url: c.sourceUrl } : {}) },
      coverMediaId: source.coverMediaId ? (media.get(source.coverMediaId) ?? null) : null,
      mediaIds: source.mediaIds.flatMap((id) => (media.has(id) ? [media.get(id)!] : [])),
    });
    const trusted = Boolean(await m.exists(CampaignTrust, { where: { unitId: unit.id, issuerUnitId: c.unitId } }));
    const relay = m.create(CampaignRelay, {
      id: newId(),
      campaignId: c.id,
      unitId: unit.id,
      unitPath: unit.path,
      manuscriptId: ms.id,
      acceptedBy,
      trusted,
      createdAt: this.clock.now(),
    });
    await m.insert(CampaignRelay, relay);
    return { relay, created: true };
  }

  /**
   * The release's images become the unit's own (a manuscript may use only its unit's uploads): a
   * media row per image for the unit, sharing the stored file, which is never rewritten or deleted
   * once stored. Returns source id → the unit's id.
   */
  private async copyMedia(m: EntityManager, v: ManuscriptVersion, unit: Unit, uploaderId: string): Promise<Map<string, string>> {
    const ids = [...new Set(mediaReferences(v).map((r) => r.id))];
    const out = new Map<string, string>();
    if (!ids.length) return out;
    for (const media of await m.find(Media, { where: { id: In(ids) } })) {
      const copy = m.create(Media, { ...media, id: newId(), unitId: unit.id, unitPath: unit.path, uploaderId });
      await m.insert(Media, copy);
      out.set(media.id, copy.id);
    }
    return out;
  }

  /**
   * Under a CampaignTrust rule the issuer's chain was the review: the relay's first version is
   * approved without the unit's own steps (an empty chain, recorded as such and audited). The
   * five checks still run when the publication is made.
   */
  async approveTrusted(relay: CampaignRelay): Promise<void> {
    await this.ds.transaction(async (m) => {
      const ms = await m.findOneByOrFail(Manuscript, { id: relay.manuscriptId });
      if (ms.status !== ManuscriptStatus.Draft || ms.currentVersionNumber !== 1) return;
      const now = this.clock.now();
      const res = await m
        .createQueryBuilder()
        .update(Manuscript)
        .set({
          status: ManuscriptStatus.Approved,
          approvedVersionId: ms.currentVersionId,
          chain: { steps: [], parallel: false },
          approvedSteps: [],
          submittedAt: now,
          revision: ms.revision + 1,
        })
        .where('id = :id AND revision = :rev', { id: ms.id, rev: ms.revision })
        .execute();
      if (!res.affected) return;
      await this.audit.record(
        {
          actorId: relay.acceptedBy,
          actorName: null,
          unitId: ms.unitId,
          unitPath: ms.unitPath,
          action: 'campaign.relay.trusted-approve',
          targetType: 'manuscript',
          targetId: ms.id,
          after: { campaignId: relay.campaignId, versionId: ms.currentVersionId, rule: 'campaign_trust' },
        },
        m,
      );
    });
  }

  /**
   * Publishes the relay to the accounts of the unit's accepted assignments that have none yet.
   * The assignments are first claimed with a fresh key (a conditional UPDATE, so two callers never
   * claim the same row); the key is the publication's Idempotency-Key, so repeating the request
   * for a claim — after a crash, or from the sweep — answers the publication already made.
   */
  async publishRelay(relayId: string): Promise<void> {
    const relay = await this.ds.getRepository(CampaignRelay).findOneBy({ id: relayId });
    if (!relay) return;
    const ms = await this.ds.getRepository(Manuscript).findOneBy({ id: relay.manuscriptId });
    if (!ms || ms.status !== ManuscriptStatus.Approved || ms.approvedVersionId !== ms.currentVersionId) return;
    await this.ds
      .createQueryBuilder()
      .update(Assignment)
      .set({ publishKey: newId() })
      .where('campaignId = :c AND unitId = :u AND publishKey IS NULL AND acceptedAt IS NOT NULL AND accountId IS NOT NULL', {
        c: relay.campaignId,
        u: relay.unitId,
      })
      .andWhere('state IN (:...open)', { open: OPEN_STATES })
      .execute();
    const claimed = await this.ds.getRepository(Assignment).find({
      where: {
        campaignId: relay.campaignId,
        unitId: relay.unitId,
        publishKey: Not(IsNull()),
        publicationId: IsNull(),
        state: In([...OPEN_STATES]),
      },
    });
    const byKey = new Map<string, Assignment[]>();
    for (const a of claimed) byKey.set(a.publishKey!, [...(byKey.get(a.publishKey!) ?? []), a]);
    // The accepting user publishes: the relay is made in their name, as an editor of the unit.
    const actor = new Actor(relay.acceptedBy, 'campaign-relay', relay.unitId, relay.unitPath, [
      { role: Role.Editor, unitId: relay.unitId, unitPath: relay.unitPath, level: null },
    ]);
    for (const [key, rows] of byKey) {
      try {
        const { view, created } = await this.publications.create(
          actor,
          ms.id,
          { accountIds: rows.map((a) => a.accountId!) },
          `campaign:${key}`,
        );
        // Accounts the publication skipped are settled too (it was made for them); the unit can
        // still prove a post of its own through evidence.
        await this.ds
          .createQueryBuilder()
          .update(Assignment)
          .set({ publicationId: view.id, manuscriptId: ms.id })
          .where('publishKey = :key', { key })
          .execute();
        if (created) {
          await this.audit.record({
            actorId: relay.acceptedBy,
            actorName: null,
            unitId: relay.unitId,
            unitPath: relay.unitPath,
            action: 'campaign.relay.publish',
            targetType: 'publication',
            targetId: view.id,
            after: {
              campaignId: relay.campaignId,
              manuscriptId: ms.id,
              assignments: rows.map((a) => a.id),
              skipped: view.skipped.map((s) => ({ accountId: s.accountId, code: s.code })),
            },
          });
        }
      } catch (e) {
        // Refused by the pipeline (the five checks, no publishable account): the sweep retries,
        // and the reason is recorded once per claim for the unit to act on.
        if (!(e instanceof DomainException)) throw e;
        this.logger.warn(`relay ${relay.id} could not publish: ${e.message}`);
        await this.audit.record({
          actorId: relay.acceptedBy,
          actorName: null,
          unitId: relay.unitId,
          unitPath: relay.unitPath,
          action: 'campaign.relay.publish',
          targetType: 'manuscript',
          targetId: ms.id,
          result: 'failure',
          after: { campaignId: relay.campaignId, code: e.code, details: e.details.slice(0, 10) },
        });
      }
    }
  }

  /**
   * A relay's edits: category and source stay (it is a reprint of the issuer); without the
   * issuer's permission to adapt, only the title and lead (导语) may change, never the body.
   */
  private async checkEdit(m: EntityManager, ms: Manuscript, current: ManuscriptVersion, next: ManuscriptVersion): Promise<void> {
    const relay = await m.findOneBy(CampaignRelay, { manuscriptId: ms.id });
    if (!relay) return;
    if (
      next.category !== current.category ||
      next.source.unitName !== current.source.unitName ||
      next.source.type !== current.source.type
    ) {
      throw new CampaignException(CampaignError.SourceLocked, {}, [
        { field: next.category !== current.category ? 'category' : 'source', message: '联动转载稿的类别和来源不能修改' },
      ]);
    }
    const c = await m.findOneByOrFail(Campaign, { id: relay.campaignId });
    if (!c.allowAdaptation && next.bodyHtml !== current.bodyHtml) {
      throw new CampaignException(CampaignError.BodyLocked, {}, [{ field: 'body', message: '发起单位不允许改写正文' }]);
    }
  }

  /** Recurring: settles assignments whose relay target was published, and publishes approved relays a lost hook missed. */
  @JobHandler('campaign.completion-sweep')
  async handleCompletionSweep(): Promise<number> {
    const missed = await this.ds
      .getRepository(CampaignRelay)
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .innerJoin(Manuscript, 'm', 'm.id = r.manuscriptId')
      .innerJoin(Assignment, 'a', 'a.campaignId = r.campaignId AND a.unitId = r.unitId')
      .where("m.status = 'approved' AND a.publicationId IS NULL AND a.acceptedAt IS NOT NULL AND a.accountId IS NOT NULL")
      .andWhere('a.state IN (:...open)', { open: OPEN_STATES })
      .groupBy('r.id')
      .limit(100)
      .getRawMany<{ id: string }>();
    for (const r of missed) await this.publishRelay(r.id);
    return this.settlePublished();
  }

  /** Assignments whose relay target is published turn done (or done_late), with the post's URL. */
  async settlePublished(): Promise<number> {
    const rows = await this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .select(['a.id AS id', 'a.deadline AS deadline', 't.url AS url', 't.publishedAt AS publishedAt'])
      .innerJoin(PublicationTarget, 't', 't.publicationId = a.publicationId AND t.accountId = a.accountId')
      .where("a.publicationId IS NOT NULL AND t.state = 'published'")
      .andWhere('a.state IN (:...open)', { open: OPEN_STATES })
      .limit(1000)
      .getRawMany<{ id: string; deadline: Date | string; url: string | null; publishedAt: Date | string | null }>();
    let n = 0;
    for (const r of rows) {
      const at = r.publishedAt ? rawDate(r.publishedAt) : this.clock.now();
      if (await this.complete(r.id, 'tongfa', at, r.url)) n++;
    }
    return n;
  }

  /**
   * Settles one open assignment as done (by its deadline) or done_late; conditional on still being
   * open, so the sweep, detection and evidence never settle one twice. Returns whether it changed.
   */
  async complete(
    assignmentId: string,
    completion: 'tongfa' | 'detected' | 'evidence',
    at: Date,
    url: string | null,
    actorId: string | null = null,
  ): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const a = await m.findOneBy(Assignment, { id: assignmentId });
      if (!a || !OPEN_STATES.includes(a.state)) return false;
      const state = at.getTime() <= a.deadline.getTime() ? 'done' : 'done_late';
      const res = await m
        .createQueryBuilder()
        .update(Assignment)
        .set({ state, completedAt: at, completion, url: url?.slice(0, 1000) ?? null, nextReminderAt: null })
        .where('id = :id AND state IN (:...open)', { id: a.id, open: OPEN_STATES })
        .execute();
      if (!res.affected) return false;
      await this.audit.record(
        {
          actorId,
          actorName: actorId ? null : 'system',
          unitId: a.unitId,
          unitPath: a.unitPath,
          action: 'campaign.assignment.complete',
          targetType: 'campaign_assignment',
          targetId: a.id,
          before: { state: a.state },
          after: { state, completion, url, completedAt: at.toISOString() },
        },
        m,
      );
      return true;
    });
  }
}
