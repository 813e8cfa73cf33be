import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { Clock } from '@tongfa/core';
import { PluginCallError, PluginHost, PluginRegistry } from '@tongfa/plugins';
import { JobHandler } from '@tongfa/jobs';
import { AccountPoll, Assignment, Campaign, OPEN_STATES } from './entities';
import { matchPost, PreparedSource } from './matcher';
import { nextPollAt } from './poll-schedule';
import { AssignmentsService } from './assignments.service';
import { RelaysService } from './relays.service';

/** Due accounts read per sweep: one listPosts call each. */
const BATCH = 200;
const CONCURRENCY = 8;

export interface PollOutcome {
  accountId: string;
  called: boolean;
  detected: number;
  nextPollAt: Date | null;
}

/**
 * Detection of relays made outside Tongfa (a native repost in the platform's app): the sweep reads
 * the recent posts of accounts whose poll row is due and that still owe an open campaign a post,
 * matches them against each open assignment's source, and sets the next poll from the back-off
 * schedule within the platform's list quota. Assignments Tongfa is publishing are left to the
 * completion sweep, so a relay published through Tongfa is never counted as "detected".
 */
@Injectable()
export class DetectionService {
  private readonly logger = new Logger('CampaignDetection');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly host: PluginHost,
    private readonly registry: PluginRegistry,
    private readonly assignments: AssignmentsService,
    private readonly relays: RelaysService,
  ) {}

  @JobHandler('campaign.detection-sweep')
  async handleDetectionSweep(): Promise<PollOutcome[]> {
    const due = await this.ds.getRepository(AccountPoll).find({
      where: { nextPollAt: LessThanOrEqual(this.clock.now()) },
      order: { nextPollAt: 'ASC' },
      take: BATCH,
    });
    const sources = new Map<string, PreparedSource>();
    // A few accounts at once: each call mostly waits on a platform, and each account's quota is its
    // own; the rows are distinct, so no two polls settle the same assignment.
    const out: PollOutcome[] = [];
    let next = 0;
    const lane = async () => {
      while (next < due.length) out.push(await this.poll(due[next++]!, sources));
    };
    // The embedded SQLite file has one connection, whose transactions must not interleave.
    const lanes = this.ds.options.type === 'better-sqlite3' ? 1 : CONCURRENCY;
    await Promise.all(Array.from({ length: Math.min(lanes, due.length) }, lane));
    return out;
  }

  private async poll(row: AccountPoll, sources: Map<string, PreparedSource>): Promise<PollOutcome> {
    const now = this.clock.now();
    const open = await this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .innerJoinAndMapOne('a.campaign', Campaign, 'c', "c.id = a.campaignId AND c.status = 'open'")
      .where('a.accountId = :id AND a.state IN (:...open)', { id: row.accountId, open: OPEN_STATES })
      .getMany();
    const repo = this.ds.getRepository(AccountPoll);
    if (!open.length) {
      // Nothing owed: the row rests until a new campaign brings it forward.
      await repo.update({ accountId: row.accountId }, { nextPollAt: null });
      return { accountId: row.accountId, called: false, detected: 0, nextPollAt: null };
    }
    const campaignOf = (a: Assignment) => (a as Assignment & { campaign: Campaign }).campaign;
    const listing = this.registry.get(row.platform)?.manifest.postListing;
    const quota = listing?.dailyCallsPerAccount ?? 100;
    const since = Math.min(...open.map((a) => campaignOf(a).createdAt.getTime())) - 10 * 60_000;
    const settled = new Set<string>();
    let retryAt: number | null = null;
    let error: string | null = null;
    try {
      const page = await this.host.listPosts(row.accountId, { since, limit: listing?.maxPageSize });
      // Assignments Tongfa publishes are settled from their targets, not from the list.
      for (const a of open.filter((x) => !x.publicationId)) {
        const c = campaignOf(a);
        const source = sources.get(c.id) ?? sources.set(c.id, await this.assignments.sourceOf(c)).get(c.id)!;
        const post = page.posts.find((p) => matchPost(source, p).match);
        if (post && (await this.relays.complete(a.id, 'detected', new Date(post.publishedAt), post.url))) settled.add(a.id);
      }
    } catch (e) {
      if (!(e instanceof PluginCallError)) throw e;
      error = e.message.slice(0, 500);
      // The platform or our own quota bucket says when: wait that long rather than spend more calls.
      if (e.kind === 'rate_limited' && e.retryAfterMs) retryAt = now.getTime() + e.retryAfterMs;
      this.logger.warn(`listPosts of ${row.accountId} failed: ${error}`);
    }
    const windows = open
      .filter((a) => !settled.has(a.id))
      .map((a) => ({ startAt: campaignOf(a).createdAt.getTime(), deadline: a.deadline.getTime() }));
    const scheduled = nextPollAt(windows, now.getTime(), now.getTime(), quota);
    const next = scheduled === null ? null : new Date(Math.max(scheduled, retryAt ?? 0));
    await repo
      .createQueryBuilder()
      .update(AccountPoll)
      .set({ nextPollAt: next, lastPolledAt: now, calls: () => 'calls + 1', lastError: error })
      .where('accountId = :id', { id: row.accountId })
      .execute();
    return { accountId: row.accountId, called: true, detected: settled.size, nextPollAt: next };
  }
}
