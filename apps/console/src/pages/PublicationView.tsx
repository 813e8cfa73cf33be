import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { api, streamEvents } from '../api/client';
import type { Publication, Target } from '../api/types';
import { Loading } from '../components/Loading';
import { StatusTag } from '../components/StatusTag';
import { PlatformIcon } from '../components/PlatformIcon';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { applyFieldErrors, errorText } from '../lib/forms';

const when = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');

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
  const { message } = App.useApp();
  const [pub, setPub] = useState<Publication | null>(null);
  const [targets, setTargets] = useState<Target[]>([]);
  const [title, setTitle] = useState('');
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retractOpen, setRetractOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    (async () => {
      try {
        const p = await api<Publication>(`/publications/${id}`);
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

  if (error && !pub) return <Alert type="error" title={error} />;
  if (!pub) return <Loading />;
  const canRetract = (has('editor') || has('supervisor')) && targets.some((x) => x.state === 'published');
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
        {canRetract && (
          <Button danger icon={<RollbackOutlined />} onClick={() => setRetractOpen(true)}>
            {t('一键撤回', 'Retract everywhere')}
          </Button>
        )}
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
          {pub.retractReason && <Descriptions.Item label={t('撤回原因', 'Retraction reason')}>{pub.retractReason}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card>
        <Table<Target>
          rowKey="id"
          size="middle"
          pagination={false}
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
              render: (u: string | null) =>
                u ? (
                  <a href={u} target="_blank" rel="noopener noreferrer">
                    {t('查看', 'Open')}
                  </a>
                ) : (
                  '—'
                ),
            },
            { title: t('尝试次数', 'Attempts'), dataIndex: 'attempts' },
            { title: t('最近错误', 'Last error'), dataIndex: 'lastError', render: (e) => errorIn(e, lang) },
            {
              title: t('下次重试', 'Next attempt'),
              dataIndex: 'nextAttemptAt',
              render: (v, r) => (['pending', 'failed'].includes(r.state) ? when(v) : '—'),
            },
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
    </Space>
  );
}
