import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { CampaignTrust } from './entities';
import { CampaignError, CampaignException } from './campaigns.exception';

export interface TrustView {
  issuerUnitId: string;
  issuerUnitName: string;
  createdAt: Date;
  createdBy: string;
}

/**
 * Standing rules of a unit (联动免审): campaigns from a named superior publish on acceptance
 * without the unit's own review. Read by whoever reads the unit's campaign work; set and removed
 * by the unit's own admin only.
 */
@Injectable()
export class CampaignTrustService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, unitId: string): Promise<{ items: TrustView[] }> {
    const unit = await this.ds.getRepository(Unit).findOneBy({ id: unitId });
    const readable =
      unit &&
      (pathInScope(unit.path, actor.scope(Permission.AssignmentRead)) || pathInScope(unit.path, actor.scope(Permission.CampaignIssue)));
    if (!unit || !readable) throw new CampaignException(CampaignError.NotFound);
    const rows = await this.ds.getRepository(CampaignTrust).find({ where: { unitId }, order: { createdAt: 'ASC' } });
    const issuers = rows.length ? await this.ds.getRepository(Unit).find({ where: { id: In(rows.map((r) => r.issuerUnitId)) } }) : [];
    return {
      items: rows.map((r) => ({
        issuerUnitId: r.issuerUnitId,
        issuerUnitName: issuers.find((u) => u.id === r.issuerUnitId)?.name ?? '',
        createdAt: r.createdAt,
        createdBy: r.createdBy,
      })),
    };
  }

  /** Turns the rule on (again: no change). The issuer must be a superior of the unit. */
  async set(actor: Actor, unitId: string, issuerUnitId: string): Promise<{ unit: Unit; issuer: Unit; changed: boolean }> {
    const { unit, issuer } = await this.units(actor, unitId, issuerUnitId);
    if (await this.ds.getRepository(CampaignTrust).exists({ where: { unitId, issuerUnitId } })) return { unit, issuer, changed: false };
    try {
      await this.ds.getRepository(CampaignTrust).insert({
        id: newId(),
        unitId,
        unitPath: unit.path,
        issuerUnitId,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      });
    } catch (e) {
      // The unique key lost a race with the same rule: it is on.
      if (!(await this.ds.getRepository(CampaignTrust).exists({ where: { unitId, issuerUnitId } }))) throw e;
      return { unit, issuer, changed: false };
    }
    return { unit, issuer, changed: true };
  }

  async remove(actor: Actor, unitId: string, issuerUnitId: string): Promise<{ unit: Unit; issuer: Unit; changed: boolean }> {
    const { unit, issuer } = await this.units(actor, unitId, issuerUnitId);
    const res = await this.ds.getRepository(CampaignTrust).delete({ unitId, issuerUnitId });
    return { unit, issuer, changed: !!res.affected };
  }

  private async units(actor: Actor, unitId: string, issuerUnitId: string): Promise<{ unit: Unit; issuer: Unit }> {
    const unit = await this.ds.getRepository(Unit).findOneBy({ id: unitId });
    if (!unit || !pathInScope(unit.path, actor.scope(Permission.AssignmentRead))) {
      if (unit && pathInScope(unit.path, actor.scope(Permission.UnitRead))) throw new CampaignException(CampaignError.NotUnitAdmin);
      throw new CampaignException(CampaignError.NotFound);
    }
    if (!actor.grants.some((g) => g.role === Role.UnitAdmin && g.unitId === unitId))
      throw new CampaignException(CampaignError.NotUnitAdmin);
    const issuer = await this.ds.getRepository(Unit).findOneBy({ id: issuerUnitId });
    if (!issuer || issuer.id === unit.id || !unit.path.startsWith(issuer.path)) {
      throw new CampaignException(CampaignError.TrustIssuerInvalid, {}, [{ field: 'issuerUnitId', message: '须为本单位的上级单位' }]);
    }
    return { unit, issuer };
  }
}
