import { Injectable } from '@nestjs/common';

/**
 * Effective interaction of an account (replies to the public's messages and comments) over a window
 * ending `now`, or `unknown` while no context can say. The inbox provides the real adapter
 * (InboxInteractionFacts, bound with `MonitoringModule.forRoot`); monitoring depends on this port only,
 * so the dependency points from the inbox to here.
 */
export type InteractionFact =
  | { known: false }
  | {
      known: true;
      windowDays: number;
      /** Citizens' conversations of the window that were due for an answer by now (or got one). */
      received: number;
      /** Of those, the ones the account answered. */
      answered: number;
      /** Conversations still waiting whose first-response deadline has passed (any age). */
      unansweredOverdue: number;
      /** The earliest first-response deadline still missed (ISO), for the evidence; null without any. */
      earliestMissedDeadline?: string | null;
    };

export abstract class InteractionFacts {
  abstract forAccounts(accountIds: string[], windowDays: number, now: Date): Promise<Map<string, InteractionFact>>;
}

/** Where nothing measures interaction (no inbox bound): every account is `unknown`, never `ok`. */
@Injectable()
export class UnknownInteractionFacts extends InteractionFacts {
  forAccounts(accountIds: string[]): Promise<Map<string, InteractionFact>> {
    return Promise.resolve(new Map(accountIds.map((id) => [id, { known: false } as const])));
  }
}
