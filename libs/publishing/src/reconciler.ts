import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan } from 'typeorm';
import { Clock } from '@tongfa/core';
import { JobQueue } from '@tongfa/jobs';
import { PublicationTarget } from './entities';
import { batchJobId, pollBatchJobId, Dispatcher } from './dispatcher';
import { CorrectionsService } from './corrections.service';

/** Due work whose job has not claimed it this long after its time is re-enqueued. */
const GRACE_MS = 1000;
/** A target is re-enqueued at most this often (duplicates are harmless, floods are not). */
const REDISPATCH_EVERY_MS = 5000;
const BATCH = 500;

/**
 * Redis is a queue, never the record. Every second the reconciler looks at the target rows and
 * puts back on the queue whatever should be running but is not: jobs lost when Redis restarted
 * empty, enqueues that failed after commit, and targets whose worker died mid-call (their claim
 * lapsed; they are re-queued with a check for an existing post first, never a blind repeat).
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private enabled = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly dispatcher: Dispatcher,
    private readonly corrections: CorrectionsService,
    private readonly queue: JobQueue,
  ) {}

  /** Turned on in processes that run jobs (the worker, or the embedded hub). */
  enable(): void {
    this.enabled = true;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const tick = () => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.warn(`reconcile failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (this.enabled) this.timer = setTimeout(tick, 1000);
        });
    };
    this.timer = setTimeout(tick, 200);
  }

  async onApplicationShutdown(): Promise<void> {
    this.enabled = false;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass; returns how many targets it touched (tests and the fault suite call it directly). */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const repo = this.ds.getRepository(PublicationTarget);
    let touched = 0;

    // Lapsed claims: the worker died or hung past its lease.
    const lapsed = await repo.find({
      where: { claimedUntil: LessThan(now), state: In(['publishing', 'retracting', 'editing']) },
      take: BATCH,
    });
    for (const t of lapsed) {
      const publishInFlight = t.state === 'publishing' && !t.remoteId;
      const res = await this.ds
        .createQueryBuilder()
        .update(PublicationTarget)
        .set(
          publishInFlight
            ? { state: 'queued', claimedBy: null, claimedUntil: null, mustCheckExisting: true, nextAttemptAt: now }
            : { claimedBy: null, claimedUntil: null, nextAttemptAt: now },
        )
        .where('id = :id AND claimedBy = :by AND claimedUntil < :now', { id: t.id, by: t.claimedBy, now })
        .execute();
      if (res.affected) touched++;
    }

    // Due work no job has picked up.
    const due = new Date(now.getTime() - GRACE_MS);
    const stale = new Date(now.getTime() - REDISPATCH_EVERY_MS);
    const waiting = await repo
      .createQueryBuilder('t')
      .select(['t.id', 't.state', 't.nextAttemptAt', 't.remoteId', 't.dispatches', 't.publicationId', 't.priority', 't.dispatchedAt'])
      .where('t.claimedBy IS NULL')
      .andWhere(
        "(t.state IN ('queued', 'retry_wait', 'pending', 'retracting', 'editing') OR (t.state = 'publishing' AND t.remoteId IS NOT NULL))",
      )
      .andWhere('(t.nextAttemptAt IS NULL OR t.nextAttemptAt <= :due)', { due })
      .andWhere('(t.dispatchedAt IS NULL OR t.dispatchedAt < :stale)', { stale })
      // Most urgent first: after Redis lost its jobs, an emergency release is put back before a fan-out.
      .orderBy('t.priority', 'ASC')
      .addOrderBy('t.nextAttemptAt', 'ASC')
      .take(BATCH)
      .getMany();
    for (const t of waiting) {
      const job =
        t.state === 'retracting'
          ? 'publication.retract'
          : t.state === 'editing'
            ? 'publication.edit'
            : t.state === 'publishing'
              ? 'publication.poll'
              : 'publication.publish';
      try {
        // The job last enqueued for the row (the dispatcher's id) is still on the queue: a deep queue
        // (a fan-out of thousands) is draining, not lost. Re-enqueueing would only add duplicates
        // that every worker must take and drop, slowing the very drain it waits for.
        if (await this.queue.pending(job, `${job}:${t.id}:${t.dispatches}`)) continue;
        // A fan-out's round: its job carries the target with others of its rank (Dispatcher.dispatch).
        if (
          job === 'publication.publish' &&
          t.dispatchedAt &&
          (await this.queue.pending('publication.publish-batch', batchJobId(t.publicationId, t.priority, t.dispatchedAt)))
        ) {
          continue;
        }
        // A round's status checks: one job for its targets still processing (Dispatcher.dispatchPolls).
        if (
          job === 'publication.poll' &&
          t.dispatchedAt &&
          (await this.queue.pending('publication.poll-batch', pollBatchJobId(t.publicationId, t.priority, t.dispatchedAt)))
        ) {
          continue;
        }
        await this.dispatcher.enqueue(job, t.id, null);
        touched++;
      } catch {
        // Queue unreachable: the next pass tries again.
        break;
      }
    }
    // Corrections whose original's retract ended while nobody moved them on (crash in between).
    touched += await this.corrections.sweepAwaiting(BATCH);
    return touched;
  }
}
