import { useEffect, useRef } from 'react';

/**
 * Runs `tick` now and every `ms` while the tab is visible (a hidden dashboard should not poll a
 * busy hub), and once more when the tab comes back. The latest `tick` is used without restarting.
 */
export function usePolling(tick: () => unknown, ms: number, enabled = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return;
    const run = () => {
      if (document.visibilityState === 'visible') void latest.current();
    };
    run();
    const timer = setInterval(run, ms);
    document.addEventListener('visibilitychange', run);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
    };
  }, [ms, enabled]);
}
