// The staff interface's rich-text editor. It takes over every
// <textarea data-trinh-soan> of a form, keeps the textarea's value in step
// (so the form posts HTML as before), and falls back to the plain textarea
// when JavaScript is off. Pasting from Microsoft Word and Google Docs keeps
// headings, lists, tables, links and images and drops their styling; the
// server sanitises the result again whatever this script does.
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { TableKit } from '@tiptap/extension-table';

// Word writes list items as paragraphs styled "mso-list:l0 level2 lfo1",
// each starting with its bullet or number inside [if !supportLists]
// comments; turn runs of them into nested lists (the server does the same).
export function wordLists(html) {
  if (!/mso-list/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const isItem = (el) => el && el.nodeType === 1 && el.tagName === 'P' && /mso-list:\s*l\d/i.test(el.getAttribute('style') || '');
  const items = Array.from(doc.body.querySelectorAll('p')).filter(isItem);
  const done = new Set();
  for (const first of items) {
    if (done.has(first)) continue;
    const run = [];
    for (let el = first; el; el = el.nextElementSibling) {
      if (!isItem(el)) break;
      run.push(el);
      done.add(el);
    }
    let root = null;
    const stack = [];
    for (const p of run) {
      const m = /level(\d+)/i.exec(p.getAttribute('style') || '');
      const depth = m ? parseInt(m[1], 10) : 1;
      const marker = takeMarker(p);
      const ordered = /^\(?([0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]$/.test(marker);
      while (stack.length && stack[stack.length - 1].depth > depth) stack.pop();
      if (!stack.length || stack[stack.length - 1].depth < depth) {
        const list = doc.createElement(ordered ? 'ol' : 'ul');
        if (!stack.length) {
          root = root || list;
          stack.push({ depth, list: root });
        } else {
          const parent = stack[stack.length - 1].list;
          (parent.lastElementChild || parent).appendChild(list);
          stack.push({ depth, list });
        }
      }
      const li = doc.createElement('li');
      while (p.firstChild) li.appendChild(p.firstChild);
      stack[stack.length - 1].list.appendChild(li);
    }
    first.parentNode.insertBefore(root, first);
    run.forEach((p) => p.remove());
  }
  return doc.body.innerHTML;
}

function takeMarker(p) {
  const walker = p.ownerDocument.createTreeWalker(p, NodeFilter.SHOW_COMMENT);
  let start = null;
  let end = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!start && /supportLists/i.test(n.data)) start = n;
    else if (start && /endif/i.test(n.data)) { end = n; break; }
  }
  if (!start || !end || start.parentNode !== end.parentNode) {
    // Some browsers drop the comments: the bullet is then the first span.
    const span = p.querySelector('span[style*="mso-list:Ignore" i], span[style*="mso-list: Ignore" i]');
    if (span) { const t = span.textContent; span.remove(); return t.trim(); }
    return '';
  }
  let text = '';
  for (let n = start.nextSibling; n && n !== end;) {
    const next = n.nextSibling;
    text += n.textContent;
    n.remove();
    n = next;
  }
  return text.replace(/\u00a0/g, ' ').trim();
}

// cleanPaste drops what word processors add besides the text and its
// structure: Word's XML and conditional comments, classes, inline styles
// (after bold and italic were read from them), empty paragraphs.
export function cleanPaste(html) {
  html = wordLists(html);
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('style, script, meta, link, xml, o\\:p').forEach((n) => n.remove());
  doc.querySelectorAll('span[style]').forEach((s) => {
    const st = s.getAttribute('style') || '';
    const bold = /font-weight:\s*(bold|[6-9]00)/i.test(st);
    const italic = /font-style:\s*italic/i.test(st);
    if (bold || italic) {
      const wrap = doc.createElement(bold ? 'strong' : 'em');
      while (s.firstChild) wrap.appendChild(s.firstChild);
      if (bold && italic) { const em = doc.createElement('em'); while (wrap.firstChild) em.appendChild(wrap.firstChild); wrap.appendChild(em); }
      s.appendChild(wrap);
    }
  });
  doc.querySelectorAll('b[style*="font-weight:normal" i], b[style*="font-weight: normal" i]').forEach((b) => {
    while (b.firstChild) b.parentNode.insertBefore(b.firstChild, b);
    b.remove();
  });
  // The editor has headings 2 to 4 (the page's title is the h1).
  doc.querySelectorAll('h1, h5, h6').forEach((h) => {
    const to = doc.createElement(h.tagName === 'H1' ? 'h2' : 'h4');
    while (h.firstChild) to.appendChild(h.firstChild);
    h.replaceWith(to);
  });
  // Images on the author's own disk (Word's file:///…clip_image001.png)
  // cannot be published; data: images are uploaded by insertFiles.
  doc.querySelectorAll('img').forEach((img) => {
    const src = img.getAttribute('src') || '';
    if (!/^(https?:|\/)/i.test(src)) img.remove();
  });
  doc.querySelectorAll('*').forEach((el) => {
    el.removeAttribute('style');
    el.removeAttribute('class');
    el.removeAttribute('id');
    el.removeAttribute('lang');
  });
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) comments.push(n);
  comments.forEach((c) => c.remove());
  doc.querySelectorAll('p').forEach((p) => {
    if (!p.querySelector('img') && p.textContent.replace(/\u00a0/g, ' ').trim() === '') p.remove();
  });
  return doc.body.innerHTML;
}

const T = {
  vi: {
    bold: 'Đậm', italic: 'Nghiêng', h2: 'Tiêu đề mục', h3: 'Tiêu đề nhỏ', ul: 'Danh sách', ol: 'Danh sách đánh số', quote: 'Trích dẫn',
    link: 'Liên kết', unlink: 'Bỏ liên kết', image: 'Chèn ảnh', table: 'Chèn bảng', undo: 'Hoàn tác', redo: 'Làm lại',
    linkPrompt: 'Địa chỉ liên kết (https://…):', altPrompt: 'Mô tả ảnh cho người khiếm thị (bắt buộc):', uploading: 'Đang tải ảnh lên…',
    uploadFailed: 'Không tải được ảnh: ', toolbar: 'Định dạng văn bản',
  },
};

async function upload(url, csrf, file, alt) {
  const fd = new FormData();
  fd.append('csrf', csrf);
  fd.append('alt', alt);
  fd.append('file', file, file.name || 'anh.png');
  const resp = await fetch(url, { method: 'POST', body: fd, headers: { Accept: 'application/json', 'X-CSRF-Token': csrf }, credentials: 'same-origin' });
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error((data.error && data.error.message) || resp.statusText);
  return data;
}

// output is the editor's HTML without what the editor adds for itself
// (table widths, column groups) and without empty paragraphs.
function output(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('colgroup').forEach((n) => n.remove());
  doc.querySelectorAll('[style], [colwidth]').forEach((n) => { n.removeAttribute('style'); n.removeAttribute('colwidth'); });
  doc.querySelectorAll('p').forEach((p) => {
    if (!p.querySelector('img') && p.textContent.trim() === '') p.remove();
  });
  return doc.body.innerHTML;
}

function mount(textarea) {
  const t = T.vi;
  const form = textarea.form;
  const csrf = form && form.querySelector('input[name="csrf"]') ? form.querySelector('input[name="csrf"]').value : '';
  const library = textarea.dataset.thuVien;
  const wrap = document.createElement('div');
  wrap.className = 'trinh-soan';
  const bar = document.createElement('div');
  bar.className = 'thanh-cong-cu';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', t.toolbar);
  const area = document.createElement('div');
  wrap.appendChild(bar);
  wrap.appendChild(area);
  textarea.parentNode.insertBefore(wrap, textarea);
  textarea.hidden = true;

  const insertFiles = async (files) => {
    for (const file of files) {
      if (!file.type.startsWith('image/') || !library) continue;
      const alt = window.prompt(t.altPrompt, '');
      if (!alt) continue;
      try {
        const img = await upload(library, csrf, file, alt);
        editor.chain().focus().setImage({ src: img.src, alt: img.alt }).run();
      } catch (e) {
        window.alert(t.uploadFailed + e.message);
      }
    }
  };

  const editor = new Editor({
    element: area,
    injectCSS: false, // the page's Content-Security-Policy allows no inline styles
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        codeBlock: false,
        link: { openOnClick: false, autolink: true, protocols: ['mailto', 'tel'], HTMLAttributes: { rel: null, target: null } },
      }),
      Image.configure({ inline: false }),
      TableKit.configure({ table: { resizable: false } }),
    ],
    content: textarea.value,
    editorProps: {
      attributes: {
        role: 'textbox', 'aria-multiline': 'true',
        'aria-labelledby': textarea.id + '-nhan',
        'aria-describedby': textarea.getAttribute('aria-describedby') || '',
      },
      transformPastedHTML: cleanPaste,
      handlePaste: (view, event) => {
        const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
        if (files.length && !(event.clipboardData.getData('text/html'))) { insertFiles(files); return true; }
        return false;
      },
      handleDrop: (view, event) => {
        const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
        if (files.length) { insertFiles(files); return true; }
        return false;
      },
    },
    onUpdate: ({ editor }) => { textarea.value = output(editor.getHTML()); },
  });
  textarea.value = output(editor.getHTML());
  if (form) form.addEventListener('submit', () => { textarea.value = output(editor.getHTML()); });

  const buttons = [
    ['bold', 'B', (c) => c.toggleBold(), 'bold'],
    ['italic', 'I', (c) => c.toggleItalic(), 'italic'],
    ['h2', 'H2', (c) => c.toggleHeading({ level: 2 }), ['heading', { level: 2 }]],
    ['h3', 'H3', (c) => c.toggleHeading({ level: 3 }), ['heading', { level: 3 }]],
    ['ul', '•', (c) => c.toggleBulletList(), 'bulletList'],
    ['ol', '1.', (c) => c.toggleOrderedList(), 'orderedList'],
    ['quote', '❝', (c) => c.toggleBlockquote(), 'blockquote'],
    ['link', '🔗', (c) => { const href = window.prompt(t.linkPrompt, editor.getAttributes('link').href || 'https://'); return href ? c.extendMarkRange('link').setLink({ href }) : c; }, 'link'],
    ['unlink', '⛓', (c) => c.unsetLink(), null],
    ['table', '▦', (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }), null],
    ['undo', '↶', (c) => c.undo(), null],
    ['redo', '↷', (c) => c.redo(), null],
  ];
  const states = [];
  for (const [key, label, run, active] of buttons) {
    const b = document.createElement('button');
    b.type = 'button';
    // The visible sign, then the words for screen readers: the accessible
    // name includes what is seen (WCAG 2.5.3).
    b.textContent = label;
    const words = document.createElement('span');
    words.className = 'an';
    words.textContent = ' ' + t[key];
    b.appendChild(words);
    b.title = t[key];
    if (active) b.setAttribute('aria-pressed', 'false');
    b.addEventListener('click', () => run(editor.chain().focus()).run());
    bar.appendChild(b);
    if (active) states.push([b, active]);
  }
  if (library) {
    const pick = document.createElement('input');
    pick.type = 'file';
    pick.accept = 'image/jpeg,image/png,image/gif,image/webp';
    pick.hidden = true;
    pick.addEventListener('change', () => { insertFiles(Array.from(pick.files)); pick.value = ''; });
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = '🖼';
    const words = document.createElement('span');
    words.className = 'an';
    words.textContent = ' ' + t.image;
    b.appendChild(words);
    b.title = t.image;
    b.addEventListener('click', () => pick.click());
    bar.appendChild(b);
    bar.appendChild(pick);
  }
  const refresh = () => {
    for (const [b, a] of states) {
      const on = Array.isArray(a) ? editor.isActive(a[0], a[1]) : editor.isActive(a);
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
  };
  editor.on('selectionUpdate', refresh);
  editor.on('transaction', refresh);
  textarea.congEditor = editor;
  return editor;
}

window.congEditor = { mount, cleanPaste, wordLists };
document.querySelectorAll('textarea[data-trinh-soan]').forEach(mount);
