import { Global, Module } from '@nestjs/common';
import { ManuscriptsService } from './manuscripts.service';
import { ReviewService } from './review.service';
import { ComplianceGate, NoComplianceGate } from './compliance-gate';

@Global()
@Module({
  providers: [ManuscriptsService, ReviewService, { provide: ComplianceGate, useClass: NoComplianceGate }],
  exports: [ManuscriptsService, ReviewService, ComplianceGate],
})
export class ManuscriptsModule {}
