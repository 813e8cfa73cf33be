import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, List, Space, Tag } from 'antd';
import { DARK } from '../lib/notifications';

/**
 * A workbench card holding a short list: heading, an optional count beside it, the load error, a
 * loading state until the data comes, the empty text, and each row's parts wrapped on a phone.
 */
export function ListCard<T>({
  title,
  testId,
  span = 12,
  load,
  items,
  count,
  empty,
  rowKey,
  row,
  more,
}: {
  title: string;
  testId: string;
  /** Columns of 24 the card takes on a wide screen (full width on a phone). */
  span?: number;
  /** The loader's state: loading until either is set. */
  load: { data: unknown; error: string | null };
  items: T[];
  /** Shown as a tag beside the heading (e.g. the total waiting), when known. */
  count?: number;
  empty: string;
  rowKey: (item: T) => string | number;
  row: (item: T) => ReactNode;
  /** A link to the whole list, in the card's corner (the card shows only its first rows). */
  more?: { to: string; label: string };
}) {
  return (
    <Col xs={24} xl={span}>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>}
        data-testid={testId}
        extra={
          count !== undefined || more ? (
            <Space size={8}>
              {count !== undefined && <Tag style={DARK}>{count}</Tag>}
              {more && <Link to={more.to}>{more.label}</Link>}
            </Space>
          ) : null
        }
      >
        {load.error && <Alert type="error" title={load.error} />}
        <List<T>
          size="small"
          loading={!load.data && !load.error}
          dataSource={items}
          rowKey={rowKey}
          locale={{ emptyText: empty }}
          renderItem={(item) => (
            <List.Item>
              <Space wrap size={4}>
                {row(item)}
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </Col>
  );
}
