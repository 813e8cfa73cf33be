import { Global, Module } from '@nestjs/common';
import { ManuscriptsService } from './manuscripts.service';
import { ReviewService } from './review.service';

/** The ComplianceGate port is bound by the compliance module (libs/compliance). */
@Global()
@Module({
  providers: [ManuscriptsService, ReviewService],
  exports: [ManuscriptsService, ReviewService],
})
export class ManuscriptsModule {}
