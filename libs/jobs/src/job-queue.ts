import { JobName, JobOptions, JobPayloads } from './job-catalogue';

/**
 * The queue port. Two adapters: Bull on Redis (distributed) and database rows run in-process
 * (embedded). Queues carry hints; the state of outside work lives in its own rows.
 */
export abstract class JobQueue {
  abstract add<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobOptions): Promise<void>;
  /** Many jobs of one name in as few round trips as the adapter allows (an outbox of thousands). */
  async addMany<N extends JobName>(name: N, jobs: { payload: JobPayloads[N]; opts?: JobOptions }[]): Promise<void> {
    for (const j of jobs) await this.add(name, j.payload, j.opts);
  }
  /**
   * Whether a job of this id is still to run now (waiting or running; not one held back by a delay).
   * The outbox reconciler asks before it re-enqueues a row that is due, so a deep queue is not
   * flooded with duplicates of jobs it still holds; a queue that lost its jobs (Redis restarted
   * empty) answers false.
   */
  abstract pending(name: JobName, jobId: string): Promise<boolean>;
  /** Jobs waiting or delayed per queue, for /metrics. */
  abstract depth(): Promise<Record<string, number>>;
  abstract readonly kind: 'bull' | 'embedded';
}
