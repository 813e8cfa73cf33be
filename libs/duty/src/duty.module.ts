import { Module } from '@nestjs/common';
import { recurringJob } from '@tongfa/jobs';
import { NotificationsModule } from '@tongfa/notifications';
import { DutyService } from './duty.service';
import { DutyEscalationService } from './duty-escalation.service';
import { DutyLogExport } from './duty-log.export';

/**
 * 值班值守. Imported by the hub (routes) and the worker: both raise alerts, and every process must
 * route them to the person on call (the listener is registered in each).
 */
@Module({
  imports: [NotificationsModule],
  providers: [
    DutyService,
    DutyEscalationService,
    DutyLogExport,
    // An escalation step is minutes apart; a minute's sweep keeps it on time within a minute.
    recurringJob('duty.escalation-sweep', {}, 60_000),
  ],
  exports: [DutyService, DutyEscalationService, DutyLogExport],
})
export class DutyModule {}
