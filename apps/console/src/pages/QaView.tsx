import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, List, Popconfirm, Row, Space, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, EditOutlined, InboxOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { QaEntryDetail, QaReviewDecision, QaVersion } from '../api/types';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusTag } from '../components/StatusTag';
import { Diff } from '../components/Diff';
import { diffText, htmlToText } from '../lib/diff';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { QA_CHANNEL, label } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';
import { fmtTime, useQaLookups } from '../lib/qa';

/** Everything a reviewer weighs, as text, so two versions can be compared line by line. */
const versionText = (v: QaVersion) =>
  [
    `问：${v.question}`,
    ...v.similarQuestions.map((s) => `相似问：${s}`),
    `答：${htmlToText(v.answerHtml)}`,
    ...Object.entries(v.channelAnswers ?? {})
      .filter(([, a]) => a)
      .map(([k, a]) => `${QA_CHANNEL[k]?.[0] ?? k}：${a}`),
    `关键词：${v.keywords.join('、')}`,
    ...v.policyBasis.map((p) => `依据：${p.title} ${p.docNumber ?? ''} ${p.url ?? ''}`.trim()),
    `有效期：${v.effectiveFrom?.slice(0, 10) ?? '—'} 至 ${v.effectiveUntil?.slice(0, 10) ?? '—'}`,
  ].join('\n');

function VersionCard({ v, title, testId }: { v: QaVersion; title: string; testId: string }) {
  const t = useT();
  const lang = useLang();
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>} data-testid={testId}>
      <Descriptions column={1} size="small" layout="vertical">
        <Descriptions.Item label={t('标准问题', 'Standard question')}>{v.question}</Descriptions.Item>
        {v.similarQuestions.length > 0 && (
          <Descriptions.Item label={t('相似问法', 'Similar questions')}>
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {v.similarQuestions.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('答案', 'Answer')}>
          {/* The hub sanitized the answer when it was saved. */}
          <div className="tf-preview-body" dangerouslySetInnerHTML={{ __html: v.answerHtml }} />
        </Descriptions.Item>
        {Object.entries(v.channelAnswers ?? {})
          .filter(([, a]) => a)
          .map(([k, a]) => (
            <Descriptions.Item key={k} label={label(QA_CHANNEL, k, lang)}>
              {a}
            </Descriptions.Item>
          ))}
        {v.keywords.length > 0 && <Descriptions.Item label={t('关键词', 'Keywords')}>{v.keywords.join('、')}</Descriptions.Item>}
        {v.policyBasis.length > 0 && (
          <Descriptions.Item label={t('政策依据', 'Policy basis')}>
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {v.policyBasis.map((p, i) => (
                <li key={i}>
                  {p.url ? (
                    <a href={p.url} target="_blank" rel="noreferrer" style={{ textDecoration: 'underline' }}>
                      {p.title}
                    </a>
                  ) : (
                    p.title
                  )}
                  {p.docNumber ? `（${p.docNumber}）` : ''}
                </li>
              ))}
            </ul>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('有效期', 'Valid')}>
          {fmtTime(v.effectiveFrom)} — {fmtTime(v.effectiveUntil)}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** 答问详情与审核: the version in review beside (and diffed against) the live one; approve or reject. */
export default function QaView() {
  const { id } = useParams();
  const t = useT();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { has } = useSession();
  const lookups = useQaLookups();
  const [form] = Form.useForm<{ comment: string }>();
  const [entry, setEntry] = useState<QaEntryDetail | null>(null);
  const [reviews, setReviews] = useState<QaReviewDecision[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [decideError, setDecideError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [e, r] = await Promise.all([api<QaEntryDetail>(`/qa/entries/${id}`), api<QaReviewDecision[]>(`/qa/entries/${id}/reviews`)]);
      setEntry(e);
      setReviews(r);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const decide = async (decision: 'approve' | 'reject') => {
    const comment = (form.getFieldValue('comment') as string | undefined)?.trim();
    if (decision === 'reject' && !comment) {
      form.setFields([{ name: 'comment', errors: [t('退回时请写明原因', 'Say why it is sent back')] }]);
      return;
    }
    setBusy(true);
    setDecideError(null);
    try {
      const res = await api<QaEntryDetail>(`/qa/entries/${id}/reviews`, { body: { decision, comment: comment || undefined } });
      message.success(
        res.status === 'published'
          ? t('已通过并发布', 'Approved and published')
          : decision === 'approve'
            ? t('已通过', 'Approved')
            : t('已退回', 'Sent back'),
      );
      form.resetFields();
      await load();
    } catch (e) {
      // The API refuses an author reviewing their own entry or a step not theirs: show why.
      setDecideError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  const archive = async () => {
    setBusy(true);
    try {
      await api<QaEntryDetail>(`/qa/entries/${id}/archive`, { method: 'POST' });
      message.success(t('已归档，群众不会再看到这条答问', 'Archived: citizens no longer get this entry'));
      await load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (error) return <Alert type="error" title={error} />;
  if (!entry) return <Loading />;
  const { current, live } = entry;
  return (
    <div>
      <PageHeader
        title={entry.question}
        extra={
          <Space wrap>
            <StatusTag kind="qa" status={entry.status} />
            {entry.needsReview && <StatusTag kind="qa" status="needs_review" />}
            {has('editor') && (entry.status === 'draft' || entry.status === 'published') && (
              <Button icon={<EditOutlined />} onClick={() => nav(`/qa/${entry.id}/edit`)}>
                {t('修改', 'Edit')}
              </Button>
            )}
            {has('editor') && entry.status !== 'archived' && entry.status !== 'in_review' && (
              <Popconfirm
                title={t('归档这条答问？', 'Archive this entry?')}
                description={t('归档后立即从检索中撤下，不再提供给群众', 'It leaves search at once and is no longer given to citizens')}
                okText={t('归档', 'Archive')}
                cancelText={t('取消', 'Cancel')}
                onConfirm={() => void archive()}
              >
                <Button danger icon={<InboxOutlined />} loading={busy}>
                  {t('归档', 'Archive')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('单位', 'Unit')}>{lookups.unitName(entry.unitId) || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('分类', 'Category')}>{lookups.categoryName(entry.category) || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('当前版本', 'Current version')}>v{entry.version}</Descriptions.Item>
        {entry.overridesEntryId && (
          <Descriptions.Item label={t('替代上级答问', 'Overrides')}>
            <Link to={`/qa/${entry.overridesEntryId}`} data-testid="qa-overrides" style={{ textDecoration: 'underline' }}>
              {t('查看被替代的上级答问', 'The ancestor’s entry it replaces')}
            </Link>
          </Descriptions.Item>
        )}
      </Descriptions>
      {entry.needsReview && (
        <Alert
          type="warning"
          style={{ marginBottom: 12 }}
          title={t('引用的政策文件已废止，请复核并修改答案', 'A cited policy document was repealed: review and update the answer')}
        />
      )}
      <Row gutter={[16, 16]}>
        {live && (
          <Col xs={24} lg={12}>
            <VersionCard
              v={live}
              title={t(`在线版本 v${live.number}（群众现在看到的）`, `Live v${live.number} (what citizens get now)`)}
              testId="qa-live"
            />
          </Col>
        )}
        <Col xs={24} lg={live ? 12 : 24}>
          <VersionCard
            v={current}
            title={
              entry.status === 'in_review'
                ? t(`送审版本 v${current.number}`, `v${current.number} in review`)
                : t(`当前版本 v${current.number}`, `Current v${current.number}`)
            }
            testId="qa-current"
          />
        </Col>
        {live && (
          <Col span={24}>
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('修改对比', 'Changes')}</h2>}>
              <Diff pieces={diffText(versionText(live), versionText(current))} />
            </Card>
          </Col>
        )}
        {entry.status === 'in_review' && has('reviewer') && (
          <Col span={24}>
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('审核', 'Review')}</h2>} data-testid="qa-decide">
              {decideError && <Alert type="error" title={decideError} style={{ marginBottom: 12 }} />}
              <Form form={form} layout="vertical">
                <Form.Item name="comment" label={t('审核意见', 'Comment')}>
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
                </Form.Item>
                <Space wrap>
                  <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => void decide('approve')}>
                    {t('通过', 'Approve')}
                  </Button>
                  <Button danger icon={<CloseOutlined />} disabled={busy} onClick={() => void decide('reject')}>
                    {t('退回', 'Send back')}
                  </Button>
                </Space>
              </Form>
            </Card>
          </Col>
        )}
        <Col span={24}>
          <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('审核记录', 'Review history')}</h2>}>
            <List
              size="small"
              dataSource={reviews}
              locale={{ emptyText: t('还没有审核记录', 'No review yet') }}
              renderItem={(r) => (
                <List.Item data-testid="qa-review-row">
                  <Typography.Text>
                    {fmtTime(r.createdAt)} · {t(`第 ${r.step} 步`, `Step ${r.step}`)} ·{' '}
                    {r.decision === 'approve' ? t('通过', 'Approved') : t('退回', 'Sent back')}
                    {r.comment ? `：${r.comment}` : ''}
                  </Typography.Text>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
