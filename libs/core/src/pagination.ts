/** The list envelope of the API contract: `{ items, total }`. */
export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageQuery {
  page: number;
  pageSize: number;
  /** `field` ascending or `-field` descending, among the fields a list allows. */
  sort?: string;
}

export function pageOffset(q: PageQuery): { skip: number; take: number } {
  return { skip: (q.page - 1) * q.pageSize, take: q.pageSize };
}
