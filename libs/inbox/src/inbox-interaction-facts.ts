import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InteractionFact, InteractionFacts } from '@tongfa/monitoring';
import { InboxThread } from './entities';

const DAY = 86_400_000;
/** Accounts per query: the roll-up hands batches of a few hundred; this keeps each IN list short. */
const CHUNK = 500;

/** A datetime from a raw (non-entity) read: MySQL gives a Date, SQLite the stored UTC text without a zone. */
function rawDate(v: string | Date): Date {
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}

/**
 * The inbox's answer to monitoring's InteractionFacts port (不互动无服务), per account over the window
 * ending `now`, counted from threads:
 *
 * - received: conversations or comment trees in which a citizen wrote within the window (a thread with
 *   a first-response deadline: the account's own comments open none) and which were due for an answer
 *   by now or got one. A message that arrived a minute ago is not yet a failure to answer, and a thread a
 *   person closed without a reply (spam, a thank-you; audited) asks for none.
 * - answered: of those, the ones with a delivered reply (through Tongfa or in the platform's own app).
 * - unansweredOverdue: threads still waiting (new, assigned) past their first-response deadline,
 *   whatever their age: a question left for months is the clearest case, not one to forget.
 *
 * Every account asked about is `known` (the inbox sees all accounts; nothing received is a fact).
 */
@Injectable()
export class InboxInteractionFacts extends InteractionFacts {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async forAccounts(accountIds: string[], windowDays: number, now: Date): Promise<Map<string, InteractionFact>> {
    const out = new Map<string, InteractionFact>();
    for (const id of accountIds)
      out.set(id, { known: true, windowDays, received: 0, answered: 0, unansweredOverdue: 0, earliestMissedDeadline: null });
    const since = new Date(now.getTime() - windowDays * DAY);
    for (let i = 0; i < accountIds.length; i += CHUNK) {
      const ids = accountIds.slice(i, i + CHUNK);
      const threads = () => this.ds.getRepository(InboxThread).createQueryBuilder('t').where('t.accountId IN (:...ids)', { ids });
      const [handled, waiting] = await Promise.all([
        threads()
          .select('t.accountId', 'accountId')
          .addSelect('COUNT(*)', 'received')
          .addSelect('SUM(CASE WHEN t.firstRespondedAt IS NOT NULL THEN 1 ELSE 0 END)', 'answered')
          .andWhere('t.firstResponseDueAt IS NOT NULL AND t.lastIncomingAt >= :since AND t.lastIncomingAt <= :now', { since, now })
          .andWhere("(t.firstRespondedAt IS NOT NULL OR (t.firstResponseDueAt <= :now AND t.state <> 'closed'))", { now })
          .groupBy('t.accountId')
          .getRawMany<{ accountId: string; received: string | number; answered: string | number | null }>(),
        threads()
          .select('t.accountId', 'accountId')
          .addSelect('COUNT(*)', 'overdue')
          .addSelect('MIN(t.firstResponseDueAt)', 'oldest')
          .andWhere("t.state IN ('new', 'assigned') AND t.firstResponseDueAt < :now", { now })
          .groupBy('t.accountId')
          .getRawMany<{ accountId: string; overdue: string | number; oldest: string | Date }>(),
      ]);
      for (const r of handled) {
        const f = out.get(r.accountId);
        if (f?.known) Object.assign(f, { received: Number(r.received), answered: Number(r.answered ?? 0) });
      }
      for (const r of waiting) {
        const f = out.get(r.accountId);
        if (f?.known) Object.assign(f, { unansweredOverdue: Number(r.overdue), earliestMissedDeadline: rawDate(r.oldest).toISOString() });
      }
    }
    return out;
  }
}
