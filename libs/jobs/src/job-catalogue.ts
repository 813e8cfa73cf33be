/**
 * The typed job catalogue: every job name, its queue and its payload. Adding a job means adding
 * it here; `JobQueue.add` and `@JobHandler` only accept names from this map.
 */
export interface JobPayloads {
  'audit.purge': { retentionDays: number };
  'system.ping': { marker: string; failTimes?: number };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUES: Record<JobName, string> = {
  'audit.purge': 'maintenance',
  'system.ping': 'maintenance',
};

export const QUEUE_NAMES = [...new Set(Object.values(JOB_QUEUES))];

export interface JobOptions {
  /** Dedupe key: a second add with the same id while the first is kept does nothing. */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
}
