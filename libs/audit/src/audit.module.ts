import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { MaintenanceJobs } from './maintenance.jobs';

@Global()
@Module({ providers: [AuditService, MaintenanceJobs], exports: [AuditService] })
export class AuditModule {}
