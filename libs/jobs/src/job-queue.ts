import { JobName, JobOptions, JobPayloads } from './job-catalogue';

/**
 * The queue port. Two adapters: Bull on Redis (distributed) and database rows run in-process
 * (embedded). Queues carry hints; the state of outside work lives in its own rows.
 */
export abstract class JobQueue {
  abstract add<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobOptions): Promise<void>;
  /** Jobs waiting or delayed per queue, for /metrics. */
  abstract depth(): Promise<Record<string, number>>;
  abstract readonly kind: 'bull' | 'embedded';
}
