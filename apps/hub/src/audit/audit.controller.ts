import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { AuditService } from '@tongfa/audit';
import { Actor, Permission } from '@tongfa/identity';
import { CommonError, CommonException } from '@tongfa/core';
import { CurrentActor } from '../common/decorators';
import { PageQueryDto } from '../common/dto';
import { AuditPageDto, AuditVerifyDto } from './audit.responses';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'auth.login' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  targetId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: '审计日志（审计管理员）/ The audit log within the auditor’s subtree' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto) {
    const scope = actor.scope(Permission.AuditRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    return this.audit.list(actor.holdsAtRoot(Permission.AuditRead) ? null : scope, q);
  }

  @Get('verify')
  @ApiOperation({ summary: '校验审计链 / Verify the hash chain and name edited or deleted entries' })
  @ApiOkResponse({ type: AuditVerifyDto })
  verify(@CurrentActor() actor: Actor) {
    if (!actor.can(Permission.AuditRead)) throw new CommonException(CommonError.Forbidden);
    return this.audit.verify();
  }
}
