import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Loading } from './Loading';

/**
 * A workbench card holding a short list: heading, an optional count beside it, the load error, a
 * loading state until the data comes, the empty text, and each row's parts wrapped on a phone.
 * Plain elements (components/lite.css), so the workbench draws before antd has loaded.
 */
export function ListCard<T>({
  title,
  testId,
  wide = false,
  load,
  items,
  count,
  empty,
  rowKey,
  row,
  rowProps,
  more,
  footer,
}: {
  title: string;
  testId: string;
  /** Across both columns of a wide screen (one column on a phone either way). */
  wide?: boolean;
  /** The loader's state: loading until either is set. */
  load: { data: unknown; error: string | null };
  items: T[];
  /** Shown as a tag beside the heading (e.g. the total waiting), when known. */
  count?: number;
  empty: string;
  rowKey: (item: T) => string | number;
  row: (item: T) => ReactNode;
  /** Extra attributes of a row's element (data-* for tests and styles). */
  rowProps?: (item: T) => Record<string, string>;
  /** A link to the whole list, in the card's corner (the card shows only its first rows). */
  more?: { to: string; label: string };
  /** Below the list (a pager). */
  footer?: ReactNode;
}) {
  return (
    <section className={wide ? 'tf-card tf-wide' : 'tf-card'} data-testid={testId} aria-busy={!load.data && !load.error}>
      <div className="tf-card-head">
        <h2>{title}</h2>
        {(count !== undefined || more) && (
          <div className="tf-card-extra">
            {count !== undefined && <span className="tf-tag">{count}</span>}
            {more && <Link to={more.to}>{more.label}</Link>}
          </div>
        )}
      </div>
      <div className="tf-card-body">
        {load.error && (
          <div className="tf-alert" role="alert">
            {load.error}
          </div>
        )}
        {!load.data && !load.error ? (
          <Loading />
        ) : items.length === 0 ? (
          <div className="tf-empty">{empty}</div>
        ) : (
          <ul className="tf-list">
            {items.map((item) => (
              <li className="tf-list-item" key={rowKey(item)} {...rowProps?.(item)}>
                {row(item)}
              </li>
            ))}
          </ul>
        )}
        {footer}
      </div>
    </section>
  );
}

/** A workbench card with free content: heading and body (components/lite.css). */
export function PlainCard({
  title,
  testId,
  wide = false,
  children,
}: {
  title: string;
  testId: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section className={wide ? 'tf-card tf-wide' : 'tf-card'} data-testid={testId}>
      <div className="tf-card-head">
        <h2>{title}</h2>
      </div>
      <div className="tf-card-body">{children}</div>
    </section>
  );
}

/** The load error of a card, announced. */
export const CardError = ({ error }: { error: string | null }) =>
  error ? (
    <div className="tf-alert" role="alert">
      {error}
    </div>
  ) : null;
