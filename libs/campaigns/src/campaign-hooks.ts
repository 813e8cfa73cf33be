import { Injectable, Logger } from '@nestjs/common';
import { Campaign } from './entities';

/** Told after a campaign and its assignments have committed. */
export type CampaignListener = (campaign: Campaign) => Promise<void>;

/**
 * The port through which contexts above campaigns (notifications) hear of new campaigns without
 * campaigns importing them. Failures are logged only: issuing never fails because of a listener.
 */
@Injectable()
export class CampaignHooks {
  private readonly logger = new Logger('CampaignHooks');
  private readonly listeners: CampaignListener[] = [];

  onIssued(listener: CampaignListener): void {
    this.listeners.push(listener);
  }

  async issued(campaign: Campaign): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(campaign);
      } catch (e) {
        this.logger.warn(`campaign listener failed for ${campaign.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
