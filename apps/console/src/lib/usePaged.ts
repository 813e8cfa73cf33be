import { useCallback, useEffect, useState } from 'react';
import { api, qs } from '../api/client';
import type { Page } from '../api/types';

type Params = Record<string, string | number | boolean | undefined | null>;

/** A server-paginated list: page, pageSize and filters go to the API, never filtered here. */
export function usePaged<T>(path: string | null, filters: Params = {}, initialPageSize = 10) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const [data, setData] = useState<Page<T>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(filters);

  const load = useCallback(async () => {
    if (!path) return;
    setLoading(true);
    try {
      setData(await api<Page<T>>(`${path}${qs({ ...JSON.parse(key), page, pageSize })}`));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [path, key, page, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => setPage(1), [key]);

  return {
    ...data,
    loading,
    error,
    reload: load,
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
