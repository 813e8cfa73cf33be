import { EventSubscriber } from 'typeorm';
import type {
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  RemoveEvent,
  SoftRemoveEvent,
  TransactionCommitEvent,
  UpdateEvent,
} from 'typeorm';

/**
 * Totals of the scoped lists, kept per query for TOTAL_TTL_MS so a console paging through a
 * province's 50,000 users (or 200,000 audit entries) does not count the whole subtree on every
 * page. The contract:
 * - a write in this process to a table a total depends on drops that total at once (the
 *   ListTotalsSubscriber below sees every insert, update and delete made through TypeORM, and
 *   drops them again when the writing transaction commits, so a count taken between the write
 *   and its commit is not kept);
 * - a write by another process (a second hub, a worker) shows in the total within TOTAL_TTL_MS;
 *   the items of the page are always read fresh.
 */
export const TOTAL_TTL_MS = 5000;

/**
 * A kept total older than this is counted again in the background by the next request, which
 * still answers the kept one: under steady load a total never expires, so no request waits for a
 * province-wide count (and sixteen concurrent requests do not all count at once when it would).
 * The kept total stays within TOTAL_TTL_MS either way (a second is left for the count to finish
 * before it would expire).
 */
export const TOTAL_REFRESH_MS = 4000;

interface CachedTotal {
  /** A count, or a few counts together (the matrix grid's totals). */
  n: unknown;
  at: number;
  until: number;
  generations: number[];
}

const totals = new Map<string, CachedTotal>();
const generations = new Map<string, number>();
/** Counts running now, by key: requests that miss together share one count (see listTotal). */
const counting = new Map<string, { generations: number[]; n: Promise<unknown> }>();
const MAX_ENTRIES = 5000;

const generationsOf = (tables: readonly string[]) => tables.map((t) => generations.get(t) ?? 0);
const sameGenerations = (a: readonly number[], b: readonly number[]) => a.every((g, i) => g === b[i]);

function kept(tables: readonly string[], key: string): CachedTotal | undefined {
  const hit = totals.get(key);
  if (!hit || hit.until <= Date.now()) return undefined;
  return sameGenerations(hit.generations, generationsOf(tables)) ? hit : undefined;
}

/** The cached total of a list query over `tables`, if still valid. */
export function cachedTotal(tables: readonly string[], key: string): number | undefined {
  return kept(tables, key)?.n as number | undefined;
}

/**
 * Keeps a total counted when the tables were at `seen` generations (read before the count ran):
 * a write that landed while the count was running leaves it uncached.
 */
export function keepTotal(tables: readonly string[], key: string, n: unknown, seen: number[]): void {
  const now = generationsOf(tables);
  if (!sameGenerations(seen, now)) return;
  if (totals.size >= MAX_ENTRIES) totals.clear();
  const at = Date.now();
  totals.set(key, { n, at, until: at + TOTAL_TTL_MS, generations: now });
}

export function totalGenerations(tables: readonly string[]): number[] {
  return generationsOf(tables);
}

/**
 * The total of the list query `key` over `tables`: the kept one while valid, else `count()`.
 * A request that misses joins a count of the same key already running, but only one started at
 * the generations it sees now: a count begun before a write in this process is never the answer
 * to a request made after that write. A kept total older than TOTAL_REFRESH_MS is answered and
 * counted again in the background (one count per key), so a busy list keeps a fresh total
 * without any request waiting for it.
 */
export async function listTotal<T = number>(tables: readonly string[], key: string, count: () => Promise<T>): Promise<T> {
  const hit = kept(tables, key);
  if (hit) {
    if (Date.now() - hit.at >= TOTAL_REFRESH_MS && !counting.has(key)) {
      // The kept answer stands meanwhile; a failed refresh is tried again by a later request.
      countOnce(tables, key, count).catch(() => undefined);
    }
    return hit.n as T;
  }
  return countOnce(tables, key, count);
}

function countOnce<T>(tables: readonly string[], key: string, count: () => Promise<T>): Promise<T> {
  const seen = generationsOf(tables);
  const running = counting.get(key);
  if (running && sameGenerations(running.generations, seen)) return running.n as Promise<T>;
  const n = count().then((total) => {
    keepTotal(tables, key, total, seen);
    return total;
  });
  const entry = { generations: seen, n };
  counting.set(key, entry);
  const done = () => {
    if (counting.get(key) === entry) counting.delete(key);
  };
  n.then(done, done);
  return n;
}

/** Drops every kept total that depends on `table` (a write to it in this process). */
export function invalidateTotals(table: string): void {
  generations.set(table, (generations.get(table) ?? 0) + 1);
}

const TOUCHED = Symbol('tongfa.totals.touched');
type RunnerData = { [TOUCHED]?: Set<string> };

/**
 * A write to `table` made on `runner` outside TypeORM's listeners (raw SQL): drops its totals now
 * and again when the runner's transaction commits.
 */
export function noteTableWrite(table: string, runner: QueryRunner | undefined): void {
  invalidateTotals(table);
  if (!runner?.isTransactionActive) return;
  const data = (runner.data ??= {}) as RunnerData;
  (data[TOUCHED] ??= new Set()).add(table);
}

/**
 * Moves the generation of every table written through TypeORM, at the write and at its commit.
 * TypeORM loads a class named in `subscribers` only if it carries @EventSubscriber().
 */
@EventSubscriber()
export class ListTotalsSubscriber implements EntitySubscriberInterface {
  afterInsert(event: InsertEvent<unknown>): void {
    noteTableWrite(event.metadata.tableName, event.queryRunner);
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    noteTableWrite(event.metadata.tableName, event.queryRunner);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    noteTableWrite(event.metadata.tableName, event.queryRunner);
  }

  afterSoftRemove(event: SoftRemoveEvent<unknown>): void {
    noteTableWrite(event.metadata.tableName, event.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as RunnerData | undefined;
    const touched = data?.[TOUCHED];
    if (!touched) return;
    for (const t of touched) invalidateTotals(t);
    touched.clear();
  }
}
