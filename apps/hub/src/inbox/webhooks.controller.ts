import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { WebhookRequest, WebhooksService } from '@tongfa/inbox';
import { Public } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { currentRequest } from '../common/request-context';

const PLUGIN_ID = /^[a-z0-9-]{1,64}$/;

function toWebhookRequest(req: Request): WebhookRequest {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  return {
    method: req.method === 'GET' ? 'GET' : 'POST',
    query,
    headers,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  };
}

/**
 * Platform pushes (`GET` handshake, `POST` messages). Public: the platform signs, the plugin
 * verifies. The answer is the plugin's (WeChat expects "success"), written after the messages are
 * stored. Accepted pushes are data, not actions, and stay out of the audit log; refusals are kept.
 */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly trail: AuditTrail,
  ) {}

  @Get(':plugin')
  @Public()
  @ApiOperation({ summary: '平台推送地址验证（握手/挑战回显，由插件验签）/ The platform’s URL verification, answered by the plugin' })
  @ApiParam({ name: 'plugin', example: 'wechat' })
  @ApiOkResponse({ description: '插件给出的应答（如微信的 echostr）/ the plugin’s answer, e.g. WeChat’s echostr' })
  handshake(@Param('plugin') plugin: string, @Req() req: Request, @Res() res: Response) {
    return this.handle(plugin, req, res);
  }

  @Post(':plugin')
  @Public()
  @ApiOperation({
    summary: '平台推送私信（插件验签、去重、入库后应答）/ A platform’s message push: verified by the plugin, stored, then answered',
  })
  @ApiParam({ name: 'plugin', example: 'wechat' })
  @ApiOkResponse({ description: '插件给出的应答（微信为 success）；验签失败按插件给出的状态码拒收 / the plugin’s answer' })
  push(@Param('plugin') plugin: string, @Req() req: Request, @Res() res: Response) {
    return this.handle(plugin, req, res);
  }

  private async handle(plugin: string, req: Request, res: Response): Promise<void> {
    const rc = currentRequest();
    if (rc) rc.audited = true;
    if (!PLUGIN_ID.test(plugin)) {
      res.status(404).type('text/plain').send('unknown plugin');
      return;
    }
    const { response, outcome } = await this.webhooks.handle(plugin, toWebhookRequest(req));
    if (outcome === 'rejected') {
      await this.trail.record({
        actorId: null,
        actorName: plugin,
        action: 'inbox.webhook.rejected',
        targetType: 'plugin',
        targetId: plugin,
        unitId: null,
        after: { status: response.status },
      });
    }
    res
      .status(response.status)
      .type(response.contentType ?? 'text/plain')
      .send(response.body);
  }
}
