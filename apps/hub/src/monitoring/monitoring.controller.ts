import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MonitoringQueryService } from '@tongfa/monitoring';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { MonitoredAccountPageDto, MonitoringListQueryDto, RuleSetDto } from './monitoring.dto';

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

  @Get('rules')
  @ApiOperation({ summary: '检查规则集（含版本与说明）/ The inspection rule sets with versions and documentation' })
  @ApiOkResponse({ type: [RuleSetDto] })
  rules() {
    return this.monitoring.ruleSets();
  }
}
