import { Module } from '@nestjs/common';
import { NotificationsModule } from '@tongfa/notifications';
import { NotificationsController } from './notifications.controller';
import { NotificationChannelsController } from './notification-channels.controller';
import { AuditTrail } from '../common/audit-trail';

/** 站内通知 at the HTTP edge: the bell's count, the list, read marks; the units' bot channels. */
@Module({
  imports: [NotificationsModule],
  controllers: [NotificationsController, NotificationChannelsController],
  providers: [AuditTrail],
})
export class NotificationsHttpModule {}
