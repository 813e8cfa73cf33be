/**
 * The list envelope of the API contract: `{ items, total }`. Lists that page by key also answer
 * `next`: the cursor of the page after this one (`?after=<next>`), null on the last page.
 */
export interface Page<T> {
  items: T[];
  total: number;
  next?: string | null;
}

export interface PageQuery {
  page: number;
  pageSize: number;
  /** `field` ascending or `-field` descending, among the fields a list allows. */
  sort?: string;
  /** A `next` cursor from the page before: the page after it, at any depth, without an offset. */
  after?: string;
}

export function pageOffset(q: PageQuery): { skip: number; take: number } {
  // A cursor names where the page starts; `page` is then not an offset.
  return { skip: q.after ? 0 : (q.page - 1) * q.pageSize, take: q.pageSize };
}
