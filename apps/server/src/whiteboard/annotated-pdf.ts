import { deflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFNumber, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import {
  BASELINE,
  box,
  chartLayout,
  HIGHLIGHTER_OPACITY,
  isFilledOutline,
  LINE_HEIGHT,
  NOTE_PADDING,
  shapePath,
  type Shape,
} from '@estrade/protocol';
import { displayToUser, type PageGeometry } from './page-space';

/**
 * Draws annotations into a PDF as vectors (pdf-lib): the same paths the browser draws
 * (`shapePath`), in the page's own coordinates through one `cm` per page (see page-space.ts).
 * Only annotated pages change, by one content stream appended after the page's own content;
 * every other page is copied as it is.
 */

export type DrawnShape = Pick<Shape, 'kind' | 'points' | 'colour' | 'size' | 'fill' | 'text' | 'chart'>;
export interface AnnotatedPage {
  /** 1-based, as in the meeting. */
  page: number;
  shapes: readonly DrawnShape[];
}

// Text and notes as the browser's SVG layer sets them (apps/web/src/lib/whiteboard/markup.ts),
// by the protocol's text metrics: Helvetica; a note on paper of its colour mixed with 70 % white,
// edged in its colour, with only the lines that fit in it. A chart as the protocol lays it out,
// its title in Helvetica-Bold.
const NOTE_LIGHTEN = 0.7;
const INK = '#1e1e1e';

/** Operators of one page go out in content streams of about this many characters. */
const STREAM_CHARS = 4_000_000;

const isText = (s: DrawnShape) => s.kind === 'text' || s.kind === 'note';
const isLettered = (s: DrawnShape) => isText(s) || s.kind === 'chart';
const hasBold = (s: DrawnShape) => s.kind === 'chart' && chartLayout(s).texts.some((t) => t.bold);

/** Helvetica (and its bold), of the 14 fonts every PDF reader has: nothing to embed but a name. */
interface Lettering {
  font: PDFFont;
  /** Embedded once a chart's title needs it. */
  bold: PDFFont | null;
  /** WinAnsi: the same for both. */
  charset: ReadonlySet<number>;
}

/** The fonts as one page's resources name them. */
type PageLettering = Lettering & { key: string; boldKey: string | null };

/** pdf-lib cannot write into an encrypted PDF (its own error is not an `instanceof` Error subclass). */
export class EncryptedPdfError extends Error {}

export async function annotatePdf(pdf: Uint8Array, pages: readonly AnnotatedPage[]): Promise<Uint8Array> {
  // The original's producer and dates stay: the document is the presenter's, with ink on it.
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  if (doc.isEncrypted) throw new EncryptedPdfError('The PDF is encrypted');
  let lettering: Lettering | null = null;
  for (const { page, shapes } of pages) {
    if (page < 1 || page > doc.getPageCount() || shapes.length === 0) continue;
    if (!lettering && shapes.some(isLettered)) {
      const font = await doc.embedFont(StandardFonts.Helvetica);
      lettering = { font, bold: null, charset: new Set(font.getCharacterSet()) };
    }
    if (lettering && !lettering.bold && shapes.some(hasBold)) {
      lettering.bold = await doc.embedFont(StandardFonts.HelveticaBold);
    }
    drawOnPage(doc, doc.getPage(page - 1), shapes, lettering);
  }
  return doc.save();
}

function drawOnPage(doc: PDFDocument, page: PDFPage, shapes: readonly DrawnShape[], lettering: Lettering | null) {
  const node = page.node;
  // pdf-lib wraps the page's own content in q … Q here, so a graphics state it leaves behind
  // (a transform, a clip) does not move or hide the annotations.
  node.normalize();
  const context = doc.context;
  const translucent = shapes.some((s) => s.kind === 'highlighter')
    ? node.newExtGState('Hl', context.obj({ Type: 'ExtGState', ca: HIGHLIGHTER_OPACITY, CA: HIGHLIGHTER_OPACITY }))
    : null;
  const text: PageLettering | null =
    lettering && shapes.some(isLettered)
      ? {
          ...lettering,
          key: node.newFontDictionary('Helv', lettering.font.ref).toString(),
          boldKey:
            lettering.bold && shapes.some(hasBold)
              ? node.newFontDictionary('HelvB', lettering.bold.ref).toString()
              : null,
        }
      : null;

  // The page's operators go out in streams of a few megabytes (a page may hold 5,000 strokes
  // of thousands of points); the graphics state runs on from one stream of a page to the next.
  let ops = `q\n${displayToUser(geometryOf(page)).map(precise).join(' ')} cm\n1 J 1 j\n`;
  const flush = () => {
    // Fastest compression: a third of the time of the default level, for nearly the same size.
    const deflated = deflateSync(Buffer.from(ops, 'latin1'), { level: 1 });
    node.addContentStream(context.register(context.stream(deflated, { Filter: 'FlateDecode' })));
    ops = '';
  };
  for (const s of shapes) {
    ops += `${shapeOperators(s, translucent?.toString() ?? null, text)}\n`;
    if (ops.length > STREAM_CHARS) flush();
  }
  ops += 'Q';
  flush();
}

function shapeOperators(s: DrawnShape, translucent: string | null, text: PageLettering | null): string {
  const colour = rgb(s.colour);
  if (s.kind === 'chart') return chartOperators(s, colour, text);
  if (isFilledOutline(s.kind)) {
    const d = shapePath(s);
    if (!d) return '';
    const alpha = s.kind === 'highlighter' && translucent ? `${translucent} gs ` : '';
    return `q ${alpha}${colour} rg\n${pathOperators(d)}\nf Q`;
  }
  if (isText(s)) {
    if (!text) return '';
    const b = box(s.points);
    if (s.kind === 'text') return textOperators(s.text ?? '', b, s.size, colour, text);
    const inside = { x: b.x + NOTE_PADDING, y: b.y + NOTE_PADDING, width: b.width - 2 * NOTE_PADDING };
    const fits = Math.max(1, Math.floor((b.height - 2 * NOTE_PADDING) / (s.size * LINE_HEIGHT)));
    const paper = `q ${rgb(s.colour, NOTE_LIGHTEN)} rg ${colour} RG 1 w\n${pathOperators(shapePath(s))}\nB Q`;
    return `${paper}\n${textOperators(s.text ?? '', inside, s.size, rgb(INK), text, fits)}`;
  }
  // Lines and arrows are open: `fill` means nothing to them.
  const filled = s.fill && s.kind !== 'line' && s.kind !== 'arrow';
  return `q ${colour} rg ${colour} RG ${num(s.size)} w\n${pathOperators(shapePath(s))}\n${filled ? 'B' : 'S'} Q`;
}

/** A poll's results: white paper edged in the chart's colour, its bars, then its lines of text. */
function chartOperators(s: DrawnShape, colour: string, text: PageLettering | null): string {
  const { background: b, bars, texts } = chartLayout(s);
  const rect = (r: typeof b) => `${num(r.x)} ${num(r.y)} ${num(r.width)} ${num(r.height)} re`;
  const ops = [`q 1 1 1 rg ${colour} RG 1 w ${rect(b)} B Q`];
  if (bars.length) ops.push(`q ${colour} rg\n${bars.map(rect).join(' ')} f Q`);
  if (text && texts.length) {
    ops.push(`q ${rgb(INK)} rg BT`);
    for (const t of texts) {
      const font =
        t.bold && text.bold && text.boldKey ? { pdf: text.bold, key: text.boldKey } : { pdf: text.font, key: text.key };
      const encoded = font.pdf.encodeText(winAnsi(t.text, text.charset)).toString();
      // The page is drawn y down: the text matrix flips the glyphs back upright.
      ops.push(`${font.key} ${num(t.size)} Tf 1 0 0 -1 ${num(t.x)} ${num(t.y)} Tm ${encoded} Tj`);
    }
    ops.push('ET Q');
  }
  return ops.join('\n');
}

/** The page's boxes, rotation and unit as its dictionary states them (inherited ones included). */
function geometryOf(page: PDFPage): PageGeometry {
  const { node, doc } = page;
  const value = (name: string, inherited = true) =>
    doc.context.lookup(inherited ? node.getInheritableAttribute(PDFName.of(name)) : node.get(PDFName.of(name)));
  const number = (o: unknown) => (o instanceof PDFNumber ? o.asNumber() : undefined);
  const numbers = (o: unknown) =>
    o instanceof PDFArray ? o.asArray().map((x) => number(doc.context.lookup(x)) ?? NaN) : undefined;
  return {
    mediaBox: numbers(value('MediaBox')),
    cropBox: numbers(value('CropBox')),
    rotate: number(value('Rotate')),
    userUnit: number(value('UserUnit', false)),
  };
}

/**
 * Lines of text in a box: its own line breaks, then words wrapped at `width` (a word wider than
 * that is cut), at most `maxLines` of them.
 */
function textOperators(
  raw: string,
  at: { x: number; y: number; width: number },
  size: number,
  colour: string,
  text: PageLettering,
  maxLines = Infinity,
): string {
  const all = wrapLines(winAnsi(raw, text.charset), at.width, (s) => text.font.widthOfTextAtSize(s, size));
  const lines = all.slice(0, maxLines);
  const ops = [`q ${colour} rg BT ${text.key} ${num(size)} Tf`];
  lines.forEach((line, i) => {
    if (!line) return;
    const baseline = at.y + (i * LINE_HEIGHT + BASELINE) * size;
    // The page is drawn y down: the text matrix flips the glyphs back upright.
    ops.push(`1 0 0 -1 ${num(at.x)} ${num(baseline)} Tm ${text.font.encodeText(line).toString()} Tj`);
  });
  ops.push('ET Q');
  return ops.join('\n');
}

/**
 * The text with what Helvetica's standard encoding (WinAnsi) cannot show replaced by '?', tabs
 * by spaces and every line break made '\n'.
 */
export function winAnsi(text: string, charset: ReadonlySet<number>): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    out += ch === '\n' || charset.has(ch.codePointAt(0)!) ? ch : '?';
  }
  return out;
}

/** Greedy word wrap at `width` (none when the box has no width); the text's own line breaks kept. */
export function wrapLines(text: string, width: number, widthOf: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    if (!(width > 0)) {
      lines.push(paragraph);
      continue;
    }
    let line = '';
    for (const word of paragraph.split(' ')) {
      const joined = line ? `${line} ${word}` : word;
      if (widthOf(joined) <= width) {
        line = joined;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      for (const ch of word) {
        if (line && widthOf(line + ch) > width) {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * SVG path data as `shapePath` writes it (absolute M, L, H, V, Q, C, Z) as PDF path operators.
 * PDF has no quadratic curves: each becomes the cubic that draws exactly the same curve.
 * A freehand outline has two points per point of the stroke, hence a scanner rather than a
 * regular expression and an array of tokens.
 */
export function pathOperators(d: string): string {
  let out = '';
  let i = 0;
  let command = '';
  let [x, y, startX, startY] = [0, 0, 0, 0];
  const at = (k: number) => d.charCodeAt(k);
  const skipSeparators = () => {
    while (at(i) === SPACE || at(i) === COMMA) i++;
  };
  const next = () => {
    skipSeparators();
    const from = i;
    if (at(i) === MINUS || at(i) === PLUS) i++;
    for (;;) {
      if (isDigit(at(i)) || at(i) === DOT) i++;
      else if (at(i) === LOWER_E || at(i) === UPPER_E) i += at(i + 1) === MINUS || at(i + 1) === PLUS ? 2 : 1;
      else break;
    }
    const n = from === i ? NaN : Number(d.slice(from, i));
    if (!Number.isFinite(n)) throw new Error(`path data: a number expected after ${command}`);
    return n;
  };
  for (skipSeparators(); i < d.length; skipSeparators()) {
    if (isLetter(at(i))) command = d[i++];
    switch (command) {
      case 'M':
        [x, y] = [next(), next()];
        [startX, startY] = [x, y];
        out += `${num(x)} ${num(y)} m `;
        command = 'L'; // further pairs after M are lines
        break;
      case 'L':
        [x, y] = [next(), next()];
        out += `${num(x)} ${num(y)} l `;
        break;
      case 'H':
        x = next();
        out += `${num(x)} ${num(y)} l `;
        break;
      case 'V':
        y = next();
        out += `${num(x)} ${num(y)} l `;
        break;
      case 'Q': {
        const [qx, qy, ex, ey] = [next(), next(), next(), next()];
        const c1 = `${num(x + (2 / 3) * (qx - x))} ${num(y + (2 / 3) * (qy - y))}`;
        const c2 = `${num(ex + (2 / 3) * (qx - ex))} ${num(ey + (2 / 3) * (qy - ey))}`;
        out += `${c1} ${c2} ${num(ex)} ${num(ey)} c `;
        [x, y] = [ex, ey];
        break;
      }
      case 'C': {
        const c = [next(), next(), next(), next(), next(), next()];
        out += `${c.map((n) => num(n)).join(' ')} c `;
        [x, y] = [c[4], c[5]];
        break;
      }
      case 'Z':
        out += 'h ';
        [x, y] = [startX, startY];
        command = ''; // nothing may follow Z but a command
        break;
      default:
        throw new Error(`path data: unexpected ${command || d[i]}`);
    }
  }
  return out.trimEnd();
}

const [SPACE, COMMA, MINUS, PLUS, DOT, LOWER_E, UPPER_E] = [' ', ',', '-', '+', '.', 'e', 'E'].map((c) =>
  c.charCodeAt(0),
);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * A length or coordinate as PDF writes it, to the hundredth of a point as `shapePath` rounds
 * them: plain decimals (never 1e-7), made from integers, several times faster than formatting a
 * float, which matters for outlines of thousands of points.
 */
function num(n: number): string {
  const hundredths = Math.round(n * 100);
  const a = Math.abs(hundredths);
  const whole = Math.floor(a / 100);
  const cents = a - whole * 100;
  const fraction = cents === 0 ? '' : cents < 10 ? `.0${cents}` : cents % 10 === 0 ? `.${cents / 10}` : `.${cents}`;
  return `${hundredths < 0 ? '-' : ''}${whole}${fraction}`;
}

/** A number with more decimals (colour components, the page's matrix), plain as PDF wants it. */
const precise = (n: number) => String(Math.round(n * 1e6) / 1e6 + 0);

/** '#rrggbb' as PDF colour components, optionally mixed with white. */
function rgb(hex: string, white = 0): string {
  return [1, 3, 5]
    .map((at) => parseInt(hex.slice(at, at + 2), 16) / 255)
    .map((c) => precise(Math.round((c + (1 - c) * white) * 1000) / 1000))
    .join(' ');
}
