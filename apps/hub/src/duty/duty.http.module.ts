import { Module } from '@nestjs/common';
import { DutyModule } from '@tongfa/duty';
import { AuditTrail } from '../common/audit-trail';
import { DutyController } from './duty.controller';

/** 值班值守 at the HTTP edge: schedules, overrides, who is on call, the duty log. */
@Module({
  imports: [DutyModule],
  controllers: [DutyController],
  providers: [AuditTrail],
})
export class DutyHttpModule {}
