import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignTrustService } from '@tongfa/campaigns';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { TrustListDto } from './campaigns.dto';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('units/:id/campaign-trust')
export class CampaignTrustController {
  constructor(
    private readonly trust: CampaignTrustService,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: '联动免审规则 / The unit’s standing rules: campaigns of these issuers skip the unit’s review' })
  @ApiOkResponse({ type: TrustListDto })
  list(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.trust.list(actor, id);
  }

  @Put(':issuerUnitId')
  @ApiOperation({ summary: '开启：该上级单位的联动任务免本单位审核（单位管理员）/ Turn the rule on (unit admin)' })
  @ApiOkResponse({ type: TrustListDto })
  async set(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('issuerUnitId', new ParseUUIDPipe()) issuerUnitId: string,
  ) {
    const { unit, issuer, changed } = await this.trust.set(actor, id, issuerUnitId);
    if (changed) {
      await this.trail.record({
        action: 'campaign.trust.on',
        targetType: 'unit',
        targetId: unit.id,
        unitId: unit.id,
        after: { issuerUnitId: issuer.id, issuerUnitName: issuer.name },
      });
    }
    return this.trust.list(actor, id);
  }

  @Delete(':issuerUnitId')
  @HttpCode(200)
  @ApiOperation({ summary: '关闭免审规则（单位管理员）/ Turn the rule off (unit admin)' })
  @ApiOkResponse({ type: TrustListDto })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('issuerUnitId', new ParseUUIDPipe()) issuerUnitId: string,
  ) {
    const { unit, issuer, changed } = await this.trust.remove(actor, id, issuerUnitId);
    if (changed) {
      await this.trail.record({
        action: 'campaign.trust.off',
        targetType: 'unit',
        targetId: unit.id,
        unitId: unit.id,
        before: { issuerUnitId: issuer.id, issuerUnitName: issuer.name },
      });
    }
    return this.trust.list(actor, id);
  }
}
