import { Global, Module } from '@nestjs/common';
import { AlertsModule } from '@tongfa/alerts';
import { ManuscriptsService } from './manuscripts.service';
import { ReviewService } from './review.service';
import { recurringJob } from '@tongfa/jobs';
import { ReviewEscalation } from './review-escalation.service';

/** The ComplianceGate port is bound by the compliance module (libs/compliance). */
@Global()
@Module({
  imports: [AlertsModule],
  providers: [ManuscriptsService, ReviewService, ReviewEscalation, recurringJob('review.escalation-sweep', {}, 60_000)],
  exports: [ManuscriptsService, ReviewService, ReviewEscalation],
})
export class ManuscriptsModule {}
