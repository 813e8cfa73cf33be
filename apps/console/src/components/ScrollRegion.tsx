import { useEffect, type ReactNode } from 'react';

/**
 * A wide table on a phone scrolls inside this box, not the page; the box takes keyboard focus and
 * has a name, so people who do not use a pointer can scroll it too (axe: scrollable-region-focusable).
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }}>
      {/* Below this width the columns would squeeze words to a character per line: scroll instead. */}
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}

/**
 * Ant Design tables given `scroll.x` scroll inside `.ant-table-content` (or `.ant-table-body`), which
 * a keyboard cannot reach (axe: scrollable-region-focusable). While a page is shown, every such box
 * that really overflows is made a named, focusable region, so arrow keys scroll it too.
 */
export function useFocusableTableScroll(label: string): void {
  useEffect(() => {
    let frame = 0;
    const mark = () => {
      frame = 0;
      for (const el of document.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body')) {
        if (el.scrollWidth <= el.clientWidth || el.hasAttribute('tabindex')) continue;
        el.tabIndex = 0;
        el.setAttribute('role', 'region');
        el.setAttribute('aria-label', label);
      }
    };
    const soon = () => {
      if (!frame) frame = requestAnimationFrame(mark);
    };
    const observer = new MutationObserver(soon);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', soon);
    soon();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', soon);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [label]);
}
