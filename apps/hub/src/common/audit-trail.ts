import { Injectable, Logger } from '@nestjs/common';
import { AuditRecordInput, AuditService, unitIdOfPath } from '@tongfa/audit';
import { currentRequest } from './request-context';

/**
 * Writes audit records from the HTTP edge, filling in the caller, client address and request id
 * from the request context. A domain record marks the request as audited.
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('AuditTrail');

  constructor(private readonly audit: AuditService) {}

  async record(input: Omit<AuditRecordInput, 'ip' | 'requestId'>): Promise<void> {
    const rc = currentRequest();
    const actor = rc?.actor ?? null;
    // The entry is scoped by its unit id (the list joins the unit's current path), so the id and
    // the recorded path must name the same unit: an entry about another unit than the actor's
    // does not borrow the actor's path.
    const unitId = input.unitId !== undefined ? input.unitId : input.unitPath ? unitIdOfPath(input.unitPath) : (actor?.unitId ?? null);
    // An entry about another unit than the actor's gets that unit's path from the audit service.
    const unitPath = input.unitPath !== undefined ? input.unitPath : unitId && unitId === actor?.unitId ? actor.unitPath : undefined;
    await this.audit.record({
      actorId: actor?.userId ?? null,
      actorName: actor?.username ?? null,
      ...input,
      unitId,
      unitPath,
      ip: rc?.ip ?? null,
      requestId: rc?.requestId ?? null,
    });
    if (rc) rc.audited = true;
  }

  async recordRequest(r: {
    action: string;
    route: string;
    result: 'success' | 'failure';
    status: number;
    params: Record<string, string>;
  }): Promise<void> {
    const rc = currentRequest();
    if (!rc || rc.audited) return;
    try {
      await this.record({
        action: r.action,
        targetType: 'route',
        targetId: r.route,
        result: r.result,
        after: { status: r.status, params: r.params },
      });
    } catch (e) {
      this.logger.error({ err: e }, 'audit record failed');
      throw e;
    }
  }
}
