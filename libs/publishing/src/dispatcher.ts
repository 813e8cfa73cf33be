import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock } from '@tongfa/core';
import { JobQueue, PUBLISH_BATCH_SIZE } from '@tongfa/jobs';
import { PublicationTarget } from './entities';

/**
 * The id of the round job that carries a target dispatched at `dispatchedAt`: derived from what the
 * target row records (its publication, rank and dispatch time), so the reconciler can ask the queue
 * whether a round is still waiting without a column naming the job.
 */
export function batchJobId(publicationId: string, priority: number, dispatchedAt: Date): string {
  return `publication.publish-batch:${publicationId}:${priority}:${dispatchedAt.getTime()}`;
}

/**
 * The id of the job that checks the status of a round's targets dispatched at `dispatchedAt`
 * (Dispatcher.dispatchPolls): derived from the rows like batchJobId.
 */
export function pollBatchJobId(publicationId: string, priority: number, dispatchedAt: Date): string {
  return `publication.poll-batch:${publicationId}:${priority}:${dispatchedAt.getTime()}`;
}

/**
 * Puts target rows on the queue. Each enqueue carries a fresh job id (`<target>:<n>`): Bull keeps
 * finished jobs for a while and would silently drop a re-dispatch under the same id. Duplicate
 * deliveries are harmless because the worker claims the row before doing anything. Every job
 * carries its target's rank (see priority.ts), so the queue runs the most urgent first.
 */
@Injectable()
export class Dispatcher {
  private readonly logger = new Logger('Dispatcher');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
  ) {}

  async dispatch(targets: Pick<PublicationTarget, 'id' | 'nextAttemptAt'>[]): Promise<void> {
    if (targets.length <= 3) {
      for (const t of targets) await this.enqueue('publication.publish', t.id, t.nextAttemptAt);
      return;
    }
    // A publication's outbox at once: one UPDATE and one read per chunk, then bulk enqueues of
    // rounds (one job claims a round's targets together, see PublicationWorker.handlePublishBatch).
    const now = this.clock.now();
    for (let i = 0; i < targets.length; i += 500) {
      const chunk = targets.slice(i, i + 500);
      const ids = chunk.map((t) => t.id);
      await this.ds
        .createQueryBuilder()
        .update(PublicationTarget)
        .set({ dispatchedAt: now, dispatches: () => 'dispatches + 1' })
        .where({ id: In(ids) })
        .execute();
      const rows = await this.ds
        .getRepository(PublicationTarget)
        .find({ where: { id: In(ids) }, select: { id: true, dispatches: true, priority: true, publicationId: true } });
      const seq = new Map(rows.map((r) => [r.id, r]));
      // Due targets of one rank (a publication's round) go as one job; a target due later waits
      // in its own delayed job.
      const rounds = new Map<string, { publicationId: string; priority: number; ids: string[] }>();
      const later: Pick<PublicationTarget, 'id' | 'nextAttemptAt'>[] = [];
      for (const t of chunk) {
        const row = seq.get(t.id);
        if (!row) continue;
        if (t.nextAttemptAt && t.nextAttemptAt.getTime() > now.getTime()) {
          later.push(t);
          continue;
        }
        const key = `${row.publicationId}:${row.priority}`;
        const round = rounds.get(key) ?? { publicationId: row.publicationId, priority: row.priority, ids: [] };
        round.ids.push(t.id);
        rounds.set(key, round);
      }
      const batches: { jobId: string; priority: number; ids: string[] }[] = [];
      for (const r of rounds.values()) {
        const jobId = batchJobId(r.publicationId, r.priority, now);
        // More than a round under one rank only past the lane's last rank (1.6 million targets):
        // the extra jobs get ids of their own, which the reconciler cannot ask about (it re-enqueues).
        for (let k = 0; k < r.ids.length; k += PUBLISH_BATCH_SIZE) {
          batches.push({ jobId: k ? `${jobId}:${k}` : jobId, priority: r.priority, ids: r.ids.slice(k, k + PUBLISH_BATCH_SIZE) });
        }
      }
      await this.queue.addMany(
        'publication.publish-batch',
        batches.map(({ jobId, priority, ids }) => ({ payload: { targetIds: ids }, opts: { jobId, priority, attempts: 1 } })),
      );
      await this.queue.addMany(
        'publication.publish',
        later.map((t) => ({
          payload: { targetId: t.id },
          opts: {
            jobId: `publication.publish:${t.id}:${seq.get(t.id)!.dispatches}`,
            delayMs: Math.max(0, t.nextAttemptAt!.getTime() - now.getTime()),
            priority: seq.get(t.id)!.priority,
            attempts: 1,
          },
        })),
      );
    }
  }

  async dispatchRetract(targetIds: string[]): Promise<void> {
    for (const id of targetIds) await this.enqueue('publication.retract', id, null);
  }

  /** Corrections that edit the existing post in place (targets in `editing`). */
  async dispatchEdit(targets: Pick<PublicationTarget, 'id' | 'nextAttemptAt'>[]): Promise<void> {
    for (const t of targets) await this.enqueue('publication.edit', t.id, t.nextAttemptAt);
  }

  /** The last dispatch time this process gave a batch of status checks (kept strictly increasing). */
  private lastPollDispatch = 0;

  /**
   * Status checks of targets a round left processing on the platform, one job per publication,
   * rank and due time: one UPDATE and one enqueue per job instead of two statements and a job per
   * target. Each job's targets share a dispatch time no other job of this process has, so its id
   * (pollBatchJobId) is what the reconciler asks the queue about before it re-dispatches a row.
   */
  async dispatchPolls(targets: { target: Pick<PublicationTarget, 'id' | 'publicationId' | 'priority'>; at: Date }[]): Promise<void> {
    type PollJob = { publicationId: string; priority: number; first: number; at: Date; ids: string[] };
    const jobs: PollJob[] = [];
    const open = new Map<string, PollJob>();
    for (const { target, at } of [...targets].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      // Due within a second of the first of them: one job, due when the last of them is.
      const key = `${target.publicationId}:${target.priority}`;
      let job = open.get(key);
      if (!job || at.getTime() - job.first > 1000) {
        job = { publicationId: target.publicationId, priority: target.priority, first: at.getTime(), at, ids: [] };
        open.set(key, job);
        jobs.push(job);
      }
      job.at = at;
      job.ids.push(target.id);
    }
    for (const job of jobs) {
      const now = this.clock.now().getTime();
      const dispatchedAt = new Date((this.lastPollDispatch = Math.max(now, this.lastPollDispatch + 1)));
      await this.ds
        .createQueryBuilder()
        .update(PublicationTarget)
        .set({ dispatchedAt, dispatches: () => 'dispatches + 1' })
        .where({ id: In(job.ids) })
        .execute();
      await this.queue.add(
        'publication.poll-batch',
        { targetIds: job.ids },
        {
          jobId: pollBatchJobId(job.publicationId, job.priority, dispatchedAt),
          delayMs: Math.max(0, job.at.getTime() - now),
          priority: job.priority,
          attempts: 1,
        },
      );
    }
  }

  async enqueue(
    job: 'publication.publish' | 'publication.retract' | 'publication.poll' | 'publication.edit',
    targetId: string,
    at: Date | null,
  ): Promise<void> {
    const now = this.clock.now().getTime();
    const res = await this.ds
      .createQueryBuilder()
      .update(PublicationTarget)
      .set({ dispatchedAt: this.clock.now(), dispatches: () => 'dispatches + 1' })
      .where('id = :id', { id: targetId })
      .execute();
    if (!res.affected) return;
    const row = await this.ds
      .getRepository(PublicationTarget)
      .findOne({ where: { id: targetId }, select: { id: true, dispatches: true, priority: true } });
    const delayMs = at ? Math.max(0, at.getTime() - now) : 0;
    try {
      // Every job of a target carries its rank (polls and retracts too): Bull runs jobs without a
      // priority only after all the ranked ones of the queue.
      await this.queue.add(
        job,
        { targetId },
        { jobId: `${job}:${targetId}:${row?.dispatches ?? 0}`, delayMs, attempts: 1, priority: row?.priority },
      );
    } catch (e) {
      // The row is the record; the reconciler re-enqueues what never reached the queue.
      this.logger.warn(`enqueue of ${job} ${targetId} failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }
}
