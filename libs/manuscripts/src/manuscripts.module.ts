import { Global, Module } from '@nestjs/common';
import { AlertsModule } from '@tongfa/alerts';
import { ManuscriptsService } from './manuscripts.service';
import { ReviewService } from './review.service';
import { recurringJob } from '@tongfa/jobs';
import { ReviewEscalation } from './review-escalation.service';
import { ManuscriptHooks } from './manuscript-hooks';

/** The ComplianceGate port is bound by the compliance module (libs/compliance). */
@Global()
@Module({
  imports: [AlertsModule],
  providers: [ManuscriptHooks, ManuscriptsService, ReviewService, ReviewEscalation, recurringJob('review.escalation-sweep', {}, 60_000)],
  exports: [ManuscriptHooks, ManuscriptsService, ReviewService, ReviewEscalation],
})
export class ManuscriptsModule {}
