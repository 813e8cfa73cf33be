import { DataSource } from 'typeorm';
import { PublicationAttempt } from './entities';

interface Pending {
  rows: Map<string, PublicationAttempt>;
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

/**
 * The attempt rows of a worker process, written by group commit: the rows started or finished
 * while a write is in flight (a fan-out's targets start and finish dozens at a time) go to the
 * database together in the next one — one multi-row upsert keyed by id, whatever mix of new rows
 * and finished ones it holds. Each caller's promise settles once the statement holding its row
 * has committed, so a row written before a platform call is stored before the call is made, as
 * with one INSERT per row.
 */
export class AttemptLog {
  private pending: Pending | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly ds: DataSource) {}

  /** Stores the row (new, or the same id again with its outcome); resolves once it is committed. */
  write(attempt: PublicationAttempt): Promise<void> {
    const pending = (this.pending ??= { rows: new Map<string, PublicationAttempt>(), waiters: [] } as Pending);
    // A row started and finished before the flush goes once, finished.
    pending.rows.set(attempt.id, { ...attempt });
    const done = new Promise<void>((resolve, reject) => pending.waiters.push({ resolve, reject }));
    if (!this.inFlight) this.inFlight = this.drainSoon();
    return done;
  }

  /** Writes what is pending after the current turn of the event loop, then whatever came meanwhile. */
  private async drainSoon(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending) {
      const batch = this.pending;
      this.pending = null;
      try {
        await this.ds
          .createQueryBuilder()
          .insert()
          .into(PublicationAttempt)
          .values([...batch.rows.values()])
          .orUpdate(['finishedAt', 'outcome', 'error'], ['id'])
          .updateEntity(false)
          .execute();
        for (const w of batch.waiters) w.resolve();
      } catch (e) {
        for (const w of batch.waiters) w.reject(e);
      }
    }
    this.inFlight = null;
  }
}
