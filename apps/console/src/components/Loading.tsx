import { Spin } from 'antd';

export const Loading = () => (
  <div style={{ padding: 48, textAlign: 'center' }} role="status" aria-live="polite">
    <Spin />
  </div>
);
