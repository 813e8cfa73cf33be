import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ComplianceService, submitRule } from '@tongfa/compliance';
import { CommonError, CommonException } from '@tongfa/core';
import { Actor, Permission } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { currentRequest } from '../common/request-context';
import { CheckDto } from './compliance.dto';

@ApiTags('compliance')
@ApiBearerAuth()
@Controller('compliance')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: '五关检查（编辑器实时检查）/ The five checks on a draft, for the editor’s live check' })
  check(@CurrentActor() actor: Actor, @Body() dto: CheckDto) {
    if (!actor.can(Permission.ComplianceCheck)) throw new CommonException(CommonError.Forbidden);
    // A check decides nothing and changes nothing; the editor calls it as they type, so it is
    // kept out of the audit log (the manuscript's submit records the check it passed).
    const rc = currentRequest();
    if (rc) rc.audited = true;
    return this.compliance
      .unitNamesOnPath(dto.source?.type === 'reprint' ? actor.unitPath : null)
      .then((trustedSources) => this.compliance.check({ ...dto, trustedSources }))
      .then((result) => ({ ...result, submit: submitRule(result) }));
  }
}
