import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { pagePath, type Params } from './paged-path';

/** What antd's Table reports when a sortable column header is clicked. */
interface SorterInfo {
  field?: unknown;
  columnKey?: unknown;
  order?: 'ascend' | 'descend' | null;
}

/**
 * A server-paginated list: page, pageSize, sort and filters go to the API, never sorted or
 * filtered here. Give the Table `onChange={list.onTableChange}` and columns `sorter: true`.
 */
export function usePaged<T>(path: string | null, filters: Params = {}, initialPageSize = 10) {
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<string | undefined>(undefined);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const [data, setData] = useState<Page<T>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(filters);

  // Responses can arrive out of order (a reload after a change overtakes the load before it): only
  // the latest request may set the list, or a slow older answer would show the state before the change.
  const latest = useRef(0);
  const load = useCallback(async () => {
    if (!path) return;
    const seq = ++latest.current;
    setLoading(true);
    try {
      const next = await api<Page<T>>(pagePath(path, JSON.parse(key) as Params, page, pageSize, sort));
      if (seq !== latest.current) return;
      setData(next);
      setError(null);
    } catch (e) {
      if (seq !== latest.current) return;
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (seq === latest.current) setLoading(false);
    }
  }, [path, key, page, pageSize, sort]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => setPage(1), [key]);

  return {
    ...data,
    loading,
    error,
    reload: load,
    sort,
    onTableChange: (_p: unknown, _f: unknown, sorter: SorterInfo | SorterInfo[], extra?: { action?: string }) => {
      // Paging is handled by `pagination.onChange`; only a header click changes the sort.
      if (extra?.action && extra.action !== 'sort') return;
      const one = Array.isArray(sorter) ? sorter[0] : sorter;
      const field = String(one?.columnKey ?? one?.field ?? '');
      const next = one?.order && field ? `${one.order === 'descend' ? '-' : ''}${field}` : undefined;
      if (next === sort) return;
      setSort(next);
      setPage(1);
    },
    pagination: {
      current: page,
      pageSize,
      total: data.total,
      showSizeChanger: true,
      onChange: (p: number, s: number) => {
        setPage(p);
        setPageSize(s);
      },
    },
  };
}
