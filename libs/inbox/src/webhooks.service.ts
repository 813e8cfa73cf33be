import { Injectable } from '@nestjs/common';
import { IngestService } from './ingest.service';
import { InboxPlatformPort, WebhookRequest, WebhookResponse } from './platform-port';

/**
 * A platform's push: the plugin verifies and parses it (no network, the platform waits 5 s), the
 * accepted messages are stored, and only then does the hub answer (WeChat retries a push it got no
 * answer to, three times; dedupe on the message id makes the retries harmless).
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly port: InboxPlatformPort,
    private readonly ingest: IngestService,
  ) {}

  async handle(
    platform: string,
    req: WebhookRequest,
  ): Promise<{ response: WebhookResponse; outcome: string; stored: number; duplicates: number }> {
    const verdict = await this.port.handleWebhook(platform, req);
    if (verdict.kind !== 'accepted') return { response: verdict.response, outcome: verdict.kind, stored: 0, duplicates: 0 };
    const r = await this.ingest.ingestMessages(platform, verdict.messages);
    return { response: verdict.response, outcome: 'accepted', stored: r.stored, duplicates: r.duplicates };
  }
}
