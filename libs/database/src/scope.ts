import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CommonError, CommonException, ownValue } from '@tongfa/core';
import { listTotal } from './list-totals';

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

/** How a list pages by key: its order (listOrder's answer) and the caller's cursor, if any. */
export interface Keyset {
  order: [column: string, dir: 'ASC' | 'DESC'][];
  after?: string;
  /** The caller chose `sort`: cursors follow only the default order (whose columns are never null). */
  sorted?: boolean;
}

const badCursor = () =>
  new CommonException(CommonError.ValidationFailed, { fields: 'after' }, [
    { field: 'after', message: '分页游标无效，请从第一页重新开始 / invalid cursor: start again from the first page' },
  ]);

/** The columns of a keyset order, each once (the tiebreak may repeat the last column). */
function keyColumns(order: Keyset['order']): Keyset['order'] {
  return order.filter(([c], i) => order.findIndex(([d]) => d === c) === i);
}

function decodeCursor(after: string, n: number): (string | number)[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(values) || values.length !== n || !values.every((v) => typeof v === 'string' || typeof v === 'number'))
    throw badCursor();
  return values as (string | number)[];
}

function encodeCursor(row: ObjectLiteral, columns: Keyset['order']): string {
  const values = columns.map(([c]) => row[c.slice(c.indexOf('.') + 1)] as unknown);
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * One page and the total of a list query. The total is a plain COUNT(*) over the same conditions
 * (TypeORM's getManyAndCount counts DISTINCT ids, which costs a province-wide scan a second time),
 * kept as list-totals.ts describes when `totalOf` names the tables it depends on (the list's own
 * and any a filter or the scope joins); LIMIT/OFFSET go straight into the SQL since there are no
 * joins that multiply rows. The page and the count run side by side on two connections.
 * `countOnly` skips the page (a list that reads its page another way).
 *
 * With `keyset`, the page starts after the cursor's row (`WHERE (k1, k2, …) > cursor` in the
 * list's order, spelled out so both drivers use the order's index) instead of skipping rows, so
 * page 2,000 costs what page 1 does; the answer's third element is the cursor of the next page
 * (null after the last; undefined when the caller sorted, which cursors do not follow).
 */
export async function fetchPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  skip: number,
  take: number,
  opts: { totalOf?: readonly string[]; countOnly?: boolean; keyset?: Keyset } = {},
): Promise<[T[], number, (string | null)?]> {
  const count = qb.clone().select('COUNT(*)', 'n').orderBy();
  const keyset = opts.keyset;
  const columns = keyset ? keyColumns(keyset.order) : [];
  if (keyset?.after) {
    if (keyset.sorted) {
      throw new CommonException(CommonError.ValidationFailed, { fields: 'after' }, [
        { field: 'after', message: '分页游标只用于默认排序 / a cursor follows the default order only (drop sort)' },
      ]);
    }
    const values = decodeCursor(keyset.after, columns.length);
    qb.andWhere(
      new Brackets((w) =>
        columns.forEach(([c, d], i) =>
          w.orWhere(
            new Brackets((x) => {
              for (let j = 0; j < i; j++) x.andWhere(`${columns[j]![0]} = :ks_${j}`, { [`ks_${j}`]: values[j] });
              x.andWhere(`${c} ${d === 'ASC' ? '>' : '<'} :ks_${i}`, { [`ks_${i}`]: values[i] });
            }),
          ),
        ),
      ),
    );
    skip = 0;
  }
  const page = async (): Promise<T[]> => (opts.countOnly ? [] : qb.offset(skip).limit(take).getMany());
  const next = (items: T[]) =>
    !keyset || keyset.sorted ? undefined : items.length === take ? encodeCursor(items[take - 1]!, columns) : null;
  const tables = opts.totalOf ?? [];
  const counted = async () => Number((await count.getRawOne<{ n: string | number }>())?.n ?? 0);
  let total: Promise<number>;
  if (tables.length) {
    const [sql, params] = count.getQueryAndParameters();
    total = listTotal(tables, `${tables.join(',')}\u0000${sql}\u0000${JSON.stringify(params)}`, counted);
  } else total = counted();
  const [items, n] = await Promise.all([page(), total]);
  return [items, n, next(items)];
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
  return applyOrder(qb, listOrder(sort, allowed, fallback, tiebreak));
}

/** ORDER BY the columns of a `listOrder` answer. */
export function applyOrder<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, order: [string, 'ASC' | 'DESC'][]): SelectQueryBuilder<T> {
  order.forEach(([c, d], i) => (i === 0 ? qb.orderBy(c, d) : qb.addOrderBy(c, d)));
  return qb;
}
