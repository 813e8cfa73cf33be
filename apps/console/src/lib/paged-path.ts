// The request of one page of a server-paginated list. Kept free of React so the boot script
// (src/boot.ts) can start a list's first page before the libraries have loaded.
import { prefetch, qs } from '../api/client';

export type Params = Record<string, string | number | boolean | undefined | null>;

/** The request a list makes for one page. */
export function pagePath(path: string, filters: Params, page: number, pageSize: number, sort: string | undefined): string {
  return `${path}${qs({ ...filters, page, pageSize, sort })}`;
}

/** Starts the request of a list's first page before it renders (usePaged with the same arguments takes it). */
export function prefetchPaged(path: string, filters: Params = {}, pageSize = 10): void {
  prefetch(pagePath(path, filters, 1, pageSize, undefined));
}
