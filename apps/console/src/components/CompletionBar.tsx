import { Progress } from 'antd';
import type { AssignmentCounts } from '../api/types';
import { completion } from '../lib/campaigns';
import { useT } from '../lib/i18n';

/** Done of due as a bar, with the figures beside it so the bar is not the only carrier of the number. */
export function CompletionBar({ counts, label }: { counts: AssignmentCounts; label?: string }) {
  const t = useT();
  const c = completion(counts);
  const text = t(`${c.done}/${c.due} 已完成`, `${c.done} of ${c.due} done`);
  return (
    <div style={{ minWidth: 120 }} data-testid="completion" data-done={c.done} data-due={c.due}>
      <Progress
        percent={c.percent}
        size="small"
        status={counts.overdue > 0 ? 'exception' : c.percent === 100 ? 'success' : 'normal'}
        aria-label={label ? `${label}：${text}` : text}
        format={(p) => `${p}%`}
      />
      <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.62)' }}>{text}</div>
    </div>
  );
}
