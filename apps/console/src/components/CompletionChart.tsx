import { useT } from '../lib/i18n';

const W = 480;
const H = 180;
const PAD = { left: 36, right: 12, top: 12, bottom: 28 };

/**
 * Cumulative completions per hour as a plain SVG line (no chart dependency). The figures are also
 * in the accessible name and in a visually hidden table, so the curve is not the only carrier.
 */
export function CompletionChart({ points, total }: { points: { at: string; done: number }[]; total: number }) {
  const t = useT();
  if (points.length === 0) return <div style={{ color: 'rgba(0,0,0,0.62)' }}>{t('还没有单位完成', 'No unit has finished yet')}</div>;
  const top = Math.max(total, ...points.map((p) => p.done), 1);
  const x = (i: number) => PAD.left + (points.length === 1 ? 0 : (i / (points.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const hour = (s: string) => new Date(s).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });
  const last = points[points.length - 1];
  const summary = t(`截至 ${hour(last.at)} 累计完成 ${last.done} / ${total}`, `${last.done} of ${total} done by ${hour(last.at)}`);
  const line = points.map((p, i) => `${x(i)},${y(p.done)}`).join(' ');
  return (
    <figure style={{ margin: 0 }} data-testid="completion-chart">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={summary} style={{ maxWidth: W, display: 'block' }}>
        <line x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} stroke="#8c8c8c" />
        <line x1={PAD.left} y1={y(top)} x2={W - PAD.right} y2={y(top)} stroke="#d9d9d9" strokeDasharray="4 4" />
        <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end" fontSize="11" fill="#595959">
          0
        </text>
        <text x={PAD.left - 6} y={y(top) + 4} textAnchor="end" fontSize="11" fill="#595959">
          {top}
        </text>
        <polyline points={line} fill="none" stroke="#0b57d0" strokeWidth={2} />
        {points.map((p, i) => (
          <circle key={p.at} cx={x(i)} cy={y(p.done)} r={3} fill="#0b57d0" />
        ))}
        <text x={PAD.left} y={H - 8} fontSize="11" fill="#595959">
          {hour(points[0].at)}
        </text>
        <text x={W - PAD.right} y={H - 8} fontSize="11" fill="#595959" textAnchor="end">
          {hour(last.at)}
        </text>
      </svg>
      <figcaption style={{ fontSize: 12, color: 'rgba(0,0,0,0.62)' }}>{summary}</figcaption>
    </figure>
  );
}
