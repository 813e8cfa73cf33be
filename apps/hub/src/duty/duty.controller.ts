import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock } from '@tongfa/core';
import { Actor } from '@tongfa/identity';
import { DutyLogExport, DutyService } from '@tongfa/duty';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { CreateOverrideDto, DutyUnitsQueryDto, LogQueryDto, OnCallQueryDto, PutScheduleDto, RangeQueryDto } from './duty.dto';

@ApiTags('duty')
@ApiBearerAuth()
@Controller('duty')
export class DutyController {
  constructor(
    private readonly duty: DutyService,
    private readonly exporter: DutyLogExport,
    private readonly trail: AuditTrail,
    private readonly clock: Clock,
  ) {}

  @Get('units')
  @ApiOperation({
    summary:
      '值班值守总览：可查看的单位及其当前值班人员（分页，树序）/ The units whose duty the caller may read, with who is on call now (paged, tree order)',
  })
  units(@CurrentActor() actor: Actor, @Query() q: DutyUnitsQueryDto) {
    return this.duty.units(actor, q, this.clock.now());
  }

  @Get('units/:id/schedule')
  @ApiOperation({ summary: '单位值班表与升级策略 / The unit’s duty layers and escalation policy' })
  schedule(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.duty.getSchedule(actor, id);
  }

  @Put('units/:id/schedule')
  @ApiOperation({ summary: '保存值班表（本单位或上级单位管理员）/ Replace the unit’s layers and policy (a unit admin at or above it)' })
  async putSchedule(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: PutScheduleDto) {
    const { before, after, unit } = await this.duty.putSchedule(actor, id, {
      layers: dto.layers.map((l) => ({ ...l, days: l.days ?? 'all' })),
      policy: dto.policy && {
        repeat: dto.policy.repeat,
        steps: dto.policy.steps.map((s) => ({
          afterMinutes: s.afterMinutes,
          notify: s.notify.kind === 'user' ? { kind: 'user', userId: s.notify.userId! } : { kind: s.notify.kind },
        })),
      },
    });
    await this.trail.record({
      action: 'duty.schedule.update',
      targetType: 'duty_schedule',
      targetId: id,
      unitId: unit.id,
      unitPath: unit.path,
      before: { layers: before.layers, policy: before.policy },
      after: { layers: after.layers, policy: after.policy },
    });
    return after;
  }

  @Get('units/:id/candidates')
  @ApiOperation({
    summary:
      '可排班人员：在本单位或上级单位持有值班或主管角色的在岗用户（仅可编辑值班表者）/ Who may be put on duty at the unit (for those who edit its schedule)',
  })
  candidates(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.duty.candidates(actor, id);
  }

  @Get('units/:id/overrides')
  @ApiOperation({ summary: '替班记录（可按时间范围）/ The unit’s overrides, optionally within a range' })
  overrides(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: RangeQueryDto) {
    return this.duty.listOverrides(actor, id, q.from, q.to);
  }

  @Post('units/:id/overrides')
  @ApiOperation({ summary: '新增替班（本单位或上级单位管理员）/ Put someone on duty for a time range' })
  async createOverride(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CreateOverrideDto) {
    const { override, unit } = await this.duty.createOverride(actor, id, dto);
    await this.trail.record({
      action: 'duty.override.create',
      targetType: 'duty_override',
      targetId: override.id,
      unitId: unit.id,
      unitPath: unit.path,
      after: { userId: override.userId, startsAt: override.startsAt, endsAt: override.endsAt, note: override.note },
    });
    return override;
  }

  @Delete('overrides/:id')
  @ApiOperation({ summary: '撤销替班 / Remove an override' })
  async deleteOverride(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const o = await this.duty.deleteOverride(actor, id);
    await this.trail.record({
      action: 'duty.override.delete',
      targetType: 'duty_override',
      targetId: o.id,
      unitId: o.unitId,
      before: { userId: o.userId, startsAt: o.startsAt, endsAt: o.endsAt },
    });
    return o;
  }

  @Get('now')
  @ApiOperation({ summary: '本单位当前值班人员 / Who is on call now at the caller’s own unit' })
  now(@CurrentActor() actor: Actor) {
    return this.duty.onCall(actor, actor.unitId, this.clock.now());
  }

  @Get('units/:id/on-call')
  @ApiOperation({ summary: '某时刻的值班人员及依据 / Who is on call at an instant, and why (layer, override or gap)' })
  onCall(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: OnCallQueryDto) {
    return this.duty.onCall(actor, id, q.at ?? this.clock.now());
  }

  @Get('units/:id/log')
  @ApiOperation({ summary: '值班日志（JSON 或 xlsx）/ The duty log: shifts, alerts told, acknowledged and resolved' })
  async log(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: LogQueryDto) {
    const log = await this.duty.log(actor, id, q.from, q.to);
    if (q.format !== 'xlsx') return log;
    const buffer = await this.exporter.xlsx(log);
    await this.trail.record({
      action: 'duty.log.export',
      targetType: 'unit',
      targetId: id,
      after: { from: q.from, to: q.to, bytes: buffer.length },
    });
    return new StreamableFile(buffer, {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      disposition: `attachment; filename="duty-log-${id}.xlsx"`,
      length: buffer.length,
    });
  }
}
