import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CommonError, CommonException, ownValue } from '@tongfa/core';

/**
 * Restricts a query to rows whose materialized unit path lies under one of `paths`.
 * `paths` are unit paths like `/a/b/`; a path matches itself and every descendant.
 * An empty list matches nothing: scope is never "everything" by omission. Paths are built from
 * generated ids (hex and '-'), so they hold no LIKE wildcard; a prefix LIKE uses the path index.
 */
export function whereInScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  column: string,
  paths: readonly string[],
): SelectQueryBuilder<T> {
  if (paths.length === 0) return qb.andWhere('1 = 0');
  return qb.andWhere(
    new Brackets((w) => {
      paths.forEach((p, i) => {
        const name = `scope_${qb.alias}_${i}`;
        w.orWhere(`${column} LIKE :${name}`, { [name]: `${p}%` });
      });
    }),
  );
}

/** True when `path` lies within one of `scopes`. */
export function pathInScope(path: string, scopes: readonly string[]): boolean {
  return scopes.some((s) => path.startsWith(s));
}

/**
 * A `LIKE` pattern matching `text` anywhere, with its own wildcards taken literally. Use it as
 * `col LIKE :p ${LIKE_ESCAPE}`: '!' is the escape character because a backslash means different
 * things in MySQL and SQLite string literals.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export const LIKE_ESCAPE = "ESCAPE '!'";

/**
 * One page and the total of a single-table list query. The total is a plain COUNT(*) over the
 * same conditions (TypeORM's getManyAndCount counts DISTINCT ids, which costs a province-wide
 * scan a second time); LIMIT/OFFSET go straight into the SQL since there are no joins.
 */
export async function fetchPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  skip: number,
  take: number,
  opts: { cacheTotalFor?: string } = {},
): Promise<[T[], number]> {
  const count = qb.clone().select('COUNT(*)', 'n').orderBy();
  const items = await qb.offset(skip).limit(take).getMany();
  const [sql, params] = count.getQueryAndParameters();
  const key = opts.cacheTotalFor ? `${opts.cacheTotalFor}\u0000${sql}\u0000${JSON.stringify(params)}` : null;
  const cached = key ? totals.get(key) : undefined;
  if (cached && cached.until > Date.now() && cached.generation === generations.get(opts.cacheTotalFor!)) return [items, cached.n];
  const raw = await count.getRawOne<{ n: string | number }>();
  const n = Number(raw?.n ?? 0);
  if (key) {
    if (totals.size > 5000) totals.clear();
    totals.set(key, { n, until: Date.now() + TOTAL_TTL_MS, generation: generations.get(opts.cacheTotalFor!) ?? 0 });
  }
  return [items, n];
}

/**
 * Totals of the big scoped lists (users, units) are kept for a few seconds per query: a console
 * paging through a province's 50,000 users should not count them all on every page. Any write to
 * the table in this process moves its generation and drops them at once; other processes' writes
 * show within TOTAL_TTL_MS.
 */
const TOTAL_TTL_MS = 5000;
const totals = new Map<string, { n: number; until: number; generation: number }>();
const generations = new Map<string, number>();

export function invalidateTotals(table: string): void {
  generations.set(table, (generations.get(table) ?? 0) + 1);
}

/**
 * Orders a list by the caller's `sort` (`field` or `-field`) when the list allows that field,
 * else by its default; the id breaks ties so pages never overlap or skip rows.
 */
export function orderList<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  sort: string | undefined,
  allowed: Record<string, string>,
  fallback: [column: string, dir: 'ASC' | 'DESC'][],
  tiebreak: string,
): SelectQueryBuilder<T> {
  if (sort) {
    const desc = sort.startsWith('-');
    const column = ownValue(allowed, desc ? sort.slice(1) : sort);
    if (!column) {
      const fields = Object.keys(allowed).join(', ');
      throw new CommonException(CommonError.ValidationFailed, { fields: 'sort' }, [
        { field: 'sort', message: `可排序字段 / sortable fields: ${fields}` },
      ]);
    }
    return qb.orderBy(column, desc ? 'DESC' : 'ASC').addOrderBy(tiebreak, desc ? 'DESC' : 'ASC');
  }
  fallback.forEach(([c, d], i) => (i === 0 ? qb.orderBy(c, d) : qb.addOrderBy(c, d)));
  return qb.addOrderBy(tiebreak, fallback[0]?.[1] ?? 'ASC');
}
