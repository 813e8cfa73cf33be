import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Bull, { Queue } from 'bull';
import { JobQueue } from './job-queue';
import { JOB_QUEUES, JobName, JobOptions, JobPayloads, QUEUE_NAMES } from './job-catalogue';
import { JobRegistry } from './job-registry';

/**
 * The distributed adapter: one Bull queue per catalogue queue on REDIS_URL. Only worker
 * processes (`process: true`) consume; hub processes only enqueue.
 */
export class BullJobQueue extends JobQueue implements OnModuleInit, OnApplicationShutdown {
  readonly kind = 'bull' as const;
  private readonly logger = new Logger('BullJobQueue');
  readonly queues = new Map<string, Queue>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly consume: boolean,
    private readonly registry: JobRegistry,
    /** Jobs of a name run at once in this process (default 4); Bull sums them over a queue's names. */
    private readonly concurrency: Partial<Record<JobName, number>> = {},
  ) {
    super();
    for (const name of QUEUE_NAMES) this.queues.set(name, new Bull(name, redisUrl, { prefix }));
  }

  onModuleInit(): void {
    if (!this.consume) return;
    const byQueue = new Map<string, JobName[]>();
    for (const [job, queue] of Object.entries(JOB_QUEUES) as [JobName, string][]) {
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), job]);
    }
    for (const [queue, jobs] of byQueue) {
      for (const job of jobs) {
        if (!this.registry.has(job)) continue;
        void this.queues.get(queue)!.process(job, this.concurrency[job] ?? 4, async (j) => this.registry.run(job, j.data as never));
      }
    }
    this.logger.log(`consuming ${[...byQueue.keys()].join(', ')}`);
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], opts: JobOptions = {}): Promise<void> {
    await this.queues.get(JOB_QUEUES[name])!.add(name, payload, {
      jobId: opts.jobId,
      delay: opts.delayMs,
      ...(opts.priority ? { priority: opts.priority } : {}),
      attempts: opts.attempts ?? 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  override async addMany<N extends JobName>(name: N, jobs: { payload: JobPayloads[N]; opts?: JobOptions }[]): Promise<void> {
    const queue = this.queues.get(JOB_QUEUES[name])!;
    for (let i = 0; i < jobs.length; i += 500) {
      await queue.addBulk(
        jobs.slice(i, i + 500).map((j) => ({
          name,
          data: j.payload,
          opts: {
            jobId: j.opts?.jobId,
            delay: j.opts?.delayMs,
            ...(j.opts?.priority ? { priority: j.opts.priority } : {}),
            attempts: j.opts?.attempts ?? 3,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: 1000,
            removeOnFail: 5000,
          },
        })),
      );
    }
  }

  async pending(name: JobName, jobId: string): Promise<boolean> {
    const job = await this.queues.get(JOB_QUEUES[name])!.getJob(jobId);
    // Kept finished jobs carry finishedOn. A delayed job does not count: the reconciler asks only
    // about rows already due by the hub's clock, so one Bull still holds back by its own timer (a
    // scheduled release whose time the hub's clock has reached) must be enqueued to run now.
    return !!job && !job.finishedOn && !(await job.isDelayed());
  }

  async depth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, q] of this.queues) {
      const c = await q.getJobCounts();
      out[name] = c.waiting + c.delayed + c.active;
    }
    return out;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
