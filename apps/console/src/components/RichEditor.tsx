import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { Button, Space, Tooltip } from 'antd';
import {
  BoldOutlined,
  ItalicOutlined,
  OrderedListOutlined,
  PictureOutlined,
  RedoOutlined,
  UndoOutlined,
  UnorderedListOutlined,
  FolderOpenOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { api, mediaUrl } from '../api/client';
import type { Finding, Media } from '../api/types';
import { MediaPicker } from './MediaPicker';
import { MediaVideo, posterFrom, type AttachedVideo } from './MediaVideo';
import { htmlSpanToDoc } from './findings-map';
import { useT } from '../lib/i18n';

export interface UploadedImage {
  id: string;
  alt: string;
}

export interface RichEditorHandle {
  html(): string;
  /** The body's images in order, then the video when there is one. */
  mediaIds(): string[];
  /** The video's poster frame when there is a video (the cover Douyin and Toutiao show), else null. */
  coverMediaId(): string | null;
  focusFinding(f: Finding): void;
  replaceFinding(f: Finding, text: string): void;
}

const findingsKey = new PluginKey<DecorationSet>('findings');

/** Highlights findings as inline decorations; a transaction with the meta replaces them. */
const FindingHighlights = Extension.create({
  name: 'findingHighlights',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: findingsKey,
        state: {
          init: () => DecorationSet.empty,
          apply: (tr, old) => (tr.getMeta(findingsKey) as DecorationSet | undefined) ?? old.map(tr.mapping, tr.doc),
        },
        props: { decorations: (state) => findingsKey.getState(state) },
      }),
    ];
  },
});

/** Images keep their media id; the bytes need the bearer token, so the editor shows them through blob URLs. */
const MediaImage = Image.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      mediaId: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-media-id'),
        renderHTML: (attrs) => (attrs.mediaId ? { 'data-media-id': attrs.mediaId } : {}),
      },
    };
  },
  addNodeView() {
    return ({ node }) => {
      const img = document.createElement('img');
      img.alt = (node.attrs.alt as string) ?? '';
      const id = node.attrs.mediaId as string | null;
      const src = node.attrs.src as string;
      if (id) img.dataset.mediaId = id;
      if (id)
        void mediaUrl(id).then(
          (u) => (img.src = u),
          () => (img.alt = `${img.alt} (无法加载)`),
        );
      else if (src) img.src = src;
      return { dom: img };
    };
  },
}).configure({ allowBase64: true });

export const mediaContentUrl = (id: string) => `${window.location.origin}/api/v1/media/${id}/content`;

/**
 * Word's clipboard HTML: paragraphs and lists survive through the schema; its styles, classes,
 * conditional comments and `file://` images (which no browser can read) are dropped here.
 */
function cleanWordHtml(html: string): string {
  return html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
    .replace(/<o:p>[\s\S]*?<\/o:p>/gi, '')
    .replace(/<img[^>]+src="file:[^"]*"[^>]*>/gi, '')
    .replace(/\s(style|class|lang)="[^"]*"/gi, '');
}

async function dataUrlToFile(src: string, i: number): Promise<File> {
  const blob = await (await fetch(src)).blob();
  return new File([blob], `pasted-${i}.${blob.type.split('/')[1] ?? 'png'}`, { type: blob.type });
}

/** An editor that has its view and is not destroyed: the only kind whose state and HTML may be read. */
function usable(editor: Editor | null): editor is Editor {
  return !!editor && !editor.isDestroyed && editor.isInitialized;
}

export function RichEditor(props: {
  value: string;
  onChange(html: string): void;
  onUpload(file: File): Promise<UploadedImage | null>;
  findings: Finding[];
  checkedHtml: string | null;
  editorRef: Ref<RichEditorHandle>;
  label: string;
  /** The saved version's media and cover: a video among them is not in the body and is shown beside it. */
  attachments?: { mediaIds: string[]; coverMediaId: string | null };
  /** Called when the video or its poster changes (they are not in the body, so onChange does not see them). */
  onMediaChange?(): void;
}) {
  const t = useT();
  const fileInput = useRef<HTMLInputElement>(null);
  const videoInput = useRef<HTMLInputElement>(null);
  const [picking, setPicking] = useState(false);
  const [video, setVideo] = useState<AttachedVideo | null>(null);
  const [posterError, setPosterError] = useState<string | null>(null);
  const videoRef = useRef<AttachedVideo | null>(null);
  videoRef.current = video;
  const onMediaChangeRef = useRef(props.onMediaChange);
  onMediaChangeRef.current = props.onMediaChange;
  const changeVideo = (v: AttachedVideo | null) => {
    videoRef.current = v;
    setVideo(v);
    onMediaChangeRef.current?.();
  };
  const uploading = useRef(new Set<string>());
  const onUploadRef = useRef(props.onUpload);
  onUploadRef.current = props.onUpload;

  const insertFiles = async (editor: Editor, files: File[], at?: number) => {
    for (const f of files.filter((x) => x.type.startsWith('image/'))) {
      const img = await onUploadRef.current(f);
      if (!img) continue;
      const content = { type: 'image', attrs: { src: mediaContentUrl(img.id), alt: img.alt, mediaId: img.id } };
      if (at !== undefined) editor.chain().focus().insertContentAt(at, content).run();
      else editor.chain().focus().insertContent(content).run();
    }
  };

  // Inline data: images (WPS and some Word versions paste them so) are uploaded and rebound.
  const adoptDataImages = (editor: Editor) => {
    editor.state.doc.descendants((node, pos) => {
      const src = node.type.name === 'image' ? String(node.attrs.src ?? '') : '';
      if (!src.startsWith('data:') || uploading.current.has(src)) return true;
      uploading.current.add(src);
      void dataUrlToFile(src, pos)
        .then((f) => onUploadRef.current(f))
        .then((img) => {
          let found = -1;
          editor.state.doc.descendants((n, p) => {
            if (found < 0 && n.type.name === 'image' && n.attrs.src === src) found = p;
            return found < 0;
          });
          if (found < 0) return;
          if (!img)
            editor
              .chain()
              .deleteRange({ from: found, to: found + 1 })
              .run();
          else
            editor.view.dispatch(
              editor.state.tr.setNodeMarkup(found, undefined, { src: mediaContentUrl(img.id), alt: img.alt, mediaId: img.id }),
            );
        })
        .finally(() => uploading.current.delete(src));
      return true;
    });
  };

  const editor = useEditor({
    extensions: [StarterKit.configure({ link: false }), MediaImage, FindingHighlights],
    content: props.value,
    editorProps: {
      attributes: { 'aria-label': props.label, role: 'textbox', 'aria-multiline': 'true', 'data-testid': 'body-editor' },
      transformPastedHTML: cleanWordHtml,
      handlePaste: (_view, event) => {
        const files = [...(event.clipboardData?.files ?? [])];
        const html = event.clipboardData?.getData('text/html');
        if (files.length && !html && editor) {
          void insertFiles(editor, files);
          return true;
        }
        return false;
      },
      handleDrop: (view, event) => {
        const files = [...((event as DragEvent).dataTransfer?.files ?? [])];
        if (!files.length || !editor) return false;
        const at = view.posAtCoords({ left: (event as DragEvent).clientX, top: (event as DragEvent).clientY })?.pos;
        void insertFiles(editor, files, at);
        return true;
      },
    },
    onUpdate: ({ editor }) => {
      adoptDataImages(editor);
      props.onChange(editor.getHTML());
    },
  });

  // A reload straight into the editor renders before the editor has a view, and a remount destroys
  // the old one: touching either throws (the white screen of a direct link). Wait for `create`.
  const [created, setCreated] = useState(0);
  useEffect(() => {
    if (!editor) return;
    const bump = () => setCreated((n) => n + 1);
    editor.on('create', bump);
    return () => void editor.off('create', bump);
  }, [editor]);

  // Findings are drawn only on the HTML they were computed from; a newer edit waits for its check.
  useEffect(() => {
    if (!usable(editor)) return;
    const html = editor.getHTML();
    const decos: Decoration[] = [];
    if (props.checkedHtml === html) {
      for (const f of props.findings) {
        if (f.field !== 'body' || f.htmlStart === undefined || f.htmlEnd === undefined) continue;
        const span = htmlSpanToDoc(html, editor.state.doc, f.htmlStart, f.htmlEnd);
        if (span)
          decos.push(
            Decoration.inline(span.from, span.to, {
              class: f.severity === 'block' ? 'tf-finding-block' : 'tf-finding-warn',
              'data-finding': f.id,
              title: f.message.zh,
            }),
          );
      }
    }
    editor.view.dispatch(
      editor.state.tr.setMeta(findingsKey, DecorationSet.create(editor.state.doc, decos)).setMeta('addToHistory', false),
    );
  }, [editor, created, props.findings, props.checkedHtml]);

  useImperativeHandle(
    props.editorRef,
    () => ({
      html: () => (usable(editor) ? editor.getHTML() : ''),
      mediaIds: () => {
        const ids: string[] = [];
        if (!usable(editor)) return ids;
        editor.state.doc.descendants((n) => {
          if (n.type.name === 'image' && n.attrs.mediaId && !ids.includes(n.attrs.mediaId)) ids.push(n.attrs.mediaId);
          return true;
        });
        if (videoRef.current) ids.push(videoRef.current.id);
        return ids;
      },
      coverMediaId: () => videoRef.current?.posterId ?? null,
      focusFinding: (f) => {
        if (!usable(editor) || f.htmlStart === undefined || f.htmlEnd === undefined) return;
        const span = htmlSpanToDoc(editor.getHTML(), editor.state.doc, f.htmlStart, f.htmlEnd);
        if (!span) return;
        // Focus now, not on tiptap's next animation frame: the key pressed right after 定位 must
        // land in the editor and replace the selection, not go to the button that was clicked.
        editor.view.focus();
        editor.chain().setTextSelection(span).scrollIntoView().run();
      },
      replaceFinding: (f, text) => {
        if (!usable(editor) || f.htmlStart === undefined || f.htmlEnd === undefined) return;
        const span = htmlSpanToDoc(editor.getHTML(), editor.state.doc, f.htmlStart, f.htmlEnd);
        if (!span) return;
        editor.view.focus();
        editor.chain().insertContentAt(span, text).run();
      },
    }),
    [editor],
  );

  // A saved manuscript's video is in its media list but not in its body: find it by kind.
  const attachKey = JSON.stringify(props.attachments ?? null);
  useEffect(() => {
    const a = props.attachments;
    if (!a) return;
    let live = true;
    void (async () => {
      for (const id of a.mediaIds) {
        const m = await api<Media>(`/media/${id}`).catch(() => null);
        if (!live) return;
        if (m?.kind === 'video') {
          const v = { id: m.id, name: m.caption || m.originalName || t('视频', 'Video'), posterId: a.coverMediaId };
          videoRef.current = v;
          setVideo(v);
          return;
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [attachKey]);

  const uploadPoster = async (file: File): Promise<string | null> => {
    const img = await onUploadRef.current(file);
    if (!img) return null;
    const v = videoRef.current;
    if (v) changeVideo({ ...v, posterId: img.id });
    setPosterError(null);
    return img.id;
  };

  const attachVideo = async (file: File) => {
    const localUrl = URL.createObjectURL(file);
    const up = await onUploadRef.current(file);
    if (!up) {
      URL.revokeObjectURL(localUrl);
      return;
    }
    changeVideo({ id: up.id, name: file.name, localUrl, posterId: null });
    // The poster: a frame a second in, captured here and uploaded as an image.
    try {
      const frame = await posterFrom(localUrl);
      await uploadPoster(new File([frame], `${file.name.replace(/\.[^.]+$/, '')}-封面.jpg`, { type: 'image/jpeg' }));
    } catch {
      setPosterError(t('无法从视频中截取画面，请从媒体库选一张图片作封面', 'Could not capture a frame; choose a poster from the library'));
    }
  };

  const insertFromLibrary = (m: Media, alt: string) => {
    setPicking(false);
    if (!usable(editor)) return;
    editor
      .chain()
      .focus()
      .insertContent({ type: 'image', attrs: { src: mediaContentUrl(m.id), alt, mediaId: m.id } })
      .run();
    // Alt text typed in the picker for an image that had none is kept in the library for next time.
    if (!m.alt && alt) void api(`/media/${m.id}`, { method: 'PATCH', body: { alt } }).catch(() => undefined);
  };

  const btn = (title: string, icon: React.ReactNode, run: () => void, active = false) => (
    <Tooltip title={title}>
      <Button size="small" type={active ? 'primary' : 'default'} aria-label={title} aria-pressed={active} icon={icon} onClick={run} />
    </Tooltip>
  );

  return (
    <div className="tf-editor">
      {editor && (
        <Space wrap style={{ marginBottom: 8 }} role="toolbar" aria-label={t('格式工具栏', 'Formatting')}>
          {btn(t('加粗', 'Bold'), <BoldOutlined />, () => editor.chain().focus().toggleBold().run(), editor.isActive('bold'))}
          {btn(t('斜体', 'Italic'), <ItalicOutlined />, () => editor.chain().focus().toggleItalic().run(), editor.isActive('italic'))}
          <Button
            size="small"
            onClick={() => editor.chain().focus().toggleHeading({ level: 2 }).run()}
            aria-pressed={editor.isActive('heading')}
          >
            {t('小标题', 'Heading')}
          </Button>
          {btn(
            t('项目列表', 'Bullet list'),
            <UnorderedListOutlined />,
            () => editor.chain().focus().toggleBulletList().run(),
            editor.isActive('bulletList'),
          )}
          {btn(
            t('编号列表', 'Numbered list'),
            <OrderedListOutlined />,
            () => editor.chain().focus().toggleOrderedList().run(),
            editor.isActive('orderedList'),
          )}
          {btn(t('撤销', 'Undo'), <UndoOutlined />, () => editor.chain().focus().undo().run())}
          {btn(t('重做', 'Redo'), <RedoOutlined />, () => editor.chain().focus().redo().run())}
          <Button size="small" icon={<PictureOutlined />} onClick={() => fileInput.current?.click()}>
            {t('插入图片', 'Insert image')}
          </Button>
          <Button size="small" icon={<FolderOpenOutlined />} onClick={() => setPicking(true)}>
            {t('从媒体库插入', 'Insert from library')}
          </Button>
          <Button size="small" icon={<VideoCameraOutlined />} onClick={() => videoInput.current?.click()}>
            {video ? t('更换视频', 'Replace video') : t('插入视频', 'Insert video')}
          </Button>
          <input
            ref={videoInput}
            type="file"
            accept="video/mp4"
            hidden
            aria-label={t('选择视频文件', 'Choose a video file')}
            data-testid="video-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void attachVideo(f);
            }}
          />
          <input
            ref={fileInput}
            type="file"
            accept="image/jpeg,image/png,image/gif,image/webp"
            multiple
            hidden
            aria-label={t('选择图片文件', 'Choose image files')}
            data-testid="image-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              void insertFiles(editor, files);
            }}
          />
        </Space>
      )}
      {video && (
        <MediaVideo
          video={video}
          posterError={posterError}
          onPoster={uploadPoster}
          onPosterPicked={(m) => {
            changeVideo({ ...video, posterId: m.id });
            setPosterError(null);
          }}
          onRemove={() => {
            if (video.localUrl) URL.revokeObjectURL(video.localUrl);
            changeVideo(null);
          }}
        />
      )}
      <EditorContent editor={editor} />
      <MediaPicker open={picking} onClose={() => setPicking(false)} onPick={insertFromLibrary} />
    </div>
  );
}
