import { Module } from '@nestjs/common';
import { recurringJob } from '@tongfa/jobs';
import { NotificationsModule } from '@tongfa/notifications';
import { InboxSettingsService } from './inbox-settings.service';
import { IngestService } from './ingest.service';
import { RepliesService } from './replies.service';
import { ModerationService } from './moderation.service';
import { ThreadsService } from './threads.service';
import { SlaService } from './sla.service';
import { PollingService } from './polling.service';
import { InboxMetricsService } from './metrics.service';
import { WebhooksService } from './webhooks.service';
import { SensitiveTextDetector } from './sensitive';
import { InboxPlatformPort } from './platform-port';
import { PluginInboxPlatformPort } from './plugin-platform-port';

/**
 * 政民互动. Imported by the hub (routes, webhooks) and the worker (reply outbox, polling, SLA
 * sweeps). The platform port is the plugin host (the SDK's `comments` and `messages` capabilities).
 */
@Module({
  imports: [NotificationsModule],
  providers: [
    { provide: InboxPlatformPort, useClass: PluginInboxPlatformPort },
    InboxSettingsService,
    SensitiveTextDetector,
    IngestService,
    RepliesService,
    ModerationService,
    ThreadsService,
    SlaService,
    PollingService,
    InboxMetricsService,
    WebhooksService,
    // A reply should leave within seconds (the hint job does it; the sweep catches lost hints).
    recurringJob('inbox.reply-sweep', {}, 15_000),
    // Hiding or deleting a comment is as urgent as a reply (a hint job does it; the sweep catches lost hints).
    recurringJob('inbox.moderation-sweep', {}, 15_000),
    // Native posts appear at the pace people post; the listing interval itself is set per account.
    recurringJob('inbox.listing-sweep', {}, 60_000),
    // The schedule's finest step is 15 minutes; a minute's lateness is nothing to citizens.
    recurringJob('inbox.poll-sweep', {}, 60_000),
    recurringJob('inbox.sla-sweep', {}, 60_000),
  ],
  exports: [
    InboxPlatformPort,
    InboxSettingsService,
    IngestService,
    RepliesService,
    ModerationService,
    ThreadsService,
    SlaService,
    PollingService,
    InboxMetricsService,
    WebhooksService,
  ],
})
export class InboxModule {}
