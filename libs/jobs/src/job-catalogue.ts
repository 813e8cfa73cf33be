/**
 * The typed job catalogue: every job name, its queue and its payload. Adding a job means adding
 * it here; `JobQueue.add` and `@JobHandler` only accept names from this map.
 */
export interface JobPayloads {
  'audit.purge': { retentionDays: number };
  'system.ping': { marker: string; failTimes?: number };
  'account.refresh': { accountId: string };
  'account.refresh-sweep': Record<string, never>;
  'vault.rotate': { batch?: number };
  'publication.publish': { targetId: string };
  /** A round of a fan-out: targets of one rank, claimed together (Dispatcher.dispatch). */
  'publication.publish-batch': { targetIds: string[] };
  'publication.poll': { targetId: string };
  'publication.poll-batch': { targetIds: string[] };
  'publication.retract': { targetId: string };
  'publication.edit': { targetId: string };
  'review.escalate': { manuscriptId: string; versionId: string; step: number };
  'review.escalation-sweep': Record<string, never>;
  'campaign.completion-sweep': Record<string, never>;
  'campaign.detection-sweep': Record<string, never>;
  'campaign.reminder-sweep': Record<string, never>;
  'qa.expiry-sweep': Record<string, never>;
  'monitoring.activity-sweep': Record<string, never>;
  'notification.delivery-sweep': Record<string, never>;
  'notification.campaign-issued': { campaignId: string };
  'inbox.reply-send': { replyId: string };
  'inbox.reply-sweep': Record<string, never>;
  'inbox.moderation-send': { moderationId: string };
  'inbox.moderation-sweep': Record<string, never>;
  'inbox.listing-sweep': Record<string, never>;
  'inbox.poll-sweep': Record<string, never>;
  'inbox.sla-sweep': Record<string, never>;
  'duty.escalation-sweep': Record<string, never>;
  'supervision.snapshot-sweep': Record<string, never>;
  'supervision.rectification-sweep': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/**
 * Targets per `publication.publish-batch` job: a fan-out's round (see the publishing library's
 * priority ranks), claimed and read with one statement each instead of one per target.
 */
export const PUBLISH_BATCH_SIZE = 16;

export const JOB_QUEUES: Record<JobName, string> = {
  'audit.purge': 'maintenance',
  'system.ping': 'maintenance',
  'account.refresh': 'accounts',
  'account.refresh-sweep': 'accounts',
  'vault.rotate': 'maintenance',
  'publication.publish': 'publishing',
  'publication.publish-batch': 'publishing',
  'publication.poll': 'publishing',
  'publication.poll-batch': 'publishing',
  'publication.retract': 'publishing',
  'publication.edit': 'publishing',
  'review.escalate': 'reviews',
  'review.escalation-sweep': 'reviews',
  'campaign.completion-sweep': 'campaigns',
  'campaign.detection-sweep': 'campaigns',
  'campaign.reminder-sweep': 'campaigns',
  'qa.expiry-sweep': 'reviews',
  'monitoring.activity-sweep': 'accounts',
  'notification.delivery-sweep': 'notifications',
  'notification.campaign-issued': 'notifications',
  'inbox.reply-send': 'inbox',
  'inbox.reply-sweep': 'inbox',
  'inbox.moderation-send': 'inbox',
  'inbox.moderation-sweep': 'inbox',
  'inbox.listing-sweep': 'inbox',
  'inbox.poll-sweep': 'inbox',
  'inbox.sla-sweep': 'inbox',
  'duty.escalation-sweep': 'notifications',
  'supervision.snapshot-sweep': 'supervision',
  'supervision.rectification-sweep': 'supervision',
};

export const QUEUE_NAMES = [...new Set(Object.values(JOB_QUEUES))];

export interface JobOptions {
  /** Dedupe key: a second add with the same id while the first is kept does nothing. */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
  /** 1 is the most urgent; jobs of a queue that carry one run lowest first (Bull's job priority). */
  priority?: number;
}
