import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AlertsService } from '@tongfa/alerts';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { AlertDto, AlertListQueryDto, AlertPageDto } from './alerts.dto';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: '值班提醒（本级及下级单位）/ Duty alerts over the officer’s subtree, newest first' })
  @ApiOkResponse({ type: AlertPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: AlertListQueryDto) {
    return this.alerts.list(actor, q);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @ApiOperation({ summary: '确认值班提醒 / Acknowledge an alert (again: no change)' })
  @ApiOkResponse({ type: AlertDto })
  async ack(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const { alert, changed } = await this.alerts.acknowledge(actor, id);
    if (changed) {
      await this.trail.record({
        action: 'alert.ack',
        targetType: 'duty_alert',
        targetId: alert.id,
        unitId: alert.unitId,
        unitPath: alert.unitPath,
        after: { kind: alert.kind, link: alert.link },
      });
    }
    return alert;
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: '处置完毕 / Resolve an alert (acknowledges it too; again: no change)' })
  @ApiOkResponse({ type: AlertDto })
  async resolve(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const { alert, changed } = await this.alerts.resolve(actor, id);
    if (changed) {
      await this.trail.record({
        action: 'alert.resolve',
        targetType: 'duty_alert',
        targetId: alert.id,
        unitId: alert.unitId,
        unitPath: alert.unitPath,
        after: { kind: alert.kind, link: alert.link },
      });
    }
    return alert;
  }
}
