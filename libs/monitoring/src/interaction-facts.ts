import { Injectable } from '@nestjs/common';

/**
 * Effective interaction of an account (replies to the public's messages and comments) over a window,
 * or `unknown` while no context can say. The inbox (#14) will provide the real adapter; monitoring
 * depends on this port only, so the dependency points from the inbox to here.
 */
export type InteractionFact =
  { known: false } | { known: true; windowDays: number; received: number; answered: number; unansweredOverdue: number };

export abstract class InteractionFacts {
  abstract forAccounts(accountIds: string[], windowDays: number): Promise<Map<string, InteractionFact>>;
}

/** Until the inbox exists nothing measures interaction: every account is `unknown`, never `ok`. */
@Injectable()
export class UnknownInteractionFacts extends InteractionFacts {
  forAccounts(accountIds: string[]): Promise<Map<string, InteractionFact>> {
    return Promise.resolve(new Map(accountIds.map((id) => [id, { known: false } as const])));
  }
}
