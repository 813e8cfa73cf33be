import { useEffect, useState } from 'react';
import { Alert, Card, Empty, Input, List, Segmented, Space, Tag, Typography } from 'antd';
import { api, qs } from '../api/client';
import type { QaAnswer, QaSearchResult } from '../api/types';
import { useLang, useT } from '../lib/i18n';
import { QA_CHANNEL } from '../lib/labels';
import { errorText } from '../lib/forms';

const DEBOUNCE_MS = 400;

/**
 * 群众会得到什么: asks GET /qa/search the way a website or the hotline would for `unitId`, so an
 * editor sees which answer a citizen gets (only live entries are searchable) and how close the
 * weaker candidates come to the no-match threshold. Asked as a trial, so an unanswered try is not
 * a citizen's gap.
 */
export function QaSearchBox({ unitId }: { unitId?: string }) {
  const t = useT();
  const lang = useLang();
  const [q, setQ] = useState('');
  const [channel, setChannel] = useState<'web' | 'newMedia' | 'hotline'>('web');
  const [result, setResult] = useState<QaSearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setResult(null);
      return;
    }
    let cancelled = false;
    // Typing fires one request per pause, not one per keystroke; a stale answer never overwrites a newer one.
    const timer = setTimeout(() => {
      api<QaSearchResult>(`/qa/search${qs({ q: text, unitId, channel, limit: 5, trial: true })}`)
        .then((r) => !cancelled && (setResult(r), setError(null)))
        .catch((e) => !cancelled && setError(errorText(e)));
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [q, unitId, channel]);

  const row = (kind: 'answer' | 'suggestion') => (a: QaAnswer) => (
    <List.Item data-testid={`qa-${kind}`} data-entry={a.entryId}>
      <Space orientation="vertical" size={2} style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>{a.question}</Typography.Text>
          <Tag color={kind === 'answer' ? 'success' : 'default'} style={{ color: 'rgba(0,0,0,0.88)' }}>
            {t('得分', 'Score')} {a.score.toFixed(2)}
          </Tag>
        </Space>
        {kind === 'answer' && <Typography.Paragraph style={{ margin: 0 }}>{a.answer}</Typography.Paragraph>}
      </Space>
    </List.Item>
  );

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('群众会得到什么', 'What a citizen would get')}</h2>} size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.Search
          aria-label={t('像群众一样提问', 'Ask as a citizen would')}
          placeholder={t('像群众一样提问，如“社保卡丢了咋办”', 'Ask as a citizen would')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          allowClear
        />
        <Segmented
          aria-label={t('渠道', 'Channel')}
          size="small"
          value={channel}
          onChange={(v) => setChannel(v as typeof channel)}
          options={Object.entries(QA_CHANNEL).map(([value, l]) => ({ value, label: l[lang === 'zh' ? 0 : 1] }))}
        />
        {error && <Alert type="error" title={error} />}
        {result && (
          <div data-testid="qa-search-result">
            {result.items.length ? (
              <List size="small" header={t('答案', 'Answers')} dataSource={result.items} renderItem={row('answer')} />
            ) : (
              <Empty description={t('没有达到阈值的答案：群众会看到“暂无答案”', 'No answer above the threshold: the citizen gets none')} />
            )}
            {result.suggestions.length > 0 && (
              <List
                size="small"
                header={t('猜你想问（未达阈值，不作为答案）', 'Did you mean (below the threshold, not given as answers)')}
                dataSource={result.suggestions}
                renderItem={row('suggestion')}
              />
            )}
          </div>
        )}
      </Space>
    </Card>
  );
}
