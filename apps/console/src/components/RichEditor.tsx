import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
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
} from '@ant-design/icons';
import { mediaUrl } from '../api/client';
import type { Finding } from '../api/types';
import { htmlSpanToDoc } from './findings-map';
import { useT } from '../lib/i18n';

export interface UploadedImage {
  id: string;
  alt: string;
}

export interface RichEditorHandle {
  html(): string;
  mediaIds(): string[];
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

export function RichEditor(props: {
  value: string;
  onChange(html: string): void;
  onUpload(file: File): Promise<UploadedImage | null>;
  findings: Finding[];
  checkedHtml: string | null;
  editorRef: Ref<RichEditorHandle>;
  label: string;
}) {
  const t = useT();
  const fileInput = useRef<HTMLInputElement>(null);
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

  // Findings are drawn only on the HTML they were computed from; a newer edit waits for its check.
  useEffect(() => {
    if (!editor) return;
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
  }, [editor, props.findings, props.checkedHtml]);

  useImperativeHandle(
    props.editorRef,
    () => ({
      html: () => editor?.getHTML() ?? '',
      mediaIds: () => {
        const ids: string[] = [];
        editor?.state.doc.descendants((n) => {
          if (n.type.name === 'image' && n.attrs.mediaId && !ids.includes(n.attrs.mediaId)) ids.push(n.attrs.mediaId);
          return true;
        });
        return ids;
      },
      focusFinding: (f) => {
        if (!editor || f.htmlStart === undefined || f.htmlEnd === undefined) return;
        const span = htmlSpanToDoc(editor.getHTML(), editor.state.doc, f.htmlStart, f.htmlEnd);
        if (span) editor.chain().focus().setTextSelection(span).scrollIntoView().run();
      },
      replaceFinding: (f, text) => {
        if (!editor || f.htmlStart === undefined || f.htmlEnd === undefined) return;
        const span = htmlSpanToDoc(editor.getHTML(), editor.state.doc, f.htmlStart, f.htmlEnd);
        if (span) editor.chain().focus().insertContentAt(span, text).run();
      },
    }),
    [editor],
  );

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
      <EditorContent editor={editor} />
    </div>
  );
}
