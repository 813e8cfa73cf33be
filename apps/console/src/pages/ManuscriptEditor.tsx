import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, Progress, Radio, Row, Select, Space, Typography } from 'antd';
import { EyeOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { api, upload } from '../api/client';
import type { CheckResult, Manuscript, Media, Source } from '../api/types';
import { RichEditor, type RichEditorHandle } from '../components/RichEditor';
import { FindingsPanel } from '../components/FindingsPanel';
import { PlannedTime } from '../components/PlannedTime';
import { Loading } from '../components/Loading';
import { AdaptationPanel } from '../components/AdaptationPanel';
import { adaptationErrors, type Adaptations, type AdaptedVersion } from '../lib/adaptations';
import { useLang, useT } from '../lib/i18n';
import { CATEGORY } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';
import { useSession } from '../lib/session';
import { dropLocalDraft, readLocalDraft, writeLocalDraft, type LocalDraft } from '../lib/local-draft';
import { formatLocalTime } from '../lib/beijing-time';

interface Fields {
  title: string;
  summary: string;
  category: string;
  source: Source;
}

const AUTOSAVE_MS = 4000;
const CHECK_MS = 700;

export default function ManuscriptEditor() {
  const { id: routeId } = useParams();
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { me } = useSession();
  const userId = me?.id ?? null;
  const [form] = Form.useForm<Fields>();
  // A new manuscript's text kept in this browser before it reached the hub (read once, before the editor mounts).
  const [restoredNew] = useState<LocalDraft | null>(() => (!routeId && userId ? readLocalDraft(userId, null) : null));
  const [restoredAt, setRestoredAt] = useState<number | null>(restoredNew?.savedAt ?? null);
  /** The hub's version the editor's text is based on (null before the first save). */
  const baseVersion = useRef<number | null>(null);
  const editorRef = useRef<RichEditorHandle>(null);
  const [id, setId] = useState<string | null>(routeId ?? null);
  const idRef = useRef(id);
  idRef.current = id;
  const [loaded, setLoaded] = useState<Manuscript | null>(null);
  const [loading, setLoading] = useState(!!routeId);
  const [error, setError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<'saved' | 'dirty' | 'saving'>('saved');
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [checkedHtml, setCheckedHtml] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const media = useRef(new Map<string, Media>());
  const dirty = useRef(false);
  const saving = useRef<Promise<string | null> | null>(null);
  const timers = useRef<{ save?: number; check?: number }>({});
  const [initialHtml, setInitialHtml] = useState(restoredNew?.body || '<p></p>');
  const [attachments, setAttachments] = useState<{ mediaIds: string[]; coverMediaId: string | null } | undefined>(
    restoredNew ? { mediaIds: restoredNew.mediaIds, coverMediaId: restoredNew.coverMediaId ?? null } : undefined,
  );
  const sourceType = Form.useWatch(['source', 'type'], form);
  // 各平台适配: per-platform overrides saved with the version (null when there are none).
  const adaptations = useRef<Adaptations>(restoredNew?.adaptations ?? {});
  const [adaptationView, setAdaptationView] = useState<Adaptations>(restoredNew?.adaptations ?? {});
  const [adaptationProblems, setAdaptationProblems] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!routeId) return;
    api<Manuscript>(`/manuscripts/${routeId}`)
      .then(async (m) => {
        setLoaded(m);
        baseVersion.current = m.currentVersionNumber;
        // Changes typed on this version and not yet saved to the hub come back; on an older version they are stale.
        let local = userId ? readLocalDraft(userId, routeId) : null;
        if (local && local.baseVersion !== m.currentVersionNumber) {
          dropLocalDraft(userId!, routeId);
          local = null;
        }
        const v = m.version!;
        const shown = local ?? {
          title: v.title,
          summary: v.summary,
          category: v.category,
          source: v.source,
          body: v.bodyHtml,
          mediaIds: v.mediaIds,
          coverMediaId: v.coverMediaId ?? null,
          adaptations: (v as AdaptedVersion).adaptations ?? {},
        };
        form.setFieldsValue({ title: shown.title, summary: shown.summary, category: shown.category, source: shown.source });
        setInitialHtml(shown.body || '<p></p>');
        setAttachments({ mediaIds: shown.mediaIds, coverMediaId: shown.coverMediaId ?? null });
        adaptations.current = shown.adaptations ?? {};
        setAdaptationView(adaptations.current);
        if (local) {
          dirty.current = true;
          setSaveState('dirty');
          setRestoredAt(local.savedAt);
          // The hub gets the restored text by the ordinary autosave.
          timers.current.save = window.setTimeout(() => void saveRef.current?.(false), AUTOSAVE_MS);
        }
        for (const mid of shown.mediaIds) media.current.set(mid, await api<Media>(`/media/${mid}`).catch(() => ({ id: mid }) as Media));
      })
      .catch((e) => setError(errorText(e)))
      .finally(() => setLoading(false));
  }, [routeId, form, userId]);

  // A restored new draft: its images' facts for the checks, and the hub gets it as soon as it has a title.
  useEffect(() => {
    if (!restoredNew) return;
    dirty.current = true;
    setSaveState('dirty');
    timers.current.save = window.setTimeout(() => void saveRef.current?.(false), AUTOSAVE_MS);
    for (const mid of restoredNew.mediaIds)
      void api<Media>(`/media/${mid}`).then(
        (m) => media.current.set(mid, m),
        () => undefined,
      );
  }, [restoredNew]);

  const payload = () => {
    const v = form.getFieldsValue(true) as Fields;
    const mediaIds = editorRef.current?.mediaIds() ?? [];
    // A video's cover is its poster frame; otherwise the first image, as before.
    const cover = editorRef.current?.coverMediaId() ?? mediaIds.find((m) => media.current.get(m)?.kind !== 'video');
    const source: Source = v.source?.type === 'reprint' ? v.source : { type: 'original' };
    return {
      title: v.title ?? '',
      summary: v.summary ?? '',
      body: editorRef.current?.html() ?? '',
      category: v.category,
      source,
      mediaIds,
      ...(cover ? { coverMediaId: cover } : {}),
      adaptations: Object.keys(adaptations.current).length ? adaptations.current : null,
    };
  };

  const runCheck = useCallback(async () => {
    const p = payload();
    setChecking(true);
    try {
      const images = p.mediaIds
        .map((m) => media.current.get(m))
        .filter((m): m is Media => !!m?.width && m.kind === 'image')
        .map((m) => ({ width: m.width!, height: m.height!, bytes: m.bytes, format: m.mime.split('/')[1] ?? 'jpeg', hasExif: false }));
      const res = await api<CheckResult>('/compliance/check', {
        body: { title: p.title || undefined, summary: p.summary || undefined, bodyHtml: p.body, source: p.source, images },
      });
      setCheck(res);
      setCheckedHtml(p.body);
    } catch {
      /* a failed live check is retried on the next edit */
    } finally {
      setChecking(false);
    }
  }, []);

  /** Saves a version (POST for a new manuscript, PATCH after); returns the id. */
  const save = useCallback(
    async (explicit: boolean): Promise<string | null> => {
      if (saving.current) await saving.current;
      if (!dirty.current && id) return id;
      const p = payload();
      if (!p.title.trim() || !p.category) {
        if (explicit) await form.validateFields();
        return null;
      }
      dirty.current = false;
      setSaveState('saving');
      const run = (async () => {
        try {
          if (id) {
            const m = await api<Manuscript>(`/manuscripts/${id}`, { method: 'PATCH', body: p });
            kept(id, m.currentVersionNumber);
            setSaveState(dirty.current ? 'dirty' : 'saved');
            return id;
          }
          const m = await api<Manuscript>('/manuscripts', { body: p });
          if (userId) dropLocalDraft(userId, null);
          setId(m.id);
          setLoaded(m);
          kept(m.id, m.currentVersionNumber);
          window.history.replaceState(null, '', `/manuscripts/${m.id}/edit`);
          setSaveState(dirty.current ? 'dirty' : 'saved');
          return m.id;
        } catch (e) {
          dirty.current = true;
          setSaveState('dirty');
          setAdaptationProblems(adaptationErrors(e));
          const rest = applyFieldErrors(form, e);
          if (rest) setError(rest);
          return null;
        } finally {
          saving.current = null;
        }
      })();
      saving.current = run;
      return run;
    },
    [id, form, userId],
  );

  const saveRef = useRef(save);
  saveRef.current = save;

  /** Writes what the editor holds to this browser (from the first keystroke, title or not). */
  const keepLocally = (forId: string | null) => {
    if (!userId) return;
    const p = payload();
    writeLocalDraft(userId, forId, {
      title: p.title,
      summary: p.summary,
      category: p.category,
      source: p.source,
      body: p.body,
      mediaIds: p.mediaIds,
      coverMediaId: p.coverMediaId ?? null,
      adaptations: p.adaptations,
      savedAt: Date.now(),
      baseVersion: baseVersion.current,
    });
  };
  /** The hub now holds version `n`: the local copy goes, unless more was typed meanwhile. */
  const kept = (forId: string, n: number) => {
    baseVersion.current = n;
    if (!userId) return;
    if (dirty.current) keepLocally(forId);
    else dropLocalDraft(userId, forId);
  };

  const changed = () => {
    dirty.current = true;
    setSaveState('dirty');
    keepLocally(idRef.current);
    window.clearTimeout(timers.current.check);
    timers.current.check = window.setTimeout(() => void runCheck(), CHECK_MS);
    window.clearTimeout(timers.current.save);
    timers.current.save = window.setTimeout(() => void save(false), AUTOSAVE_MS);
  };

  useEffect(() => {
    const ts = timers.current;
    return () => {
      window.clearTimeout(ts.check);
      window.clearTimeout(ts.save);
    };
  }, []);
  useEffect(() => {
    if (!loading) void runCheck();
  }, [loading, runCheck]);

  const onUpload = async (file: File) => {
    setProgress(0);
    try {
      const m = await upload<Media>('/media', file, setProgress);
      media.current.set(m.id, m);
      message.success(t(`已上传 ${file.name}`, `Uploaded ${file.name}`));
      return { id: m.id, alt: file.name.replace(/\.[^.]+$/, '') };
    } catch (e) {
      message.error(`${t('上传失败', 'Upload failed')}：${errorText(e)}`);
      return null;
    } finally {
      setProgress(null);
    }
  };

  const submit = async () => {
    const saved = await save(true);
    if (!saved) return;
    try {
      await api(`/manuscripts/${saved}/submit`, { method: 'POST' });
      message.success(t('已送审', 'Submitted for review'));
      nav(`/manuscripts/${saved}`);
    } catch (e) {
      setError(errorText(e));
      void runCheck();
    }
  };

  if (loading) return <Loading />;
  const locked = loaded && loaded.status === 'in_review';
  const blocking = check?.blocking ?? [];
  // The hub's 送审 rule (the same the submission applies): what must be fixed, what the reviewer decides.
  const rule = check?.submit ?? { allowed: blocking.length === 0, mustFix: blocking.map((f) => f.id), forReviewer: [] };
  const submitHint = locked
    ? null
    : rule.mustFix.length
      ? t(
          `须先修改 ${rule.mustFix.length} 处问题才能送审（见右侧内容检查）`,
          `Fix ${rule.mustFix.length} problem(s) before submitting (see the checks)`,
        )
      : rule.forReviewer.length
        ? t(
            `含 ${rule.forReviewer.length} 处个人信息：可以送审，由审核人确认是否有意公开`,
            `${rule.forReviewer.length} item(s) of personal data: you may submit; the reviewer decides whether it is intended`,
          )
        : null;

  return (
    <div>
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 16 }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {id ? t('编辑稿件', 'Edit manuscript') : t('写稿', 'New manuscript')}
          {loaded && (
            <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>{`v${loaded.currentVersionNumber}`}</Typography.Text>
          )}
        </Typography.Title>
        <Space>
          <Typography.Text type="secondary" role="status" data-testid="save-state">
            {saveState === 'saving'
              ? t('保存中…', 'Saving…')
              : saveState === 'dirty'
                ? t('有未保存的修改', 'Unsaved changes')
                : id
                  ? t('已自动保存', 'Saved')
                  : ''}
          </Typography.Text>
          <Button icon={<SaveOutlined />} onClick={() => void save(true)} data-testid="save-manuscript">
            {t('保存', 'Save')}
          </Button>
          <Button
            icon={<EyeOutlined />}
            onClick={async () => {
              const saved = await save(true);
              if (saved) nav(`/manuscripts/${saved}/preview`);
            }}
          >
            {t('各平台预览', 'Preview on platforms')}
          </Button>
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={!rule.allowed || !!locked}
            aria-describedby={submitHint ? 'submit-hint' : undefined}
            onClick={() => void submit()}
          >
            {t('送审', 'Submit for review')}
          </Button>
        </Space>
      </Space>
      {submitHint && (
        <Alert
          id="submit-hint"
          data-testid="submit-hint"
          type={rule.allowed ? 'info' : 'warning'}
          showIcon
          title={submitHint}
          style={{ marginBottom: 12 }}
        />
      )}
      {locked && (
        <Alert
          type="info"
          title={t('稿件审核中，修改将生成新版本并重新送审', 'In review: a change makes a new version that must be reviewed again')}
          style={{ marginBottom: 12 }}
        />
      )}
      {restoredAt && (
        <Alert
          type="info"
          showIcon
          data-testid="restored-draft"
          style={{ marginBottom: 12 }}
          title={t(
            `已恢复本浏览器中尚未保存的修改（${formatLocalTime(new Date(restoredAt).toISOString(), lang)}）`,
            `Unsaved changes kept in this browser were restored (${formatLocalTime(new Date(restoredAt).toISOString(), lang)})`,
          )}
          action={
            <Button
              size="small"
              onClick={() => {
                if (userId) dropLocalDraft(userId, id);
                window.location.reload();
              }}
            >
              {t('放弃这些修改', 'Discard them')}
            </Button>
          }
        />
      )}
      {error && <Alert type="error" role="alert" closable onClose={() => setError(null)} title={error} style={{ marginBottom: 12 }} />}
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card>
            <Form
              form={form}
              layout="vertical"
              initialValues={
                restoredNew
                  ? {
                      title: restoredNew.title,
                      summary: restoredNew.summary,
                      category: restoredNew.category ?? 'news',
                      source: restoredNew.source ?? { type: 'original' },
                    }
                  : { category: 'news', source: { type: 'original' }, summary: '' }
              }
              onValuesChange={changed}
            >
              <Form.Item label={t('标题', 'Title')} name="title" rules={[{ required: true, message: t('请输入标题', 'Enter a title') }]}>
                <Input maxLength={200} showCount />
              </Form.Item>
              <Form.Item label={t('摘要', 'Summary')} name="summary">
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
              <Row gutter={16}>
                <Col span={12}>
                  <Form.Item label={t('类别', 'Category')} name="category" rules={[{ required: true }]}>
                    <Select options={Object.entries(CATEGORY).map(([value, l]) => ({ value, label: l[lang === 'zh' ? 0 : 1] }))} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label={t('来源', 'Source')} name={['source', 'type']}>
                    <Radio.Group
                      options={[
                        { value: 'original', label: t('原创', 'Original') },
                        { value: 'reprint', label: t('转载', 'Reprint') },
                      ]}
                    />
                  </Form.Item>
                </Col>
              </Row>
              {sourceType === 'reprint' && (
                <Row gutter={16}>
                  <Col span={12}>
                    <Form.Item
                      label={t('稿源单位', 'Source unit')}
                      name={['source', 'unitName']}
                      rules={[{ required: true, message: t('转载须注明稿源单位', 'Required for reprints') }]}
                    >
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item label={t('原文链接', 'Original URL')} name={['source', 'url']}>
                      <Input type="url" />
                    </Form.Item>
                  </Col>
                </Row>
              )}
            </Form>
            <Typography.Text strong id="body-label">
              {t('正文', 'Body')}
            </Typography.Text>
            {progress !== null && (
              <Progress percent={progress} size="small" aria-label={t('上传进度', 'Upload progress')} data-testid="upload-progress" />
            )}
            <RichEditor
              label={t('正文', 'Body')}
              value={initialHtml}
              onChange={changed}
              onUpload={onUpload}
              findings={[...blocking, ...(check?.warnings ?? [])]}
              checkedHtml={checkedHtml}
              editorRef={editorRef}
              attachments={attachments}
              onMediaChange={changed}
            />
          </Card>
          <Card
            style={{ marginTop: 16 }}
            title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('各平台适配', 'Per-platform adaptations')}</h2>}
          >
            <AdaptationPanel
              value={adaptationView}
              errors={adaptationProblems}
              images={[...media.current.values()].map((m, i) => ({ id: m.id, label: t(`图片 ${i + 1}`, `Image ${i + 1}`) }))}
              onChange={(next) => {
                adaptations.current = next;
                setAdaptationView(next);
                setAdaptationProblems({});
                changed();
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('内容检查（五关）', 'Compliance checks')}</h2>}>
            <FindingsPanel
              forReviewer={rule.forReviewer}
              blocking={blocking}
              warnings={check?.warnings ?? []}
              checking={checking && !check}
              onLocate={(f) => editorRef.current?.focusFinding(f)}
              onApply={(f) => f.suggestion && editorRef.current?.replaceFinding(f, f.suggestion)}
            />
          </Card>
          {id && <PlannedTime manuscriptId={id} />}
        </Col>
      </Row>
    </div>
  );
}
