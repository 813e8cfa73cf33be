import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { JobRecord } from './entities';
import { JobQueue } from './job-queue';
import { JOB_QUEUES, JobName, JobOptions, JobPayloads, QUEUE_NAMES } from './job-catalogue';
import { JobRegistry } from './job-registry';

/**
 * The embedded adapter: jobs are rows, run in-process by a small poller. A row is claimed with a
 * conditional UPDATE (state waiting → active), so even two processes on one SQLite file never run
 * a job twice. A stale claim (process died) is released after its lock expires.
 */
export class EmbeddedJobQueue extends JobQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly kind = 'embedded' as const;
  private readonly logger = new Logger('EmbeddedJobQueue');
  private readonly owner = `embedded-${process.pid}-${newId().slice(-6)}`;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly registry: JobRegistry,
    private readonly clock: Clock,
    /** False in a process that only enqueues. */
    private readonly consume: boolean,
  ) {
    super();
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], opts: JobOptions = {}): Promise<void> {
    const now = this.clock.now();
    const jobKey = opts.jobId ?? newId();
    const repo = this.ds.getRepository(JobRecord);
    if (opts.jobId && (await repo.exists({ where: { jobKey } }))) return;
    try {
      await repo.insert({
        id: newId(),
        queue: JOB_QUEUES[name],
        name,
        jobKey,
        payload,
        state: 'waiting',
        runAt: new Date(now.getTime() + (opts.delayMs ?? 0)),
        priority: opts.priority ?? 0,
        attempts: 0,
        maxAttempts: opts.attempts ?? 3,
        lastError: null,
        lockedBy: null,
        lockedUntil: null,
      });
    } catch (e) {
      // The unique jobKey lost a race with an identical add: that is the dedupe working.
      if (!(await repo.exists({ where: { jobKey } }))) throw e;
    }
    this.wake?.();
  }

  async pending(_name: JobName, jobId: string): Promise<boolean> {
    return this.ds.getRepository(JobRecord).exists({ where: { jobKey: jobId, state: In(['waiting', 'active']) } });
  }

  async depth(): Promise<Record<string, number>> {
    const rows = await this.ds
      .getRepository(JobRecord)
      .createQueryBuilder('j')
      .select('j.queue', 'queue')
      .addSelect('COUNT(*)', 'n')
      .where("j.state IN ('waiting', 'active')")
      .groupBy('j.queue')
      .getRawMany<{ queue: string; n: string | number }>();
    // Every catalogue queue is reported, empty ones as 0, so the gauge exists from the start.
    const out: Record<string, number> = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 0]));
    for (const r of rows) out[r.queue] = Number(r.n);
    return out;
  }

  onApplicationBootstrap(): void {
    if (this.consume) this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.inflight;
  }

  /** Runs due jobs until none is left, then waits for a wake-up or the next poll. */
  private loop(): void {
    if (this.stopped) return;
    this.inflight = this.drain()
      .catch((e: unknown) => this.logger.error(`job poller failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(() => this.loop(), 250);
        this.wake = () => {
          this.wake = null;
          if (this.timer) clearTimeout(this.timer);
          setImmediate(() => this.loop());
        };
      });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped) {
        const job = await this.claimNext();
        if (!job) break;
        await this.execute(job);
      }
    } finally {
      this.running = false;
    }
  }

  private async claimNext(): Promise<JobRecord | null> {
    const repo = this.ds.getRepository(JobRecord);
    const now = this.clock.now();
    // Release claims whose owner died.
    await repo
      .createQueryBuilder()
      .update(JobRecord)
      .set({ state: 'waiting', lockedBy: null, lockedUntil: null })
      .where("state = 'active' AND lockedUntil < :now", { now })
      .execute();
    // Most urgent first (an emergency publish before a province-wide fan-out's rounds), then oldest.
    const candidates = await repo.find({
      where: { state: 'waiting', runAt: LessThanOrEqual(now) },
      order: { priority: 'ASC', runAt: 'ASC' },
      take: 5,
    });
    for (const c of candidates) {
      const res = await repo
        .createQueryBuilder()
        .update(JobRecord)
        .set({ state: 'active', lockedBy: this.owner, lockedUntil: new Date(now.getTime() + 5 * 60_000), attempts: () => 'attempts + 1' })
        .where("id = :id AND state = 'waiting'", { id: c.id })
        .execute();
      if (res.affected) return repo.findOne({ where: { id: c.id } });
    }
    return null;
  }

  private async execute(job: JobRecord): Promise<void> {
    const repo = this.ds.getRepository(JobRecord);
    try {
      await this.registry.run(job.name as JobName, job.payload as never);
      await repo.update({ id: job.id }, { state: 'completed', lockedBy: null, lockedUntil: null, lastError: null });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const final = job.attempts >= job.maxAttempts;
      // Exponential backoff like Bull's: 1 s, 2 s, 4 s …
      const runAt = new Date(this.clock.now().getTime() + 1000 * 2 ** Math.max(0, job.attempts - 1));
      await repo.update(
        { id: job.id },
        { state: final ? 'failed' : 'waiting', runAt, lockedBy: null, lockedUntil: null, lastError: message.slice(0, 2000) },
      );
      if (final) this.logger.warn(`job ${job.name} ${job.jobKey} failed for good: ${message}`);
    }
  }
}
