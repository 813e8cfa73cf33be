import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonException } from '@tongfa/core';
import { Actor, Permission, Role } from '@tongfa/identity';
import { AccountConnectionsService, PluginRegistry } from '@tongfa/plugins';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { CredentialsDto } from './plugins.dto';

@ApiTags('plugins')
@ApiBearerAuth()
@Controller('plugins')
export class PluginsController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly connections: AccountConnectionsService,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      '已加载的平台插件清单（系统管理员另见未加载的插件及原因）/ Loaded plugin manifests; platform operators also see refused plugins',
  })
  list(@CurrentActor() actor: Actor) {
    if (!actor.can(Permission.PluginRead)) throw new CommonException(CommonError.Forbidden);
    const items = this.registry.list().map((p) => ({
      ...p.manifest,
      source: p.origin.kind === 'builtin' ? 'builtin' : 'third_party',
    }));
    const body: Record<string, unknown> = { items, total: items.length };
    if (actor.hasRole(Role.PlatformOperator)) {
      body.refused = this.registry.refused.map((r) => ({ source: r.origin.spec, kind: r.origin.kind, id: r.id, reason: r.reason }));
    }
    return body;
  }

  @Put(':id/app-credentials')
  @HttpCode(200)
  @ApiOperation({ summary: '设置平台应用级凭据（如 OAuth client）/ Set the hub’s app-level credentials on a platform' })
  async setAppCredentials(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CredentialsDto) {
    if (!actor.hasRole(Role.PlatformOperator)) throw new CommonException(CommonError.Forbidden);
    const result = await this.connections.setAppCredentials(id, dto.credentials);
    await this.trail.record({ action: 'plugin.app_credentials', targetType: 'plugin', targetId: id, after: { fields: result.fields } });
    return result;
  }
}
