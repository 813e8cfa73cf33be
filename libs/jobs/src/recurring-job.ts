import { Logger, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { Clock } from '@tongfa/core';
import { JobQueue } from './job-queue';
import { JobName, JobPayloads } from './job-catalogue';

/**
 * Enqueues a catalogue job once per period. Every process runs one; the job id carries the period
 * number, so however many hubs and workers there are, each period's job is enqueued once.
 */
export class RecurringJob<N extends JobName> implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('RecurringJob');

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly name: N,
    private readonly payload: JobPayloads[N],
    private readonly periodMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.periodMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    const period = Math.floor(this.clock.now().getTime() / this.periodMs);
    try {
      await this.queue.add(this.name, this.payload, { jobId: `${this.name}:${period}` });
    } catch (e) {
      this.logger.warn(`could not enqueue ${this.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** A provider that runs `name` every `periodMs` in this process. */
export function recurringJob<N extends JobName>(name: N, payload: JobPayloads[N], periodMs: number): Provider {
  return {
    provide: `tongfa:recurring:${name}`,
    inject: [JobQueue, Clock],
    useFactory: (queue: JobQueue, clock: Clock) => new RecurringJob(queue, clock, name, payload, periodMs),
  };
}
