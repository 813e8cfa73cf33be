import { Module } from '@nestjs/common';
import { InboxModule } from '@tongfa/inbox';
import { AuditTrail } from '../common/audit-trail';
import { InboxController } from './inbox.controller';
import { WebhooksController } from './webhooks.controller';

/** 政民互动 at the HTTP edge: the inbox (units' staff) and the platforms' pushes. */
@Module({
  imports: [InboxModule],
  controllers: [InboxController, WebhooksController],
  providers: [AuditTrail],
})
export class InboxHttpModule {}
