import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Empty, Input, List, Popconfirm, Row, Select, Space, Tag, Typography } from 'antd';
import { api, ApiError, qs } from '../api/client';
import type { InboxReply, InboxThreadDetail, QaAnswer, QaSearchResult } from '../api/types';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { label, THREAD_KIND } from '../lib/labels';
import { bjFormat } from '../lib/beijing';
import { errorText } from '../lib/forms';
import { DARK } from '../lib/notifications';
import { usePolling } from '../lib/usePolling';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon } from '../components/PlatformIcon';
import { StatusTag } from '../components/StatusTag';
import { InboxClock, useNow } from '../components/InboxClock';

/** Replies still on their way: the page asks again until each is delivered or has failed. */
const MOVING: InboxReply['state'][] = ['pending', 'sending'];

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/**
 * One citizen's thread: the post it is about, what the citizen wrote and what the unit answered
 * (with each reply's delivery state), internal notes, assignment, closing, and the reply box with
 * answers from the Q&A library. The hub decides everything (compliance, review, the platform's
 * window); the page shows its answer where the action was.
 */
export default function InboxThreadPage() {
  const { id = '' } = useParams();
  const t = useT();
  const lang = useLang();
  const now = useNow();
  const { me, has } = useSession();
  const [thread, setThread] = useState<InboxThreadDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [assignees, setAssignees] = useState<{ id: string; displayName: string }[] | null>(null);
  const [suggestions, setSuggestions] = useState<QaAnswer[] | null>(null);
  const [text, setText] = useState('');
  const [key, setKey] = useState(newKey);
  const [sending, setSending] = useState(false);
  const [replyProblem, setReplyProblem] = useState<{ title: string; reasons: string[] } | null>(null);
  const [replyDone, setReplyDone] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setThread(await api<InboxThreadDetail>(`/inbox/threads/${id}`));
      setLoadError(null);
    } catch (e) {
      setLoadError(errorText(e));
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  const moving = !!thread?.replies.some((r) => MOVING.includes(r.state));
  usePolling(load, 2_000, moving);

  const mayWork = has('editor') || has('unit_admin');
  const mayAssign = has('unit_admin') || has('duty_officer') || has('supervisor');
  const mayReview = has('reviewer');

  // Who the thread may go to is the hub's answer (the unit's active editors and admins), not a guess here.
  useEffect(() => {
    if (!mayAssign) return;
    api<{ id: string; displayName: string }[]>(`/inbox/threads/${id}/assignees`)
      .then(setAssignees)
      .catch(() => setAssignees(null));
  }, [id, mayAssign]);

  // Suggestions for the citizen's latest words, from the library as the thread's unit answers them.
  const lastIncoming = thread?.items.filter((i) => i.direction === 'in').at(-1)?.text ?? thread?.preview ?? '';
  const unitId = thread?.unitId;
  useEffect(() => {
    if (!unitId || !mayWork || !lastIncoming.trim()) return;
    let cancelled = false;
    api<QaSearchResult>(`/qa/search${qs({ q: lastIncoming.slice(0, 200), unitId, channel: 'newMedia', limit: 3, trial: true })}`)
      .then((r) => !cancelled && setSuggestions([...r.items, ...r.suggestions].slice(0, 3)))
      .catch(() => !cancelled && setSuggestions([]));
    return () => {
      cancelled = true;
    };
  }, [unitId, lastIncoming, mayWork]);

  if (loadError && !thread) return <Alert type="error" title={loadError} />;
  if (!thread) return <Loading />;

  const send = async () => {
    setReplyProblem(null);
    setReplyDone(null);
    if (!text.trim()) {
      setReplyProblem({ title: t('请填写回复内容', 'Please write the reply'), reasons: [] });
      return;
    }
    setSending(true);
    try {
      const r = await api<InboxReply>(`/inbox/threads/${id}/replies`, { method: 'POST', body: { text, idempotencyKey: key } });
      if (r.state === 'blocked') {
        setReplyProblem({
          title: t('合规检查发现阻断问题，回复未发送', 'The compliance check found a blocking problem: the reply was not sent'),
          reasons: r.findings.filter((f) => f.severity === 'block').map((f) => (f.excerpt ? `${f.message}（${f.excerpt}）` : f.message)),
        });
      } else {
        setReplyDone(
          r.state === 'review'
            ? t('回复已提交本单位审核，通过后发送', 'The reply waits for the unit’s review')
            : t('回复已提交发送', 'The reply is on its way'),
        );
        setText('');
      }
      // A new key for the next reply; a double click above reused this one, so it made one reply.
      setKey(newKey());
      await load();
    } catch (e) {
      const details = e instanceof ApiError ? e.details.map((d) => d.message) : [];
      setReplyProblem({ title: errorText(e), reasons: details });
    } finally {
      setSending(false);
    }
  };

  const act = async (path: string, body?: unknown) => {
    setActionError(null);
    try {
      await api(path, { method: 'POST', body });
      await load();
    } catch (e) {
      setActionError(errorText(e));
    }
  };

  const addNote = async () => {
    setNoteError(null);
    if (!note.trim()) {
      setNoteError(t('请填写备注内容', 'Please write the note'));
      return;
    }
    try {
      await api(`/inbox/threads/${id}/notes`, { method: 'POST', body: { text: note } });
      setNote('');
      await load();
    } catch (e) {
      setNoteError(errorText(e));
    }
  };

  const conversation = thread.items;
  const open = thread.state !== 'closed';

  return (
    <div>
      <PageHeader
        title={`${t('互动详情：', 'Thread: ')}${thread.citizenName}`}
        extra={
          <Space wrap>
            <Link to="/inbox">{t('返回互动消息', 'Back to the inbox')}</Link>
            {mayWork && open && (
              <Popconfirm
                title={t('办结后时限停止；群众再留言会重新打开。', 'Closing stops the clocks; a new message reopens it.')}
                okText={t('办结', 'Close')}
                cancelText={t('取消', 'Cancel')}
                onConfirm={() => act(`/inbox/threads/${id}/close`)}
              >
                <Button data-testid="inbox-close">{t('办结', 'Close thread')}</Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      {actionError && <Alert type="error" title={actionError} style={{ marginBottom: 12 }} data-testid="inbox-action-error" />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('会话', 'Conversation')}</h2>} data-testid="inbox-conversation">
              <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
                <Descriptions.Item label={t('账号', 'Account')}>
                  <Space size={4}>
                    <PlatformIcon platform={thread.platform} lang={lang} withName={false} />
                    {thread.accountName ?? '—'}
                    <Typography.Text type="secondary">{label(THREAD_KIND, thread.kind, lang)}</Typography.Text>
                  </Space>
                </Descriptions.Item>
                {thread.post && (
                  <Descriptions.Item label={t('所属作品', 'Post')}>
                    <span data-testid="inbox-post">
                      {thread.post.url ? (
                        <a href={thread.post.url} target="_blank" rel="noreferrer noopener">
                          {thread.post.title ?? t('在平台查看', 'Open on the platform')}
                        </a>
                      ) : (
                        (thread.post.title ?? t(`平台作品 ${thread.post.remoteId}`, `Platform post ${thread.post.remoteId}`))
                      )}
                      {thread.post.publicationId && (
                        <>
                          {' · '}
                          <Link to={`/publications/${thread.post.publicationId}`}>{t('发布记录', 'Publication')}</Link>
                        </>
                      )}
                    </span>
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('状态', 'State')}>
                  <Space size={4} wrap>
                    <StatusTag kind="thread" status={thread.state} />
                    {thread.sensitive && (
                      <Tag color="error" style={DARK}>
                        {t('涉敏', 'Sensitive')}
                      </Tag>
                    )}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('时限', 'Deadlines')}>
                  <InboxClock thread={thread} now={now} />
                </Descriptions.Item>
              </Descriptions>
              <List
                size="small"
                dataSource={conversation}
                rowKey="id"
                locale={{ emptyText: t('暂无留言', 'Nothing yet') }}
                renderItem={(i) => (
                  <List.Item data-testid="inbox-item" data-direction={i.direction}>
                    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                      <Space size={6} wrap>
                        <Typography.Text strong>{i.direction === 'in' ? i.author : t('本账号', 'Our account')}</Typography.Text>
                        <Typography.Text type="secondary">{bjFormat(i.createdAt)}</Typography.Text>
                        {i.parentId && <Typography.Text type="secondary">{t('回复', 'in reply')}</Typography.Text>}
                      </Space>
                      <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{i.text}</Typography.Paragraph>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>

            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('本单位的回复', 'Our replies')}</h2>} data-testid="inbox-replies">
              <List
                size="small"
                dataSource={thread.replies}
                rowKey="id"
                locale={{ emptyText: t('还没有回复', 'No reply yet') }}
                renderItem={(r) => (
                  <List.Item data-testid="inbox-reply" data-state={r.state}>
                    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                      <Space size={6} wrap>
                        <StatusTag kind="reply" status={r.state} />
                        <Typography.Text type="secondary">{bjFormat(r.sentAt ?? r.createdAt)}</Typography.Text>
                      </Space>
                      <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{r.text}</Typography.Paragraph>
                      {r.state === 'blocked' &&
                        r.findings
                          .filter((f) => f.severity === 'block')
                          .map((f, n) => (
                            <Typography.Text key={n} type="danger">
                              {f.message}
                            </Typography.Text>
                          ))}
                      {r.state === 'failed' && r.lastError && <Typography.Text type="danger">{r.lastError}</Typography.Text>}
                      {r.state === 'unconfirmed' && (
                        <Space orientation="vertical" size={4} data-testid="inbox-reply-unconfirmed">
                          <Alert
                            type="warning"
                            showIcon
                            title={t(
                              '平台未能确认这条回复是否已送达群众：请到平台后台核实后再选择，以免重复回复。',
                              'The platform could not confirm whether this reply reached the citizen: check on the platform first, so the citizen is not answered twice.',
                            )}
                          />
                          {mayWork && (
                            <Space wrap>
                              <Popconfirm
                                title={t('确认群众已收到这条回复？', 'Did the citizen get this reply?')}
                                okText={t('确认', 'Confirm')}
                                cancelText={t('取消', 'Cancel')}
                                onConfirm={() => act(`/inbox/replies/${r.id}/confirmation`, { outcome: 'arrived' })}
                              >
                                <Button size="small">{t('已核实送达', 'It arrived')}</Button>
                              </Popconfirm>
                              <Popconfirm
                                title={t('确认平台上没有这条回复，重新发送？', 'The reply is not on the platform: send it again?')}
                                okText={t('重新发送', 'Send again')}
                                cancelText={t('取消', 'Cancel')}
                                onConfirm={() => act(`/inbox/replies/${r.id}/confirmation`, { outcome: 'resend' })}
                              >
                                <Button size="small" type="primary">
                                  {t('未送达，重新发送', 'Not there: send again')}
                                </Button>
                              </Popconfirm>
                            </Space>
                          )}
                        </Space>
                      )}
                      {r.state === 'review' && mayReview && r.createdBy !== me?.id && (
                        <Space>
                          <Button type="primary" size="small" onClick={() => act(`/inbox/replies/${r.id}/review`, { decision: 'approve' })}>
                            {t('审核通过并发送', 'Approve and send')}
                          </Button>
                          <Button size="small" danger onClick={() => act(`/inbox/replies/${r.id}/review`, { decision: 'reject' })}>
                            {t('退回', 'Reject')}
                          </Button>
                        </Space>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            </Card>

            {mayWork && open && (
              <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('回复群众', 'Reply')}</h2>} data-testid="inbox-reply-box">
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <div data-testid="inbox-suggestions">
                    <Typography.Text strong>{t('答问库建议', 'From the Q&A library')}</Typography.Text>
                    {suggestions === null ? (
                      <Typography.Paragraph type="secondary">{t('正在查找…', 'Looking…')}</Typography.Paragraph>
                    ) : suggestions.length ? (
                      <List
                        size="small"
                        dataSource={suggestions}
                        rowKey="entryId"
                        renderItem={(s) => (
                          <List.Item data-testid="inbox-suggestion" data-entry={s.entryId}>
                            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                              <Typography.Text strong>{s.question}</Typography.Text>
                              <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3 }}>
                                {s.channelAnswer ?? s.answer}
                              </Typography.Paragraph>
                              <Button
                                size="small"
                                aria-label={t(`插入答案：${s.question}`, `Insert the answer: ${s.question}`)}
                                onClick={() => setText(s.channelAnswer ?? s.answer)}
                              >
                                {t('插入答案', 'Insert answer')}
                              </Button>
                            </Space>
                          </List.Item>
                        )}
                      />
                    ) : (
                      <Empty
                        image={Empty.PRESENTED_IMAGE_SIMPLE}
                        description={t('答问库中没有相近的答案', 'No close answer in the library')}
                      />
                    )}
                  </div>
                  <label htmlFor="inbox-reply-text">
                    <Typography.Text strong>{t('回复内容', 'Reply text')}</Typography.Text>
                  </label>
                  <Input.TextArea
                    id="inbox-reply-text"
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                    autoSize={{ minRows: 3, maxRows: 10 }}
                    maxLength={2000}
                  />
                  {replyProblem && (
                    <Alert
                      type="error"
                      data-testid="inbox-reply-error"
                      title={replyProblem.title}
                      description={
                        replyProblem.reasons.length ? (
                          <ul style={{ margin: 0, paddingLeft: 20 }}>
                            {replyProblem.reasons.map((r, n) => (
                              <li key={n}>{r}</li>
                            ))}
                          </ul>
                        ) : undefined
                      }
                    />
                  )}
                  {replyDone && <Alert type="success" title={replyDone} data-testid="inbox-reply-done" />}
                  <Button type="primary" loading={sending} onClick={send} data-testid="inbox-send">
                    {t('发送回复', 'Send reply')}
                  </Button>
                </Space>
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('指派', 'Assignment')}</h2>} data-testid="inbox-assign">
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Typography.Text>
                  {t('承办人：', 'Assignee: ')}
                  <span data-testid="inbox-assignee">{thread.assigneeName ?? t('未指派', 'Nobody yet')}</span>
                </Typography.Text>
                {mayAssign && assignees && open && (
                  <Select
                    aria-label={t('指派给本单位同事', 'Give to a colleague of the unit')}
                    placeholder={t('指派给本单位同事', 'Give to a colleague of the unit')}
                    value={undefined}
                    onChange={(v: string) => act(`/inbox/threads/${id}/assign`, { assigneeId: v })}
                    options={assignees.map((a) => ({ value: a.id, label: a.displayName }))}
                    style={{ width: '100%' }}
                    data-testid="inbox-assign-select"
                  />
                )}
              </Space>
            </Card>
            <Card
              title={
                <h2 style={{ fontSize: 16, margin: 0 }}>{t('内部备注（群众不可见）', 'Internal notes (never shown to the citizen)')}</h2>
              }
              data-testid="inbox-notes"
            >
              <List
                size="small"
                dataSource={thread.notes}
                rowKey="id"
                locale={{ emptyText: t('暂无备注', 'No note yet') }}
                renderItem={(n) => (
                  <List.Item data-testid="inbox-note">
                    <Space orientation="vertical" size={2}>
                      <Space size={6} wrap>
                        <Typography.Text strong>{n.authorName}</Typography.Text>
                        <Typography.Text type="secondary">{bjFormat(n.createdAt)}</Typography.Text>
                      </Space>
                      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{n.text}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
              {(mayWork || mayAssign) && (
                <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
                  <Input.TextArea
                    aria-label={t('备注内容', 'Note')}
                    placeholder={t('如：已电话联系群众', 'e.g. called the citizen back')}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    autoSize={{ minRows: 2, maxRows: 6 }}
                    maxLength={2000}
                  />
                  {noteError && <Alert type="error" title={noteError} />}
                  <Button onClick={addNote} data-testid="inbox-add-note">
                    {t('添加备注', 'Add note')}
                  </Button>
                </Space>
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
