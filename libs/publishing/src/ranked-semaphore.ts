/**
 * A counting semaphore whose waiters go in rank order (lower first, arrival order within a rank).
 * The worker's platform calls pass through one: Bull hands a process as many jobs as all of a
 * queue's processors together allow, and a round job carries several targets, so the number of
 * targets in flight is bounded here, and the most urgent waiting target (an emergency release,
 * then the earliest round) gets the next free place.
 */
export class RankedSemaphore {
  private inUse = 0;
  private arrivals = 0;
  /** Waiters sorted by (rank, arrival). */
  private readonly waiting: { rank: number; seq: number; wake: () => void }[] = [];

  constructor(private readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be a positive integer, not ${permits}`);
  }

  /** Places taken now and targets waiting (for tests and metrics). */
  get stats(): { inUse: number; waiting: number } {
    return { inUse: this.inUse, waiting: this.waiting.length };
  }

  /** Runs `fn` holding one place, taken in rank order. */
  async run<T>(rank: number, fn: () => Promise<T>): Promise<T> {
    await this.acquire(rank);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(rank: number): Promise<void> {
    if (this.inUse < this.permits && this.waiting.length === 0) {
      this.inUse++;
      return Promise.resolve();
    }
    return new Promise<void>((wake) => {
      const entry = { rank, seq: this.arrivals++, wake };
      // Few waiters (the jobs a process holds × their round): a sorted insert is enough.
      let i = this.waiting.length;
      while (i > 0 && this.waiting[i - 1]!.rank > rank) i--;
      this.waiting.splice(i, 0, entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.wake();
    else this.inUse--;
  }
}
