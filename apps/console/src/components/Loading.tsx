import { useT } from '../lib/i18n';

/** A page or part of one waiting for its data: a spinner, announced once to screen readers. */
export const Loading = () => {
  const t = useT();
  return (
    <div className="tf-loading" role="status" aria-live="polite">
      <span className="tf-spinner" aria-hidden />
      <span className="sr-only">{t('加载中', 'Loading')}</span>
    </div>
  );
};
