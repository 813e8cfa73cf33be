import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { EditOutlined, RedoOutlined, RollbackOutlined } from '@ant-design/icons';
import { api, streamEvents } from '../api/client';
import type { Publication, Target } from '../api/types';
import { Loading } from '../components/Loading';
import { StatusTag } from '../components/StatusTag';
import { PlatformIcon } from '../components/PlatformIcon';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { applyFieldErrors, errorText } from '../lib/forms';
import { bjFormat } from '../lib/beijing';

const when = (s: string | null | undefined) => bjFormat(s);

/** Targets as the page reads them: with a correction's standing note. */
type Row = Target & { note?: string | null };
type Pub = Publication & { correctionOf?: string | null; correctionReason?: string | null };

/** States where publishing stopped for a person to act: the editor may send them again. */
const RETRYABLE = ['failed', 'needs_reauth', 'unconfirmed'];

/** Errors are stored "中文 / English": show the reader's half. */
const errorIn = (e: string | null, lang: 'zh' | 'en') => {
  if (!e) return '—';
  const i = e.indexOf(' / ');
  return i < 0 ? e : lang === 'zh' ? e.slice(0, i) : e.slice(i + 3);
};

export default function PublicationView() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const { has } = useSession();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [pub, setPub] = useState<Pub | null>(null);
  const [targets, setTargets] = useState<Row[]>([]);
  const [title, setTitle] = useState('');
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retractOpen, setRetractOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [tick, setTick] = useState(0);
  // One platform's actions: retry (an unconfirmed one asks for the editor's check) and retract.
  const [retryOf, setRetryOf] = useState<Row | null>(null);
  const [checked, setChecked] = useState(false);
  const [retractOf, setRetractOf] = useState<Row | null>(null);
  const [oneForm] = Form.useForm<{ reason: string }>();
  const [correctOpen, setCorrectOpen] = useState(false);
  const [correctForm] = Form.useForm<{ reason: string }>();

  // Another publication (a correction just made, the original linked from it): nothing of the last one stays.
  useEffect(() => {
    setError(null);
    setPub(null);
    setTargets([]);
    setTitle('');
  }, [id]);

  useEffect(() => {
    const ctl = new AbortController();
    (async () => {
      try {
        const p = await api<Pub>(`/publications/${id}`);
        setPub(p);
        setTargets(p.targets ?? []);
        api<{ title: string }>(`/manuscripts/${p.manuscriptId}`)
          .then((m) => setTitle(m.title))
          .catch(() => undefined);
        setLive(true);
        await streamEvents(
          `/publications/${id}/events`,
          (type, data) => {
            if (type === 'target') {
              const tg = data as Target;
              setTargets((ts) => (ts.some((x) => x.id === tg.id) ? ts.map((x) => (x.id === tg.id ? tg : x)) : [...ts, tg]));
            } else if (type === 'publication' || type === 'end') {
              setPub((p) => (p ? { ...p, status: (data as { status: string }).status } : p));
            }
          },
          ctl.signal,
        );
      } catch (e) {
        if (!ctl.signal.aborted) setError(errorText(e));
      } finally {
        if (!ctl.signal.aborted) setLive(false);
      }
    })();
    return () => ctl.abort();
  }, [id, tick]);

  const retract = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      const res = await api<{ notRetractable: unknown[] }>(`/publications/${id}/retract`, { body: { reason } });
      message.success(
        res.notRetractable.length
          ? t(
              `已撤回；${res.notRetractable.length} 个平台不支持撤回，请到平台后台处理`,
              `Retracting; ${res.notRetractable.length} platform(s) need manual removal`,
            )
          : t('已开始撤回', 'Retraction started'),
      );
      setRetractOpen(false);
      setTick((x) => x + 1);
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest) setError(rest);
    } finally {
      setBusy(false);
    }
  };

  const retryOne = async (row: Row, confirmNotPublished: boolean) => {
    setBusy(true);
    try {
      await api(`/publications/${id}/targets/${row.id}/retry`, { body: confirmNotPublished ? { confirmNotPublished: true } : {} });
      message.success(t(`已重新发送到“${row.accountName ?? row.platform}”`, `Sent again to ${row.accountName ?? row.platform}`));
      setRetryOf(null);
      setChecked(false);
      setTick((x) => x + 1);
    } catch (e) {
      setRetryOf(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const retractOne = async () => {
    const { reason } = await oneForm.validateFields();
    setBusy(true);
    try {
      await api(`/publications/${id}/targets/${retractOf!.id}/retract`, { body: { reason } });
      message.success(t('已开始撤回该平台的稿件', 'Retracting this platform’s post'));
      setRetractOf(null);
      oneForm.resetFields();
      setTick((x) => x + 1);
    } catch (e) {
      const rest = applyFieldErrors(oneForm, e);
      if (rest) {
        setRetractOf(null);
        setError(rest);
      }
    } finally {
      setBusy(false);
    }
  };

  const correct = async () => {
    const { reason } = await correctForm.validateFields();
    setBusy(true);
    try {
      // One key per dialog: a double submit returns the same correction, never a second one.
      const key = `console-${crypto.randomUUID()}`;
      const res = await api<{ id: string }>(`/publications/${id}/corrections`, { body: { reason }, headers: { 'Idempotency-Key': key } });
      message.success(t('更正已提交，正在发布', 'Correction under way'));
      setCorrectOpen(false);
      correctForm.resetFields();
      nav(`/publications/${res.id}`);
    } catch (e) {
      const rest = applyFieldErrors(correctForm, e);
      if (rest) {
        setCorrectOpen(false);
        setError(rest);
      }
    } finally {
      setBusy(false);
    }
  };

  if (error && !pub) return <Alert type="error" title={error} />;
  if (!pub) return <Loading />;
  const canRetract = (has('editor') || has('supervisor')) && targets.some((x) => x.state === 'published');
  // Per-platform actions: the unit's editors and admins (the hub checks the unit; a refusal is shown).
  const canAct = has('editor') || has('unit_admin');
  const canCorrect = has('editor') && targets.some((x) => x.state === 'published');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('发布情况', 'Publication')}
          {title && (
            <>
              ：<Link to={`/manuscripts/${pub.manuscriptId}`}>{title}</Link>
            </>
          )}
        </Typography.Title>
        <Space wrap>
          {canCorrect && (
            <Button icon={<EditOutlined />} onClick={() => setCorrectOpen(true)}>
              {t('发布更正', 'Publish a correction')}
            </Button>
          )}
          {canRetract && (
            <Button danger icon={<RollbackOutlined />} onClick={() => setRetractOpen(true)}>
              {t('一键撤回', 'Retract everywhere')}
            </Button>
          )}
        </Space>
      </Space>
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('总体状态', 'Status')}>
            <span data-testid="publication-status">
              <StatusTag kind="target" status={pub.status} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('提交时间', 'Created')}>{when(pub.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('实时更新', 'Live')}>
            <span role="status">{live ? t('连接中', 'Connected') : t('已结束', 'Ended')}</span>
          </Descriptions.Item>
          {pub.scheduledAt && <Descriptions.Item label={t('定时发布', 'Scheduled for')}>{when(pub.scheduledAt)}</Descriptions.Item>}
          {pub.retractReason && <Descriptions.Item label={t('撤回原因', 'Retraction reason')}>{pub.retractReason}</Descriptions.Item>}
          {pub.correctionOf && (
            <Descriptions.Item label={t('更正自', 'Corrects')}>
              <Link to={`/publications/${pub.correctionOf}`}>{t('原发布', 'the original publication')}</Link>
              {pub.correctionReason ? `（${pub.correctionReason}）` : ''}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card>
        <Table<Row>
          rowKey="id"
          size="middle"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={targets}
          data-testid="targets"
          onRow={(r) => ({ 'data-platform': r.platform, 'data-state': r.state }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('平台', 'Platform'), dataIndex: 'platform', render: (p) => <PlatformIcon platform={p} lang={lang} /> },
            { title: t('账号', 'Account'), dataIndex: 'accountName', render: (v) => v ?? '—' },
            { title: t('状态', 'State'), dataIndex: 'state', render: (s) => <StatusTag kind="target" status={s} /> },
            {
              title: t('链接', 'Link'),
              dataIndex: 'url',
              // A sandbox account's post exists only in the simulator: open the simulator's page of it.
              render: (u: string | null, r) =>
                r.viewUrl ? (
                  <a href={r.viewUrl} target="_blank" rel="noopener noreferrer" title={u ?? undefined}>
                    {t('查看（沙箱）', 'Open (sandbox)')}
                  </a>
                ) : u ? (
                  <a href={u} target="_blank" rel="noopener noreferrer">
                    {t('查看', 'Open')}
                  </a>
                ) : (
                  '—'
                ),
            },
            { title: t('尝试次数', 'Attempts'), dataIndex: 'attempts' },
            {
              title: t('最近错误', 'Last error'),
              dataIndex: 'lastError',
              render: (e, r) => (
                <>
                  {errorIn(e, lang)}
                  {r.note && <div style={{ color: '#595959' }}>{errorIn(r.note, lang)}</div>}
                </>
              ),
            },
            {
              title: t('下次重试', 'Next attempt'),
              dataIndex: 'nextAttemptAt',
              render: (v, r) => (['pending', 'retry_wait'].includes(r.state) ? when(v) : '—'),
            },
            ...(canAct
              ? [
                  {
                    title: t('操作', 'Actions'),
                    key: 'actions',
                    // Kept in view on a phone while the rest of the row scrolls.
                    fixed: 'right' as const,
                    render: (_: unknown, r: Row) => (
                      <Space size={4} wrap>
                        {RETRYABLE.includes(r.state) && (
                          <Button
                            size="small"
                            icon={<RedoOutlined />}
                            onClick={() => {
                              setChecked(false);
                              setRetryOf(r);
                            }}
                          >
                            {t('重试', 'Retry')}
                            <span className="sr-only">{`：${r.accountName ?? r.platform}`}</span>
                          </Button>
                        )}
                        {r.state === 'published' && (
                          <Button size="small" danger onClick={() => setRetractOf(r)}>
                            {t('撤回', 'Retract')}
                            <span className="sr-only">{`：${r.accountName ?? r.platform}`}</span>
                          </Button>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        open={retractOpen}
        title={t('确认撤回各平台上的这篇稿件？', 'Retract this post from every platform?')}
        okText={t('确认撤回', 'Retract')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ danger: true, loading: busy }}
        onOk={() => void retract()}
        onCancel={() => setRetractOpen(false)}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            label={t('撤回原因', 'Reason')}
            name="reason"
            rules={[{ required: true, min: 2, message: t('请填写撤回原因（至少 2 个字）', 'Give a reason (2 characters or more)') }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!retryOf}
        title={t(`重新发送到“${retryOf?.accountName ?? ''}”？`, `Send to ${retryOf?.accountName ?? ''} again?`)}
        okText={t('重试', 'Retry')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy, disabled: retryOf?.state === 'unconfirmed' && !checked }}
        onOk={() => retryOf && void retryOne(retryOf, retryOf.state === 'unconfirmed' && checked)}
        onCancel={() => setRetryOf(null)}
      >
        {retryOf?.state === 'unconfirmed' ? (
          <Space orientation="vertical">
            <Alert
              type="warning"
              title={t(
                '上次发布的结果无法确认，稿件可能已经在平台上。请先到平台后台核实；确实没有这篇稿件时再重试，以免重复发布。',
                'The last attempt may have published. Check on the platform first and retry only if the post is not there, so it is never posted twice.',
              )}
            />
            <Checkbox checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="confirm-not-published">
              {t('我已核实，平台上没有这篇稿件', 'I checked: the post is not on the platform')}
            </Checkbox>
          </Space>
        ) : (
          <Typography.Paragraph>
            {t(
              '稿件将按审核通过的版本重新排队发布，原有进度会保留。',
              'The approved version is queued again; progress already made is kept.',
            )}
          </Typography.Paragraph>
        )}
      </Modal>
      <Modal
        open={!!retractOf}
        title={t(`撤回“${retractOf?.accountName ?? ''}”上的这篇稿件？`, `Retract the post on ${retractOf?.accountName ?? ''}?`)}
        okText={t('确认撤回', 'Retract')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ danger: true, loading: busy }}
        onOk={() => void retractOne()}
        onCancel={() => setRetractOf(null)}
      >
        <Typography.Paragraph>{t('只撤回这一个平台，其他平台的稿件保留。', 'Only this platform; the others stay.')}</Typography.Paragraph>
        <Form form={oneForm} layout="vertical">
          <Form.Item
            label={t('撤回原因', 'Reason')}
            name="reason"
            rules={[{ required: true, min: 2, message: t('请填写撤回原因（至少 2 个字）', 'Give a reason (2 characters or more)') }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={correctOpen}
        title={t('用新的审核通过版本更正已发布的稿件？', 'Correct the published posts with the newer approved version?')}
        okText={t('发布更正', 'Publish the correction')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void correct()}
        onCancel={() => setCorrectOpen(false)}
      >
        <Typography.Paragraph>
          {t(
            '更正须先修改稿件并重新送审通过（先审后发）。能修改原帖的平台直接修改；不能修改的先撤回原帖再发新版；都不能的平台发布新帖，并提示手动删除原帖。',
            'Edit the manuscript and have it approved first. Platforms that can edit change the post; others retract it and publish the new version; where neither is possible a new post goes out and the old one must be removed by hand.',
          )}
        </Typography.Paragraph>
        <Form form={correctForm} layout="vertical">
          <Form.Item
            label={t('更正原因', 'Reason')}
            name="reason"
            rules={[{ required: true, min: 2, message: t('请填写更正原因（至少 2 个字）', 'Give a reason (2 characters or more)') }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
