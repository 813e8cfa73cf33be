import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BotChannelsService, ChannelView } from '@tongfa/notifications';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { ChannelDto, CreateChannelDto, UpdateChannelDto } from './notification-channels.dto';

/** A unit's 政务微信 / 钉钉 bots, managed by a unit admin over the unit. Secrets are write-only. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationChannelsController {
  constructor(
    private readonly channels: BotChannelsService,
    private readonly trail: AuditTrail,
  ) {}

  private audit(action: string, c: ChannelView, unitPath: string, after: Record<string, unknown>) {
    return this.trail.record({ action, targetType: 'notification_channel', targetId: c.id, unitId: c.unitId, unitPath, after });
  }

  @Get('units/:id/notification-channels')
  @ApiOperation({ summary: '单位的通知机器人（政务微信 / 钉钉）/ The unit’s notification bots' })
  @ApiOkResponse({ type: [ChannelDto] })
  list(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.channels.list(actor, id);
  }

  @Post('units/:id/notification-channels')
  @ApiOperation({ summary: '添加通知机器人 / Add a bot (unit admin)' })
  @ApiOkResponse({ type: ChannelDto })
  async create(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CreateChannelDto) {
    const c = await this.channels.create(actor, id, dto);
    await this.audit('notification.channel.create', c, await this.channels.unitPathOf(c.id), {
      provider: c.provider,
      name: c.name,
      kinds: c.kinds,
      signed: c.signed,
      secretHint: c.secretHint,
    });
    return c;
  }

  @Patch('notification-channels/:id')
  @ApiOperation({ summary: '修改通知机器人（密钥留空则不变）/ Change a bot; omit the secret to keep it' })
  @ApiOkResponse({ type: ChannelDto })
  async update(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateChannelDto) {
    const c = await this.channels.update(actor, id, dto);
    await this.audit('notification.channel.update', c, await this.channels.unitPathOf(c.id), {
      name: c.name,
      kinds: c.kinds,
      enabled: c.enabled,
      secretChanged: !!(dto.key || dto.accessToken),
      secretHint: c.secretHint,
    });
    return c;
  }

  @Delete('notification-channels/:id')
  @HttpCode(200)
  @ApiOperation({ summary: '删除通知机器人 / Remove a bot' })
  @ApiOkResponse({ type: ChannelDto })
  async remove(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const unitPath = await this.channels.unitPathOf(id).catch(() => '');
    const c = await this.channels.remove(actor, id);
    await this.audit('notification.channel.delete', c, unitPath, { provider: c.provider, name: c.name });
    return c;
  }
}
