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

interface CachedTotal {
  n: number;
  until: number;
  generations: number[];
}

const totals = new Map<string, CachedTotal>();
const generations = new Map<string, number>();
const MAX_ENTRIES = 5000;

const generationsOf = (tables: readonly string[]) => tables.map((t) => generations.get(t) ?? 0);

/** The cached total of a list query over `tables`, if still valid. */
export function cachedTotal(tables: readonly string[], key: string): number | undefined {
  const hit = totals.get(key);
  if (!hit || hit.until <= Date.now()) return undefined;
  const now = generationsOf(tables);
  return hit.generations.every((g, i) => g === now[i]) ? hit.n : undefined;
}

/**
 * Keeps a total counted when the tables were at `seen` generations (read before the count ran):
 * a write that landed while the count was running leaves it uncached.
 */
export function keepTotal(tables: readonly string[], key: string, n: number, seen: number[]): void {
  const now = generationsOf(tables);
  if (!seen.every((g, i) => g === now[i])) return;
  if (totals.size >= MAX_ENTRIES) totals.clear();
  totals.set(key, { n, until: Date.now() + TOTAL_TTL_MS, generations: now });
}

export function totalGenerations(tables: readonly string[]): number[] {
  return generationsOf(tables);
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
