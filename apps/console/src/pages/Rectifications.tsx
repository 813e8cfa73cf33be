import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Input, List, Segmented, Space, Tag, Typography, message } from 'antd';
import { api } from '../api/client';
import { usePaged } from '../lib/usePaged';
import { useLang, useT } from '../lib/i18n';
import { useSession } from '../lib/session';
import { PageHeader } from '../components/PageHeader';
import { formatLocalTime } from '../lib/beijing-time';
import { DARK } from '../lib/notifications';
import { problemText, RECTIFICATION_STATE, type Rectification, type RectificationState } from '../lib/supervision';

/**
 * 整改: the orders to the caller's unit (answer with what was done and evidence links) and, for
 * supervisors, those of the subtree to re-check (close, send back, escalate); late ones named.
 */
export default function Rectifications() {
  const t = useT();
  const { has } = useSession();
  const [state, setState] = useState<RectificationState | 'all'>('open');
  const [overdue, setOverdue] = useState(false);
  const list = usePaged<Rectification>(
    '/rectifications',
    { state: state === 'all' ? undefined : state, overdue: overdue || undefined },
    20,
  );
  return (
    <div>
      <PageHeader
        title={t('整改', 'Rectification')}
        extra={
          <Space wrap>
            <Segmented
              aria-label={t('按状态筛选', 'Filter by state')}
              value={state}
              onChange={(v) => setState(v as RectificationState | 'all')}
              options={[
                { label: t('待整改', 'Open'), value: 'open' },
                { label: t('待复核', 'Answered'), value: 'answered' },
                { label: t('已销号', 'Closed'), value: 'closed' },
                { label: t('已上报', 'Escalated'), value: 'escalated' },
                { label: t('全部', 'All'), value: 'all' },
              ]}
            />
            <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)}>
              {t('只看逾期', 'Overdue only')}
            </Checkbox>
          </Space>
        }
      />
      {list.error && <Alert type="error" title={list.error} style={{ marginBottom: 16 }} />}
      <List<Rectification>
        loading={list.loading}
        dataSource={list.items}
        locale={{ emptyText: t('没有整改通知', 'No rectification orders') }}
        pagination={list.total > list.pagination.pageSize ? { ...list.pagination, size: 'small' } : false}
        renderItem={(r) => (
          <List.Item key={r.id} style={{ display: 'block', padding: 0, border: 0 }}>
            <Order r={r} respond={has('unit_admin') || has('editor')} review={has('supervisor')} reload={list.reload} />
          </List.Item>
        )}
      />
    </div>
  );
}

function Order({ r, respond, review, reload }: { r: Rectification; respond: boolean; review: boolean; reload: () => Promise<void> }) {
  const t = useT();
  const lang = useLang();
  const [text, setText] = useState('');
  const [urls, setUrls] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const st = RECTIFICATION_STATE[r.state];
  const send = async (path: string, body: unknown) => {
    setError(null);
    try {
      await api(`/rectifications/${r.id}/${path}`, { method: 'POST', body });
      void message.success(t('已提交', 'Sent'));
      await reload();
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="rectification" data-state={r.state}>
      <Space wrap size={4}>
        <Tag color={st.color} style={DARK}>
          {st[lang]}
        </Tag>
        {r.overdue && (
          <Tag color="red" style={DARK} data-testid="overdue">
            {t(`逾期 ${r.daysLate} 天`, `${r.daysLate} days overdue`)}
          </Tag>
        )}
        {r.reopened > 0 && (
          <Tag color="orange" style={DARK} data-testid="reopened">
            {t(`已退回 ${r.reopened} 次`, `Sent back ${r.reopened}×`)}
          </Tag>
        )}
        {r.answeredLate && (
          <Tag color="red" style={DARK}>
            {t('逾期回复', 'Answered late')}
          </Tag>
        )}
        <Typography.Text strong>{r.accountName ?? r.accountId}</Typography.Text>
        <Typography.Text style={DARK}>{r.unitName}</Typography.Text>
      </Space>
      <Typography.Paragraph style={{ margin: '8px 0' }}>{r.problem}</Typography.Paragraph>
      <Typography.Text style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
        {t(`整改期限：${formatLocalTime(r.deadline, lang)}`, `Due ${formatLocalTime(r.deadline, lang)}`)}
        {r.period ? ` · ${r.period}` : ''}
      </Typography.Text>
      {(r.reopened > 0 || r.state === 'escalated') && r.reviewNote && (
        <Typography.Paragraph style={{ margin: '8px 0 0' }} data-testid="review-note">
          <Typography.Text strong>
            {r.state === 'escalated' ? t('上报说明：', 'Escalated: ') : t('退回意见：', 'Sent back: ')}
          </Typography.Text>
          {r.reviewNote}
        </Typography.Paragraph>
      )}
      {r.response && (
        <div style={{ marginTop: 8 }} data-testid="response">
          <Typography.Text strong>{t('整改情况：', 'Answer: ')}</Typography.Text>
          <Typography.Text>{r.response.text}</Typography.Text>
          {r.response.urls.map((u) => (
            <div key={u}>
              <a href={u} target="_blank" rel="noreferrer" style={{ wordBreak: 'break-all' }}>
                {u}
              </a>
            </div>
          ))}
        </div>
      )}
      {respond && r.state === 'open' && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
          <Input.TextArea
            aria-label={t('整改情况', 'What was done')}
            placeholder={t('整改情况', 'What was done')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 2 }}
            maxLength={5000}
            data-testid="response-text"
          />
          <Input
            aria-label={t('佐证链接（每行或以空格分隔）', 'Evidence links (space separated)')}
            placeholder={t('佐证链接，如整改后发布的文章地址', 'Evidence links, e.g. the post made since')}
            value={urls}
            onChange={(e) => setUrls(e.target.value)}
            data-testid="response-urls"
          />
          <Button
            type="primary"
            onClick={() =>
              text.trim()
                ? void send('response', { text: text.trim(), urls: urls.split(/\s+/).filter(Boolean) })
                : setError(t('整改情况：请填写做了哪些整改', 'What was done: describe the rectification'))
            }
            data-testid="response-send"
          >
            {t('回复整改', 'Send answer')}
          </Button>
        </Space>
      )}
      {review && (r.state === 'answered' || r.state === 'escalated' || (r.state === 'open' && r.overdue)) && (
        <Space wrap style={{ marginTop: 8 }}>
          <Input
            aria-label={t('复核意见', 'Review note')}
            placeholder={t('复核意见（可选）', 'Note (optional)')}
            value={note}
            data-testid="review-note-input"
            onChange={(e) => setNote(e.target.value)}
            style={{ width: 220 }}
          />
          {/* What the API allows from each state: an overdue open order can only go up; an escalated one is closed or sent back. */}
          {r.state !== 'open' && (
            <Button
              type="primary"
              onClick={() => void send('review', { decision: 'close', note: note || undefined })}
              data-testid="review-close"
            >
              {t('销号', 'Close')}
            </Button>
          )}
          {r.state !== 'open' && (
            <Button onClick={() => void send('review', { decision: 'reopen', note: note || undefined })} data-testid="review-reopen">
              {t('退回重改', 'Send back')}
            </Button>
          )}
          {r.state !== 'escalated' && (
            <Button
              danger
              onClick={() => void send('review', { decision: 'escalate', note: note || undefined })}
              data-testid="review-escalate"
            >
              {t('上报', 'Escalate')}
            </Button>
          )}
        </Space>
      )}
      {error && <Alert type="error" title={error} style={{ marginTop: 8 }} data-testid="rectification-error" />}
    </Card>
  );
}
