import { invalidateTotals } from '@tongfa/database';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorLoader, Unit, UnitsService } from '@tongfa/identity';
import { Page } from '@tongfa/core';
import { CurrentActor } from '../common/decorators';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { AuditTrail } from '../common/audit-trail';
import { CreateUnitDto, UnitListQueryDto, UpdateUnitDto } from './units.dto';
import { UnitPageDto, UnitResponseDto, UnitTreeNodeDto } from './units.responses';

const summary = (u: Unit) => ({ name: u.name, level: u.level, parentId: u.parentId, creditCode: u.creditCode, regionCode: u.regionCode });

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly trail: AuditTrail,
    private readonly actors: ActorLoader,
  ) {}

  @Get()
  @ApiOperation({ summary: '单位列表（仅限管辖范围）/ Units in the caller’s subtree' })
  @ApiOkResponse({ type: UnitPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: UnitListQueryDto): Promise<Page<Unit>> {
    return this.units.list(actor, q);
  }

  @Post()
  @ApiOperation({ summary: '新建下级单位 / Create a unit under a parent in scope' })
  @ApiCreatedResponse({ type: UnitResponseDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUnitDto): Promise<Unit> {
    const unit = await this.units.create(actor, dto);
    invalidateTotals('unit');
    await this.trail.record({
      action: 'unit.create',
      targetType: 'unit',
      targetId: unit.id,
      unitId: unit.id,
      unitPath: unit.path,
      after: summary(unit),
    });
    return unit;
  }

  @Get(':id')
  @ApiOperation({ summary: '单位详情 / One unit' })
  @ApiOkResponse({ type: UnitResponseDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<Unit> {
    return this.units.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: '修改或调整隶属关系 / Rename, re-code or move a unit' })
  @ApiOkResponse({ type: UnitResponseDto })
  async update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string, @Body() dto: UpdateUnitDto): Promise<Unit> {
    const { before, after } = await this.units.update(actor, id, dto);
    invalidateTotals('unit');
    invalidateTotals('user');
    // A move rewrites unit paths that cached actors carry.
    if (before.path !== after.path) this.actors.invalidate();
    await this.trail.record({
      action: 'unit.update',
      targetType: 'unit',
      targetId: id,
      unitId: id,
      unitPath: after.path,
      before: summary(before),
      after: summary(after),
    });
    return after;
  }

  @Get(':id/tree')
  @ApiOperation({ summary: '单位树 / The subtree under a unit' })
  @ApiOkResponse({ type: UnitTreeNodeDto })
  tree(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.units.tree(actor, id);
  }
}
