import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CommonError, CommonException, ownValue } from '@tongfa/core';
import { cachedTotal, keepTotal, totalGenerations } from './list-totals';

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
 * One page and the total of a list query. The total is a plain COUNT(*) over the same conditions
 * (TypeORM's getManyAndCount counts DISTINCT ids, which costs a province-wide scan a second time),
 * kept as list-totals.ts describes when `totalOf` names the tables it depends on (the list's own
 * and any a filter or the scope joins); LIMIT/OFFSET go straight into the SQL since there are no
 * joins that multiply rows. The page and the count run side by side on two connections.
 * `countOnly` skips the page (a list that reads its page another way).
 */
export async function fetchPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  skip: number,
  take: number,
  opts: { totalOf?: readonly string[]; countOnly?: boolean } = {},
): Promise<[T[], number]> {
  const count = qb.clone().select('COUNT(*)', 'n').orderBy();
  const tables = opts.totalOf ?? [];
  let key: string | null = null;
  if (tables.length) {
    const [sql, params] = count.getQueryAndParameters();
    key = `${tables.join(',')}\u0000${sql}\u0000${JSON.stringify(params)}`;
    const cached = cachedTotal(tables, key);
    if (cached !== undefined) return [opts.countOnly ? [] : await qb.offset(skip).limit(take).getMany(), cached];
  }
  const seen = totalGenerations(tables);
  const [items, raw] = await Promise.all([
    opts.countOnly ? [] : qb.offset(skip).limit(take).getMany(),
    count.getRawOne<{ n: string | number }>(),
  ]);
  const n = Number(raw?.n ?? 0);
  if (key) keepTotal(tables, key, n, seen);
  return [items, n];
}

/**
 * The order of a list: the caller's `sort` (`field` or `-field`) when the list allows that field,
 * else its default; the id breaks ties so pages never overlap or skip rows. A field the list does
 * not allow is a 400 naming `sort`.
 */
export function listOrder(
  sort: string | undefined,
  allowed: Record<string, string>,
  fallback: [column: string, dir: 'ASC' | 'DESC'][],
  tiebreak: string,
): [column: string, dir: 'ASC' | 'DESC'][] {
  if (sort) {
    const desc = sort.startsWith('-');
    const column = ownValue(allowed, desc ? sort.slice(1) : sort);
    if (!column) {
      const fields = Object.keys(allowed).join(', ');
      throw new CommonException(CommonError.ValidationFailed, { fields: 'sort' }, [
        { field: 'sort', message: `可排序字段 / sortable fields: ${fields}` },
      ]);
    }
    const dir = desc ? 'DESC' : 'ASC';
    return [
      [column, dir],
      [tiebreak, dir],
    ];
  }
  return [...fallback, [tiebreak, fallback[0]?.[1] ?? 'ASC']];
}

/** Orders a list as `listOrder` says. */
export function orderList<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  sort: string | undefined,
  allowed: Record<string, string>,
  fallback: [column: string, dir: 'ASC' | 'DESC'][],
  tiebreak: string,
): SelectQueryBuilder<T> {
  listOrder(sort, allowed, fallback, tiebreak).forEach(([c, d], i) => (i === 0 ? qb.orderBy(c, d) : qb.addOrderBy(c, d)));
  return qb;
}
