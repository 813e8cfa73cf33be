import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, TreeSelect } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { api, qs } from '../api/client';
import type { QaChannelAnswers, QaEntryDetail, QaPolicyBasis, QaSearchResult } from '../api/types';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { applyFieldErrors, errorText } from '../lib/forms';
import { useQaLookups } from '../lib/qa';
import { htmlToText } from '../lib/diff';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { QaSearchBox } from '../components/QaSearchBox';

interface SimilarQuestion {
  text: string;
  count: number;
  lastAskedAt: string;
  similarity: number;
  answeredWithEntry: boolean;
}

/**
 * 群众问法建议: how citizens of the owner unit's subtree asked questions like this one (through
 * websites and hotlines; GET /qa/similar-questions), offered to add as similar questions. Those
 * already in the list are not offered again.
 */
function SimilarQuestionSuggestions({
  question,
  unitId,
  entryId,
  present,
  onAdd,
}: {
  question?: string;
  unitId?: string;
  entryId?: string;
  present: string[];
  onAdd: (text: string) => void;
}) {
  const t = useT();
  const [items, setItems] = useState<SimilarQuestion[]>([]);
  useEffect(() => {
    const q = question?.trim();
    if (!q || !unitId) {
      setItems([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api<{ items: SimilarQuestion[] }>(`/qa/similar-questions${qs({ q, unitId, entryId })}`)
        .then((r) => live && setItems(r.items))
        .catch(() => live && setItems([]));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [question, unitId, entryId]);
  const shown = items.filter((i) => !present.includes(i.text.trim()));
  if (shown.length === 0) return null;
  return (
    <div data-testid="qa-similar-suggestions">
      <div style={{ color: 'rgba(0,0,0,0.65)', marginBottom: 4 }}>
        {t('群众这样问过（点击加入相似问法）：', 'Citizens asked it this way (click to add):')}
      </div>
      <Space wrap>
        {shown.map((i) => (
          <Button key={i.text} size="small" icon={<PlusOutlined />} onClick={() => onAdd(i.text)}>
            {i.text}
            <span style={{ color: 'rgba(0,0,0,0.65)' }}>
              {' '}
              {i.answeredWithEntry
                ? t(`· 经本条解答 ${i.count} 次`, `· answered by this entry, ${i.count}×`)
                : t(`· ${i.count} 次`, `· ${i.count}×`)}
            </span>
          </Button>
        ))}
      </Space>
    </div>
  );
}

interface FormValues {
  question: string;
  similarQuestions: string[];
  answer: string;
  channelAnswers: QaChannelAnswers;
  category?: string | null;
  keywords: string[];
  policyBasis: QaPolicyBasis[];
  /** YYYY-MM-DD from the date inputs; a day starts at 00:00 Beijing time. */
  effectiveFrom?: string;
  effectiveUntil?: string;
  internalNote?: string;
  unitId?: string;
  overridesEntryId?: string | null;
}

/**
 * 替代上级答问: searches what the chosen unit's citizens get now (GET /qa/search as a trial) and
 * offers those entries, so a county picks the ancestor's entry it replaces by asking its question.
 * The hub accepts only a published entry of a strict ancestor and names this field otherwise.
 */
function OverridePicker({
  id,
  unitId,
  value,
  onChange,
  initialLabel,
}: {
  /** From Form.Item, so its label names the picker. */
  id?: string;
  unitId?: string;
  value?: string | null;
  onChange?: (v: string | null) => void;
  initialLabel?: string;
}) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [searching, setSearching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const search = (text: string) => {
    if (timer.current) clearTimeout(timer.current);
    if (!text.trim()) return;
    timer.current = setTimeout(() => {
      setSearching(true);
      api<QaSearchResult>(`/qa/search${qs({ q: text.trim(), unitId, limit: 10, trial: true })}`)
        .then((r) => setOptions([...r.items, ...r.suggestions].map((a) => ({ value: a.entryId, label: a.question }))))
        .catch(() => setOptions([]))
        .finally(() => setSearching(false));
    }, 300);
  };
  const shown = value && !options.some((o) => o.value === value) ? [{ value, label: initialLabel ?? value }, ...options] : options;
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: search }}
      allowClear
      loading={searching}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={shown}
      placeholder={t('输入上级答问的问题来查找', 'Type the ancestor entry’s question to find it')}
      notFoundContent={searching ? t('查找中…', 'Searching…') : t('输入问题查找', 'Type a question')}
      data-testid="qa-override-picker"
    />
  );
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The answer is edited as plain paragraphs: one line, one <p>. The hub sanitizes whatever arrives. */
const toHtml = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('');

const toDay = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : undefined);
const fromDay = (day: string | undefined) => (day ? `${day}T00:00:00+08:00` : null);
const blankToNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

/** 写答问 / 修改答问: save keeps a draft, 送审 sends the saved version to the unit's qa review chain. */
export default function QaEditor() {
  const t = useT();
  const { message } = App.useApp();
  const { id } = useParams();
  const [params] = useSearchParams();
  const nav = useNavigate();
  const { me } = useSession();
  const lookups = useQaLookups();
  const [form] = Form.useForm<FormValues>();
  const [entry, setEntry] = useState<QaEntryDetail | null>(null);
  const [loading, setLoading] = useState(!!id);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fromGap = params.get('fromGap') ?? undefined;
  const unitId = Form.useWatch('unitId', form) ?? entry?.unitId ?? me?.unitId;
  const question = Form.useWatch('question', form);
  const similar = Form.useWatch('similarQuestions', form);

  useEffect(() => {
    if (!id) {
      form.setFieldsValue({
        question: params.get('question') ?? '',
        similarQuestions: [],
        keywords: [],
        policyBasis: [],
        unitId: params.get('unitId') ?? me?.unitId,
      });
      return;
    }
    api<QaEntryDetail>(`/qa/entries/${id}`)
      .then((e) => {
        setEntry(e);
        const v = e.current;
        form.setFieldsValue({
          question: v.question,
          similarQuestions: v.similarQuestions,
          answer: htmlToText(v.answerHtml),
          channelAnswers: v.channelAnswers,
          category: v.categoryId,
          keywords: v.keywords,
          policyBasis: v.policyBasis,
          effectiveFrom: toDay(v.effectiveFrom),
          effectiveUntil: toDay(v.effectiveUntil),
          internalNote: v.internalNote ?? undefined,
          overridesEntryId: e.overridesEntryId,
        });
      })
      .catch((e) => setError(errorText(e)))
      .finally(() => setLoading(false));
    // The form is filled once per entry; later param changes do not reset what the editor typed.
  }, [id]);

  const body = (v: FormValues) => ({
    question: v.question,
    similarQuestions: (v.similarQuestions ?? []).map((s) => s?.trim()).filter(Boolean),
    answer: toHtml(v.answer ?? ''),
    channelAnswers: {
      newMedia: blankToNull(v.channelAnswers?.newMedia),
      web: blankToNull(v.channelAnswers?.web),
      hotline: blankToNull(v.channelAnswers?.hotline),
    },
    category: v.category ?? null,
    keywords: v.keywords ?? [],
    policyBasis: (v.policyBasis ?? []).map((p) => ({ title: p.title, docNumber: blankToNull(p.docNumber), url: blankToNull(p.url) })),
    effectiveFrom: fromDay(v.effectiveFrom),
    effectiveUntil: fromDay(v.effectiveUntil),
    internalNote: blankToNull(v.internalNote),
    overridesEntryId: v.overridesEntryId ?? null,
  });

  const save = async (andSubmit: boolean) => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(andSubmit ? 'submit' : 'save');
    setError(null);
    try {
      const saved = id
        ? await api<QaEntryDetail>(`/qa/entries/${id}`, { method: 'PATCH', body: body(values) })
        : await api<QaEntryDetail>('/qa/entries', { body: { ...body(values), unitId: values.unitId, fromGap } });
      if (andSubmit) {
        await api(`/qa/entries/${saved.id}/submit`, { method: 'POST' });
        message.success(t('已送审', 'Submitted for review'));
        nav(`/qa/${saved.id}`);
      } else {
        message.success(t('已保存草稿', 'Draft saved'));
        if (!id) nav(`/qa/${saved.id}/edit`, { replace: true });
      }
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(null);
    }
  };

  if (loading) return <Loading />;
  const editable = !entry || entry.status === 'draft' || entry.status === 'published';
  return (
    <div>
      <PageHeader title={id ? t('修改答问', 'Edit entry') : t('写答问', 'New entry')} />
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} />}
      {entry && !editable && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={t('这条答问正在审核或已归档，现在不能修改', 'This entry is in review or archived and cannot be edited now')}
        />
      )}
      {entry?.status === 'published' && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={t(
            '修改会生成新版本；新版本审核通过前，群众仍会看到当前已发布的版本',
            'Saving makes a new version; citizens keep getting the published one until it is approved',
          )}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card>
            <Form<FormValues> form={form} layout="vertical" disabled={!editable}>
              {!id && lookups.unitOptions.length > 1 && (
                <Form.Item name="unitId" label={t('所属单位', 'Owner unit')}>
                  <TreeSelect
                    treeData={lookups.unitTree}
                    treeDefaultExpandAll
                    showSearch={{ treeNodeFilterProp: 'title' }}
                    data-testid="qa-unit-picker"
                  />
                </Form.Item>
              )}
              <Form.Item
                name="overridesEntryId"
                label={t('替代上级答问（可选）', 'Overrides an ancestor’s entry (optional)')}
                extra={t(
                  '本单位及下级单位的群众将看到这条答问，而不是上级的那条',
                  'Citizens of this unit and below get this entry instead of the ancestor’s',
                )}
              >
                <OverridePicker unitId={unitId} initialLabel={t('已选的上级答问', 'The chosen ancestor entry')} />
              </Form.Item>
              <Form.Item
                name="question"
                label={t('标准问题', 'Standard question')}
                rules={[{ required: true, message: t('请填写标准问题', 'Enter the standard question') }]}
              >
                <Input maxLength={300} />
              </Form.Item>
              <Form.List name="similarQuestions">
                {(fields, { add, remove }) => (
                  <Form.Item label={t('相似问法', 'Similar questions')}>
                    <Space orientation="vertical" style={{ width: '100%' }}>
                      {fields.map((f, i) => (
                        <Space.Compact key={f.key} style={{ width: '100%' }}>
                          <Form.Item
                            name={f.name}
                            noStyle
                            rules={[{ required: true, whitespace: true, message: t('请填写或删除这一行', 'Fill in or remove this row') }]}
                          >
                            <Input aria-label={t(`相似问法 ${i + 1}`, `Similar question ${i + 1}`)} maxLength={300} />
                          </Form.Item>
                          <Button
                            aria-label={t(`删除相似问法 ${i + 1}`, `Remove similar question ${i + 1}`)}
                            icon={<MinusCircleOutlined />}
                            onClick={() => remove(f.name)}
                          />
                        </Space.Compact>
                      ))}
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                        {t('添加相似问法', 'Add a similar question')}
                      </Button>
                      <SimilarQuestionSuggestions
                        question={question}
                        unitId={unitId}
                        entryId={id}
                        present={[question ?? '', ...(similar ?? [])].map((x) => (x ?? '').trim())}
                        onAdd={(text) => add(text)}
                      />
                    </Space>
                  </Form.Item>
                )}
              </Form.List>
              <Form.Item
                name="answer"
                label={t('答案', 'Answer')}
                extra={t('每行一段', 'One paragraph per line')}
                rules={[{ required: true, whitespace: true, message: t('请填写答案', 'Enter the answer') }]}
              >
                <Input.TextArea autoSize={{ minRows: 5, maxRows: 16 }} maxLength={20000} />
              </Form.Item>
              <Row gutter={12}>
                {(
                  [
                    ['newMedia', t('新媒体简短答案', 'Short answer: new media')],
                    ['web', t('网站简短答案', 'Short answer: website')],
                    ['hotline', t('热线口播答案', 'Short answer: hotline')],
                  ] as const
                ).map(([k, l]) => (
                  <Col xs={24} md={8} key={k}>
                    <Form.Item name={['channelAnswers', k]} label={l}>
                      <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name="category" label={t('分类', 'Category')}>
                    <TreeSelect
                      allowClear
                      treeData={lookups.categoryTree}
                      treeDefaultExpandAll
                      showSearch={{ treeNodeFilterProp: 'title' }}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="keywords" label={t('关键词', 'Keywords')}>
                    <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.List name="policyBasis">
                {(fields, { add, remove }) => (
                  <Form.Item label={t('政策依据', 'Policy basis')}>
                    <Space orientation="vertical" style={{ width: '100%' }}>
                      {fields.map((f, i) => (
                        <Row gutter={8} key={f.key} align="top">
                          <Col xs={24} md={9}>
                            <Form.Item
                              name={[f.name, 'title']}
                              rules={[{ required: true, whitespace: true, message: t('请填写文件标题', 'Enter the title') }]}
                            >
                              <Input
                                aria-label={t(`政策依据 ${i + 1} 标题`, `Basis ${i + 1} title`)}
                                placeholder={t('文件标题', 'Title')}
                                maxLength={300}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={24} md={6}>
                            <Form.Item name={[f.name, 'docNumber']}>
                              <Input
                                aria-label={t(`政策依据 ${i + 1} 文号`, `Basis ${i + 1} document number`)}
                                placeholder={t('文号', 'Doc. number')}
                                maxLength={100}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={20} md={7}>
                            <Form.Item name={[f.name, 'url']}>
                              <Input
                                aria-label={t(`政策依据 ${i + 1} 链接`, `Basis ${i + 1} URL`)}
                                placeholder="https://"
                                maxLength={500}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={4} md={2}>
                            <Button
                              aria-label={t(`删除政策依据 ${i + 1}`, `Remove basis ${i + 1}`)}
                              icon={<MinusCircleOutlined />}
                              onClick={() => remove(f.name)}
                            />
                          </Col>
                        </Row>
                      ))}
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '' })}>
                        {t('添加政策依据', 'Add a policy basis')}
                      </Button>
                    </Space>
                  </Form.Item>
                )}
              </Form.List>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name="effectiveFrom" label={t('生效日期', 'Effective from')}>
                    <Input type="date" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="effectiveUntil"
                    label={t('失效日期', 'Effective until')}
                    extra={t('到期自动停止提供，提前 30 天提醒', 'Leaves search on that day; reminder 30 days before')}
                  >
                    <Input type="date" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="internalNote" label={t('内部备注（不对外）', 'Internal note (never public)')}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
              </Form.Item>
              <Space wrap>
                <Button onClick={() => void save(false)} loading={busy === 'save'} disabled={!!busy || !editable}>
                  {t('保存草稿', 'Save draft')}
                </Button>
                <Button type="primary" onClick={() => void save(true)} loading={busy === 'submit'} disabled={!!busy || !editable}>
                  {t('保存并送审', 'Save and submit')}
                </Button>
                {id && <Button onClick={() => nav(`/qa/${id}`)}>{t('查看', 'View')}</Button>}
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <QaSearchBox unitId={unitId} />
        </Col>
      </Row>
    </div>
  );
}
