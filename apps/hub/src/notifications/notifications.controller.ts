import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationsService } from '@tongfa/notifications';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { NotificationDto, NotificationListQueryDto, NotificationPageDto, ReadAllDto, UnreadCountDto } from './notifications.dto';

/** The caller's own notifications; nobody reads or marks another user's. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: '我的通知（新的在前）/ My notifications, newest first' })
  @ApiOkResponse({ type: NotificationPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: NotificationListQueryDto) {
    return this.notifications.list(actor, q);
  }

  @Get('unread-count')
  @ApiOperation({ summary: '未读通知数（供铃铛轮询）/ Unread count, cheap enough to poll' })
  @ApiOkResponse({ type: UnreadCountDto })
  async unreadCount(@CurrentActor() actor: Actor) {
    return { unread: await this.notifications.unreadCount(actor) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部标为已读 / Mark all my notifications read' })
  @ApiOkResponse({ type: ReadAllDto })
  async readAll(@CurrentActor() actor: Actor) {
    return { marked: await this.notifications.markAllRead(actor) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: '标为已读 / Mark one notification read' })
  @ApiOkResponse({ type: NotificationDto })
  read(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.notifications.markRead(actor, id);
  }
}
