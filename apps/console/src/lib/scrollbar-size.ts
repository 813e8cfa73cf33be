// Stands in for @rc-component/util's getScrollBarSize module in the console build (see
// vite.config.mts). The library measures a scrollbar each time a table mounts or a dialog locks
// the page's scroll: it inserts a <style> element, appends a probe, reads its size and removes
// both — two full style recalculations and a forced layout of the whole page per table, which on
// the workbench (three tables, antd's whole stylesheet) was the largest single cost of the first
// render. The measured size depends only on the target's scrollbar styles and the zoom, so one
// measurement per distinct style answers every later table with the same figures.
import getScrollBarSize, { getTargetScrollBarSize as measureTarget } from '@rc-component/util/es/getScrollBarSize';

type Size = { width: number; height: number };
const measured = new Map<string, Size>();

export default getScrollBarSize;

export function getTargetScrollBarSize(target: HTMLElement): Size {
  if (typeof document === 'undefined' || !(target instanceof Element)) return measureTarget(target);
  const own = getComputedStyle(target);
  const webkit = getComputedStyle(target, '::-webkit-scrollbar');
  const key = [own.scrollbarWidth, own.scrollbarColor, webkit.width, webkit.height, window.devicePixelRatio].join('|');
  let size = measured.get(key);
  if (!size) {
    size = measureTarget(target);
    measured.set(key, size);
  }
  return { ...size };
}
