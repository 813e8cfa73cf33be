import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from './audit.service';
import { JobHandler, JobPayloads } from '@tongfa/jobs';

/**
 * Housekeeping jobs: audit retention, and a ping used to check the queue end to end. They live
 * with the audit library (retention is its rule) so the hub and the worker register them once,
 * through AuditModule, whichever process consumes the queue.
 */
@Injectable()
export class MaintenanceJobs {
  private readonly logger = new Logger('MaintenanceJobs');
  /** Markers seen by system.ping, with how many times each ran (a probe for operators and tests). */
  static readonly pings = new Map<string, number>();

  constructor(private readonly audit: AuditService) {}

  @JobHandler('audit.purge')
  async handleAuditPurge(p: JobPayloads['audit.purge']): Promise<void> {
    const n = await this.audit.purge(p.retentionDays);
    if (n > 0) this.logger.log(`audit retention: purged ${n} entries older than ${p.retentionDays} days`);
  }

  @JobHandler('system.ping')
  async handlePing(p: JobPayloads['system.ping']): Promise<void> {
    const n = (MaintenanceJobs.pings.get(p.marker) ?? 0) + 1;
    MaintenanceJobs.pings.set(p.marker, n);
    if (p.failTimes && n <= p.failTimes) throw new Error(`ping ${p.marker} fails on purpose (${n}/${p.failTimes})`);
  }
}
