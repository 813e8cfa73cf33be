import { Steps } from 'antd';
import type { Manuscript, ReviewDecision } from '../api/types';
import { useT } from '../lib/i18n';

/** The review chain fixed at submission, with the steps approved for the current version. */
export function ChainProgress({ ms, decisions }: { ms: Manuscript; decisions: ReviewDecision[] }) {
  const t = useT();
  if (!ms.chain) return null;
  const approved = new Set(ms.approvedSteps ?? []);
  const current = ms.chain.steps.findIndex((_, i) => !approved.has(i));
  const forVersion = decisions.filter((d) => d.versionId === ms.currentVersionId);
  return (
    <Steps
      size="small"
      data-testid="chain-progress"
      current={current < 0 ? ms.chain.steps.length : current}
      status={ms.status === 'rejected' ? 'error' : undefined}
      items={ms.chain.steps.map((s, i) => {
        const d = forVersion.find((x) => x.step === i);
        return {
          title: s.name,
          status: approved.has(i)
            ? 'finish'
            : d?.decision === 'reject'
              ? 'error'
              : i === current && ms.status === 'in_review'
                ? 'process'
                : 'wait',
          content: approved.has(i)
            ? t('已通过', 'Approved')
            : d?.decision === 'reject'
              ? t('退回', 'Rejected')
              : t(`${s.level} 级审核`, `Level ${s.level}`),
        };
      })}
    />
  );
}
