import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { usePolling } from './usePolling';

/**
 * How many threads assigned to me still wait for an answer: one page-size-1 list query (the hub
 * counts), asked when the route changes and every two minutes while the tab is visible.
 */
export function useInboxWaiting(enabled: boolean, route: string): number {
  const [count, setCount] = useState(0);
  const load = useCallback(async () => {
    if (!enabled) return;
    try {
      setCount((await api<Page<unknown>>('/inbox/threads?assignee=me&state=assigned&pageSize=1')).total);
    } catch {
      // The badge keeps its last count; the next ask tries again.
    }
  }, [enabled]);
  usePolling(load, 120_000, enabled);
  // Again after a route change (a thread answered elsewhere); the first render's ask is the poll's.
  const seen = useRef(route);
  useEffect(() => {
    if (seen.current === route) return;
    seen.current = route;
    void load();
  }, [load, route]);
  return count;
}
