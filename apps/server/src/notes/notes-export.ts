import * as Y from 'yjs';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import { winAnsi, wrapLines } from '../whiteboard/annotated-pdf';

// The shared notes as a reader gets them: plain text, HTML, PDF. The document is Tiptap's
// (ProseMirror's) through Yjs: elements named after its nodes (paragraph, heading, bulletList,
// orderedList, listItem, taskList, taskItem, codeBlock, blockquote, horizontalRule, hardBreak)
// and text whose attributes are its marks (bold, italic, underline, strike, code, link).

/** A block of the notes, flattened: its kind, its depth in lists, its list marker and its text runs. */
interface Block {
  kind: 'paragraph' | 'heading' | 'code' | 'rule';
  level: number;
  depth: number;
  marker: string;
  quote: boolean;
  runs: Run[];
}
interface Run {
  text: string;
  marks: Record<string, unknown>;
}

/**
 * Indentation rendered at most, in list levels: deeper lists are shown at this depth (a PDF page
 * has room for about twelve before the text has none).
 */
export const MAX_INDENT = 12;

/**
 * The blocks of the notes in reading order. Walked with a stack of its own, not by recursion:
 * the depth is the editors' (and notes stored before nesting was bounded may be thousands deep).
 */
export function notesBlocks(fragment: Y.XmlFragment): Block[] {
  const blocks: Block[] = [];
  type Context = { depth: number; marker: string; quote: boolean };
  type Visit = { el: Y.XmlElement; ctx: Context; list: Y.XmlElement | null; index: number };
  const elements = (node: Y.XmlElement | Y.XmlFragment) =>
    node.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
  // Children are pushed last first, so that they are visited in order.
  const stack: Visit[] = elements(fragment)
    .map((el) => ({ el, ctx: { depth: 0, marker: '', quote: false }, list: null, index: 0 }))
    .reverse();

  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { el, ctx, list, index } = visit;
    const name = el.nodeName;
    const children: Visit[] = [];
    if (name === 'bulletList' || name === 'orderedList' || name === 'taskList') {
      const start = Number(el.getAttribute('start')) || 1;
      elements(el).forEach((item, i) =>
        children.push({ el: item, ctx: { ...ctx, depth: ctx.depth + 1 }, list: el, index: start + i }),
      );
    } else if (name === 'listItem' || name === 'taskItem') {
      const marker =
        name === 'taskItem'
          ? String(el.getAttribute('checked')) === 'true'
            ? '[x]'
            : '[ ]'
          : list?.nodeName === 'orderedList'
            ? `${index}.`
            : '•';
      // The item's first block carries its marker; the others sit under it.
      elements(el).forEach((inner, i) =>
        children.push({ el: inner, ctx: { ...ctx, marker: i === 0 ? marker : '' }, list: null, index: 0 }),
      );
    } else if (name === 'blockquote') {
      for (const inner of elements(el))
        children.push({ el: inner, ctx: { ...ctx, quote: true }, list: null, index: 0 });
    } else if (name === 'horizontalRule') {
      blocks.push({ kind: 'rule', level: 0, depth: ctx.depth, marker: '', quote: ctx.quote, runs: [] });
    } else {
      const kind = name === 'heading' ? 'heading' : name === 'codeBlock' ? 'code' : 'paragraph';
      const level = kind === 'heading' ? Math.min(6, Math.max(1, Number(el.getAttribute('level')) || 1)) : 0;
      blocks.push({ kind, level, depth: ctx.depth, marker: ctx.marker, quote: ctx.quote, runs: runsOf(el) });
    }
    stack.push(...children.reverse());
  }
  return blocks;
}

/** How far a block is indented, in list levels. */
const indentOf = (b: Block) => Math.min(b.depth, MAX_INDENT);

function runsOf(el: Y.XmlElement): Run[] {
  const runs: Run[] = [];
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof op.insert === 'string') runs.push({ text: op.insert, marks: op.attributes ?? {} });
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
      runs.push({ text: '\n', marks: {} });
    }
  }
  return runs;
}

const textOf = (b: Block) => b.runs.map((r) => r.text).join('');

/** The notes as plain text: one line per block, lists indented with their markers. */
export function notesText(fragment: Y.XmlFragment): string {
  return notesBlocks(fragment)
    .map((b) => {
      if (b.kind === 'rule') return '---';
      const indent = '  '.repeat(Math.max(0, indentOf(b) - 1));
      const head = b.kind === 'heading' ? `${'#'.repeat(b.level)} ` : '';
      const quote = b.quote ? '> ' : '';
      return `${quote}${indent}${b.marker ? `${b.marker} ` : ''}${head}${textOf(b)}`;
    })
    .join('\n');
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A link's target if it is one the notes allow (http, https, mailto), else null. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function runHtml(r: Run): string {
  let html = escapeHtml(r.text).replace(/\n/g, '<br>');
  const m = r.marks;
  if (m.code) html = `<code>${html}</code>`;
  if (m.bold) html = `<strong>${html}</strong>`;
  if (m.italic) html = `<em>${html}</em>`;
  if (m.underline) html = `<u>${html}</u>`;
  if (m.strike) html = `<s>${html}</s>`;
  const href = safeHref((m.link as { href?: unknown } | undefined)?.href);
  if (href) html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">${html}</a>`;
  return html;
}

/** The notes as a standalone HTML page (every text escaped, only safe links kept). */
export function notesHtml(fragment: Y.XmlFragment, title: string): string {
  const body = notesBlocks(fragment)
    .map((b) => {
      if (b.kind === 'rule') return '<hr>';
      const inner = b.runs.map(runHtml).join('');
      const pad = b.depth ? ` style="margin-left:${indentOf(b) * 1.5}em"` : '';
      const marker = b.marker ? `${escapeHtml(b.marker)} ` : '';
      const block =
        b.kind === 'heading'
          ? `<h${b.level}${pad}>${marker}${inner}</h${b.level}>`
          : b.kind === 'code'
            ? `<pre${pad}><code>${escapeHtml(textOf(b))}</code></pre>`
            : `<p${pad}>${marker}${inner}</p>`;
      return b.quote ? `<blockquote>${block}</blockquote>` : block;
    })
    .join('\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
}

/** The notes as an A4 PDF: headings larger and bold, lists indented, code in Courier. */
export async function notesPdf(fragment: Y.XmlFragment, title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    code: await doc.embedFont(StandardFonts.Courier),
  };
  const charset = new Set(fonts.regular.getCharacterSet());
  const [width, height, margin] = [595, 842, 56];
  let page = doc.addPage([width, height]);
  let y = height - margin;
  const line = (text: string, font: PDFFont, size: number, x: number) => {
    if (y - size < margin) {
      page = doc.addPage([width, height]);
      y = height - margin;
    }
    y -= size * 1.3;
    page.drawText(text, { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  };
  for (const b of notesBlocks(fragment)) {
    const x = margin + indentOf(b) * 18 + (b.quote ? 12 : 0);
    if (b.kind === 'rule') {
      y -= 8;
      page.drawLine({ start: { x, y }, end: { x: width - margin, y }, thickness: 0.5 });
      continue;
    }
    const size = b.kind === 'heading' ? [20, 16, 14, 13, 12, 12][b.level - 1] : b.kind === 'code' ? 10 : 11;
    const font = b.kind === 'heading' ? fonts.bold : b.kind === 'code' ? fonts.code : fonts.regular;
    const text = winAnsi(`${b.marker ? `${b.marker} ` : ''}${textOf(b)}`, charset);
    for (const l of wrapLines(text, width - margin - x, (s) => font.widthOfTextAtSize(s, size))) line(l, font, size, x);
    y -= size * 0.4;
  }
  return doc.save();
}
