import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, Row, Space, Tabs, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { CheckResult, Manuscript, ReviewDecision, Version } from '../api/types';
import { Loading } from '../components/Loading';
import { ChainProgress } from '../components/ChainProgress';
import { FindingsPanel } from '../components/FindingsPanel';
import { StatusTag } from '../components/StatusTag';
import { diffText, htmlToText } from '../lib/diff';
import { Diff } from '../components/Diff';
import { ArticleView } from '../components/ArticleView';
import { PlatformPreview } from '../components/PlatformPreview';
import { PlatformIcon, platformName } from '../components/PlatformIcon';
import { adaptationLines, type AdaptedVersion, type RenditionView } from '../lib/adaptations';
import { useLang, useT } from '../lib/i18n';
import { applyFieldErrors, errorText } from '../lib/forms';

/** The version as the diff reads it: title, summary, body, then each platform's own texts. */
const versionText = (v: AdaptedVersion) =>
  [v.title, v.summary, htmlToText(v.bodyHtml), ...adaptationLines(v.adaptations, (p) => platformName(p, 'zh'))].join('\n');

export default function Review() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ comment: string }>();
  const [ms, setMs] = useState<Manuscript | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [decisions, setDecisions] = useState<ReviewDecision[]>([]);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [renditions, setRenditions] = useState<RenditionView[] | null>(null);
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [m, vs, ds] = await Promise.all([
        api<Manuscript>(`/manuscripts/${id}`),
        api<Version[]>(`/manuscripts/${id}/versions`),
        api<ReviewDecision[]>(`/manuscripts/${id}/reviews`),
      ]);
      setMs(m);
      setVersions(vs);
      setDecisions(ds);
      setCheck(await api<CheckResult>(`/manuscripts/${id}/check`, { method: 'POST' }));
      // What each platform will receive; a failure here leaves the article and the decision usable.
      setRenditions(
        await api<{ items: RenditionView[] }>(`/manuscripts/${id}/renditions`).then(
          (r) => r.items,
          () => [],
        ),
      );
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  const decide = async (decision: 'approve' | 'reject') => {
    if (decision === 'reject') {
      const { comment } = await form.validateFields();
      if (!comment?.trim()) {
        form.setFields([{ name: 'comment', errors: [t('退回时请写明原因', 'Say why you reject it')] }]);
        return;
      }
    }
    setBusy(true);
    try {
      await api(`/manuscripts/${id}/reviews`, {
        body: { decision, comment: form.getFieldValue('comment') || undefined, versionId: ms!.currentVersionId, acknowledged },
      });
      message.success(decision === 'approve' ? t('已通过', 'Approved') : t('已退回', 'Rejected'));
      nav('/');
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest) setError(rest);
      void load();
    } finally {
      setBusy(false);
    }
  };

  if (error && !ms) return <Alert type="error" title={error} />;
  if (!ms) return <Loading />;
  const current: AdaptedVersion = versions.find((v) => v.id === ms.currentVersionId) ?? ms.version!;
  const previous: AdaptedVersion | undefined = versions.find((v) => v.number === current.number - 1);
  const adapted = adaptationLines(current.adaptations, (p) => platformName(p, lang));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('审核', 'Review')}：{current.title} <Typography.Text type="secondary">v{current.number}</Typography.Text>{' '}
        <StatusTag kind="manuscript" status={ms.status} />
      </Typography.Title>
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} />}
      <Card>
        <ChainProgress ms={ms} decisions={decisions} />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card>
            <Tabs
              items={[
                {
                  key: 'version',
                  label: t('排版预览', 'Formatted article'),
                  children: (
                    <Space orientation="vertical" style={{ width: '100%' }}>
                      <ArticleView version={current} />
                      {adapted.length > 0 && (
                        <Card
                          size="small"
                          title={<h2 style={{ fontSize: 14, margin: 0 }}>{t('各平台适配', 'Per-platform adaptations')}</h2>}
                        >
                          <ul data-testid="adaptations" style={{ margin: 0, paddingLeft: 18 }}>
                            {adapted.map((l) => (
                              <li key={l}>{l}</li>
                            ))}
                          </ul>
                        </Card>
                      )}
                    </Space>
                  ),
                },
                {
                  key: 'renditions',
                  label: t('各平台版本', 'Each platform'),
                  children: !renditions ? (
                    <Loading />
                  ) : renditions.length === 0 ? (
                    <Typography.Text type="secondary">{t('本单位尚无可发布账号', 'The unit has no account to publish to')}</Typography.Text>
                  ) : (
                    <Tabs
                      data-testid="renditions"
                      size="small"
                      items={renditions.map((r) => ({
                        key: r.accountId,
                        label: <PlatformIcon platform={r.platform} lang={lang} />,
                        children: (
                          <PlatformPreview
                            item={r}
                            coverMediaId={current.adaptations?.[r.platform]?.coverMediaId ?? current.coverMediaId}
                          />
                        ),
                      }))}
                    />
                  ),
                },
                {
                  key: 'diff',
                  label: previous ? t(`与 v${previous.number} 对比`, `Changes since v${previous.number}`) : t('修改对比', 'Changes'),
                  children: previous ? (
                    <Diff pieces={diffText(versionText(previous), versionText(current))} />
                  ) : (
                    <Typography.Text type="secondary">{t('这是第一版，没有可对比的上一版本', 'This is the first version')}</Typography.Text>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('内容检查', 'Compliance')}</h2>}>
              {check ? (
                <FindingsPanel
                  blocking={check.blocking}
                  warnings={check.warnings}
                  acknowledged={acknowledged}
                  onAcknowledge={(f, on) => setAcknowledged((a) => (on ? [...a, f.id] : a.filter((x) => x !== f.id)))}
                />
              ) : (
                <Loading />
              )}
            </Card>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('审核意见', 'Decision')}</h2>}>
              <Form form={form} layout="vertical">
                <Form.Item label={t('意见', 'Comment')} name="comment">
                  <Input.TextArea rows={3} maxLength={2000} />
                </Form.Item>
              </Form>
              {ms.status === 'in_review' ? (
                <Space>
                  <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => void decide('approve')}>
                    {t('通过', 'Approve')}
                  </Button>
                  <Button
                    danger
                    icon={<CloseOutlined />}
                    loading={busy}
                    onClick={() =>
                      modal.confirm({
                        title: t('确认退回此稿件？', 'Reject this manuscript?'),
                        content: t('退回后采编需修改并重新送审。', 'The editor will have to revise and resubmit.'),
                        okText: t('退回', 'Reject'),
                        cancelText: t('取消', 'Cancel'),
                        okButtonProps: { danger: true },
                        onOk: () => decide('reject'),
                      })
                    }
                  >
                    {t('退回', 'Reject')}
                  </Button>
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('此稿件当前不在审核中', 'This manuscript is not in review')}</Typography.Text>
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
