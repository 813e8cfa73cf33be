import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MonitoringQueryService } from '@tongfa/monitoring';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { MonitoredAccountDetailDto, MonitoredAccountPageDto, MonitoringListQueryDto, RuleSetDto } from './monitoring.dto';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('monitoring')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringQueryService) {}

  @Get('accounts')
  @ApiOperation({ summary: '账号监测：活跃度与规则状态，风险高者在前 / Accounts’ activity and rule states, at risk first' })
  @ApiOkResponse({ type: MonitoredAccountPageDto })
  accounts(@CurrentActor() actor: Actor, @Query() q: MonitoringListQueryDto) {
    return this.monitoring.list(actor, q);
  }

  @Get('accounts/:id')
  @ApiOperation({ summary: '单个账号的活跃度：每周发文、规则状态及依据、平台指标 / One account: posts per week, rule states, metrics' })
  @ApiOkResponse({ type: MonitoredAccountDetailDto })
  account(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.monitoring.account(actor, id);
  }

  @Get('rules')
  @ApiOperation({ summary: '检查规则集（含版本与说明）/ The inspection rule sets with versions and documentation' })
  @ApiOkResponse({ type: [RuleSetDto] })
  rules() {
    return this.monitoring.ruleSets();
  }
}
