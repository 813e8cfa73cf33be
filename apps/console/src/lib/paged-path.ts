// The request of one page of a server-paginated list. Free of React and of the API client, so the
// inline boot script (src/boot.ts) can start a list's first page before the libraries have loaded.
import { qs } from './query';

export type Params = Record<string, string | number | boolean | undefined | null>;

/** The request a list makes for one page. */
export function pagePath(path: string, filters: Params, page: number, pageSize: number, sort: string | undefined): string {
  return `${path}${qs({ ...filters, page, pageSize, sort })}`;
}
