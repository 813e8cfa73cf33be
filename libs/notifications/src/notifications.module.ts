import { Module } from '@nestjs/common';
import { ManuscriptsModule } from '@tongfa/manuscripts';
import { CampaignsModule } from '@tongfa/campaigns';
import { NotificationsService } from './notifications.service';
import { NotificationProducers } from './notification-producers';
import { BotChannelsService } from './bot-channels.service';
import { BotTransport, HttpBotTransport } from './bot-transport';
import { recurringJob } from '@tongfa/jobs';

/**
 * 站内通知. Imported by the hub (routes) and the worker: every process registers the producers,
 * since reviews, alerts and campaigns happen wherever a request or a job is served.
 */
@Module({
  imports: [ManuscriptsModule, CampaignsModule],
  providers: [
    NotificationsService,
    NotificationProducers,
    { provide: BotTransport, useClass: HttpBotTransport },
    BotChannelsService,
    // Bot messages should reach the group within seconds of the event.
    recurringJob('notification.delivery-sweep', {}, 15_000),
  ],
  exports: [NotificationsService, NotificationProducers, BotChannelsService],
})
export class NotificationsModule {}
