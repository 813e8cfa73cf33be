import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiKeysService, ApiKeyView } from '@tongfa/identity';
import { Page } from '@tongfa/core';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { PageQueryDto } from '../common/dto';
import { ApiKeyListDto, ApiKeyViewDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto';

/** What the audit log keeps of a key: never the token, which only the creation response carries. */
const summary = (k: ApiKeyView) => ({ name: k.name, ownerId: k.ownerId, grants: k.grants, expiresAt: k.expiresAt, revokedAt: k.revokedAt });

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: 'API 密钥列表（仅限管辖范围，不含密钥本身）/ API keys in the caller’s subtree, without secrets' })
  @ApiOkResponse({ type: ApiKeyListDto })
  list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<Page<ApiKeyView>> {
    return this.keys.list(actor, q);
  }

  @Post()
  @ApiOperation({ summary: '创建 API 密钥（密钥仅此一次返回）/ Create an API key; the token is shown once' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateApiKeyDto): Promise<ApiKeyView & { token: string }> {
    const { key, token } = await this.keys.create(actor, dto);
    await this.trail.record({ action: 'apikey.create', targetType: 'api_key', targetId: key.id, unitId: key.unitId, after: summary(key) });
    return { ...key, token };
  }

  @Delete(':id')
  @ApiOperation({ summary: '注销 API 密钥 / Revoke an API key; it is refused from then on' })
  @ApiOkResponse({ type: ApiKeyViewDto })
  async revoke(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<ApiKeyView> {
    const key = await this.keys.revoke(actor, id);
    await this.trail.record({ action: 'apikey.revoke', targetType: 'api_key', targetId: key.id, unitId: key.unitId, after: summary(key) });
    return key;
  }
}
