import type { ConstraintIssue } from './errors';
import type { TextLimit } from './manifest';
import { countWith, truncate } from './text';

/** The outcome of fitting one text field to its limit. */
export interface FittedText {
  text: string;
  /** Set when the text was shortened (a warning) or is out of limits and was not changed (a violation). */
  warning?: ConstraintIssue;
  violation?: ConstraintIssue;
}

/**
 * Fits a text field to its manifest limit with the platform's counter. With `truncate: true` an
 * over-long text is shortened (grapheme-safe, with an ellipsis) and a warning names `<field>.max`;
 * otherwise it is left as is with a violation. A text under `min` is always a violation.
 * Titles usually must not be truncated silently (the editor should rewrite them); bodies and summaries may.
 */
export function fitText(
  field: string,
  text: string,
  limit: TextLimit | undefined,
  opts: { truncate: boolean; ellipsis?: string },
): FittedText {
  if (!limit) return { text };
  const count = (s: string) => countWith(limit.counter, s, { urlLength: limit.urlLength });
  const n = count(text);
  if (limit.min !== undefined && n < limit.min) {
    return {
      text,
      violation: {
        constraint: `${field}.min`,
        message: `${field} 过短（${n} < ${limit.min}）/ ${field} too short (${n} < ${limit.min})`,
        limit: limit.min,
        actual: n,
      },
    };
  }
  if (n <= limit.max) return { text };
  if (!opts.truncate) {
    return {
      text,
      violation: {
        constraint: `${field}.max`,
        message: `${field} 超长（${n} > ${limit.max}，按 ${limit.counter} 计）/ ${field} too long (${n} > ${limit.max} ${limit.counter})`,
        limit: limit.max,
        actual: n,
      },
    };
  }
  const cut = truncate(text, limit.max, limit.counter, opts.ellipsis ?? '…', { urlLength: limit.urlLength });
  return {
    text: cut,
    warning: {
      constraint: `${field}.max`,
      message: `${field} 已截断至 ${limit.max}（原 ${n}）/ ${field} truncated to ${limit.max} (was ${n})`,
      limit: limit.max,
      actual: n,
    },
  };
}
